import fs from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page and returns the serious and critical violations. The pages run under a CSP that allows
 * only their own origin's scripts, which blocks page.addScriptTag's inline script; a DevTools evaluation is not subject
 * to the page's CSP, so axe is loaded that way and the CSP stays what readers get. label-content-name-mismatch is
 * off by default in axe (experimental) but is what speech-input users trip over, so it is switched on.
 */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const r = await axe.run(document, { rules: { 'label-content-name-mismatch': { enabled: true } }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** How far the page can scroll sideways, and whether an element lies wholly inside the viewport. */
export async function layoutAt(page: Page, selector: string): Promise<{ scrollWidth: number; viewport: number; inside: boolean }> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const b = el?.getBoundingClientRect();
    const w = document.documentElement.clientWidth;
    return {
      scrollWidth: document.scrollingElement!.scrollWidth,
      viewport: window.innerWidth,
      inside: !!b && b.width > 0 && b.left >= 0 && b.right <= w && b.top >= 0 && b.bottom <= window.innerHeight,
    };
  }, selector);
}
