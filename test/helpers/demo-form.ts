import type { Page } from 'playwright-core';

/**
 * /demo's captcha widget fetches nothing until the reader first uses the comment form: this waits for the widget to
 * be mounted and focuses the name field, as a reader who starts writing does.
 */
export async function startWriting(page: Page): Promise<void> {
  await page.locator('#captcha-pow').waitFor({ state: 'attached' });
  await page.focus('input[name=name]');
}
