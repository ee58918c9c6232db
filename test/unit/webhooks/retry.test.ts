import { DEFAULT_SCHEDULE, MAX_RETRY_AFTER_MS, nextDelay, parseRetryAfter, parseSchedule } from '../../../src/webhooks/retry';

describe('retry schedule', () => {
  it('when the default is parsed, then it is the Standard Webhooks example: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(parseSchedule(DEFAULT_SCHEDULE)).toEqual([5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 36e6]);
  });

  it('when a schedule is malformed, then parsing throws', () => {
    expect(() => parseSchedule('5x')).toThrow();
    expect(() => parseSchedule('')).toThrow();
    expect(parseSchedule('100ms, 2s')).toEqual([100, 2000]);
  });

  it('when the delay is computed, then it is the step for the attempt with ±20 % jitter', () => {
    const s = parseSchedule(DEFAULT_SCHEDULE);
    expect(nextDelay(s, 1, () => 0)).toBe(4000);
    expect(nextDelay(s, 1, () => 0.999999)).toBe(6000);
    expect(nextDelay(s, 2, () => 0.5)).toBe(300000);
    expect(nextDelay(s, 99, () => 0.5)).toBe(36e6);
    const seen = new Set(Array.from({ length: 50 }, () => nextDelay(s, 3)));
    expect(seen.size).toBeGreaterThan(10);
    for (const d of seen) expect(d >= 0.8 * 18e5 && d <= 1.2 * 18e5).toBe(true);
  });

  it('when Retry-After is seconds or an HTTP date, then it becomes milliseconds, capped at a day', () => {
    const now = Date.parse('2026-11-26T22:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 22:01:00 GMT', now)).toBe(60000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 21:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('9999999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
