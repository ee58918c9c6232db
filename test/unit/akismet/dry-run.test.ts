import { readOnlyPhases } from '../../../src/akismet/dry-run';
import { phases } from '../../../src/moderation/moderate-comment';
import { blocklistPhase } from '../../../src/moderation/phases/blocklist';
import { captchaPhase } from '../../../src/moderation/phases/captcha';
import { formSignalsPhase } from '../../../src/moderation/phases/form-signals';
import { historySignalsPhase } from '../../../src/moderation/phases/history-signals';
import { rateLimitPhase } from '../../../src/moderation/phases/rate-limit';
import { scorePhase } from '../../../src/moderation/phases/score';

describe('Akismet test requests', () => {
  it('when is_test scores a comment, then it runs the intake pipeline in its order minus the phases that write', () => {
    const dry = readOnlyPhases();
    expect(dry).toEqual(phases.filter((p) => dry.includes(p)));
    for (const p of [blocklistPhase, formSignalsPhase, scorePhase]) expect(dry).toContain(p);
    for (const p of [rateLimitPhase, captchaPhase, historySignalsPhase]) expect(dry).not.toContain(p);
    expect(dry.at(-1)).toBe(scorePhase);
  });
});
