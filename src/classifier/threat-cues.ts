import { CUE, cueClass } from './threat-lexicon';

/**
 * Threat cues: co-occurrences of threat-lexicon classes (threat-lexicon.ts) in a short window of tokens,
 * each one binary feature of the comment. A violent word alone is a report ("the man was shot"); a modal or
 * future form before it, a person after it, or an indefinite agent calling for it ("someone should burn that
 * building") make a threat. The toxicity model counts these like words, so every head learns from its own
 * labels how much each cue says (MODEL_CARD.md lists what each adds on held-out data).
 */
export const THREAT_CUES = [
  /** Any violent word. */
  'thr:violent',
  /** Any weapon or means. */
  'thr:weapon',
  /** A modal / future form up to 5 tokens before a violent word or weapon ("will kill", "needs to put a bullet"). */
  'thr:modal_violent',
  /** "you" within 3 tokens of a violent word or weapon ("kill you", "you will die"). */
  'thr:violent_you',
  /** Another person or group within 3 tokens after a violent word or weapon ("hang them", "shoot that mayor"). */
  'thr:violent_other',
  /** A modal before a violent word and a person in reach ("I will kill you", "they should be shot"). */
  'thr:intent',
  /** An indefinite agent, a modal, then violence against a target ("somebody needs to put a bullet in that mayor"). */
  'thr:agent_call',
  /** The speaker, a modal, then violence ("I'll kill", "I'm going to shoot"). */
  'thr:speaker_intent',
  /**
   * Stalking: a stalking verb before "you" as object ("I will find you", "coming for you"; "find" and "hunt" only after
   * a modal), "where you live", "where your kids go to school", or the speaker at or knowing a place of the person
   * ("watch your back", "I know your address", "waiting outside your house").
   */
  'thr:stalk_you',
  /**
   * Any of intent, agent call, stalking, or the speaker's intent with a target: one pooled feature, because each
   * alone is seen a few dozen times in the training data and its weight would be noisy.
   */
  'thr:strong',
  /** A violent word used about a thing ("kill the bill", "taxes are killing jobs"): a figure of speech. */
  'thr:figurative',
  /** A violent word in a report ("the man was shot", "police said"). */
  'thr:report',
  /**
   * Identity cues (identity-lexicon.ts), for the identity-attack head; they ride in the same scan and mask, and only
   * files trained with `features.identity` count them. A group of people named by what its members are.
   */
  'id:group',
  /** A slur for such a group. */
  'id:slur',
  /** A generalisation or slight over a group: a quantifier or hostile adjective up to 2 tokens before it ("all Muslims", "dirty Jews"). */
  'id:general',
  /**
   * An order of violence: a violent verb in its base form opening the comment or after "go", "just", "drop", with a
   * person or "you" up to 3 words after it ("Kill them", "just shoot him"), or death alone ("go die", "drop dead").
   */
  'thr:order',
] as const;

const VIOLENT = 0;
const WEAPON = 1;
const MODAL_VIOLENT = 2;
const VIOLENT_YOU = 3;
const VIOLENT_OTHER = 4;
const INTENT = 5;
const AGENT_CALL = 6;
const SPEAKER_INTENT = 7;
const STALK_YOU = 8;
const STRONG = 9;
const FIGURATIVE = 10;
const REPORTED = 11;
const ID_GROUP = 12;
const ID_SLUR = 13;
const ID_GENERAL = 14;
const ORDER = 15;
/** The identity cues' bits of a mask (doc.ts drops them for files trained without `features.identity`). */
export const IDENTITY_MASK = (1 << ID_GROUP) | (1 << ID_SLUR) | (1 << ID_GENERAL);
const STRONG_MASK = (1 << INTENT) | (1 << AGENT_CALL) | (1 << STALK_YOU);

const FAR = -1000;

/**
 * Scans class bits token by token (only tokens with bits need to be passed) and collects the cues as a bit
 * mask over THREAT_CUES. Linear: each step compares a few remembered positions.
 */
export class ThreatCueScanner {
  mask = 0;
  private modal = FAR;
  private violent = FAR;
  private modalViolent = FAR;
  private you = FAR;
  private target = FAR;
  private agent = FAR;
  private agentModal = FAR;
  private speaker = FAR;
  private speakerModal = FAR;
  private agentViolent = FAR;
  private speakerViolent = FAR;
  private stalk = FAR;
  private thing = FAR;
  private report = FAR;
  private where = FAR;
  private general = FAR;
  private be = FAR;
  private deserve = FAR;
  private locate = FAR;
  private neg = FAR;
  private no = FAR;
  private lead = FAR;
  private order = FAR;
  private modalBefore = false;

  reset(): void {
    this.mask = 0;
    this.modal = this.violent = this.modalViolent = this.you = this.target = FAR;
    this.agent = this.agentModal = this.speaker = this.speakerModal = this.stalk = FAR;
    this.agentViolent = this.speakerViolent = this.thing = this.report = this.where = this.general = FAR;
    this.be = this.deserve = this.locate = this.neg = this.no = this.lead = this.order = FAR;
    this.modalBefore = false;
  }

  /** Token `i` (its index in the comment) has class bits `c`. */
  step(i: number, c: number): void {
    let m = this.mask;
    if (c & CUE.SPEAKER) this.speaker = i;
    if (c & CUE.AGENT) this.agent = i;
    // A negation cancels the modal next to it: "nobody should be shot", "no one deserves to die", "I would never
    // hurt you". Only the neighbouring word, so "if you don't stop I will kill you" keeps its modal.
    if (c & CUE.NO) this.no = i;
    if (c & CUE.ONE && i - this.no === 1) this.neg = i;
    if (c & CUE.NEG) {
      this.neg = i;
      if (i - this.modal === 1) this.modal = this.agentModal = this.speakerModal = FAR;
    }
    if (c & CUE.MODAL && i - this.neg !== 1) {
      if (i - this.agent <= 2) this.agentModal = i;
      if (i - this.speaker <= 2) this.speakerModal = i;
      this.modal = i;
    }
    if (c & CUE.DESERVE) this.deserve = i;
    if (c & CUE.BE) this.be = i;
    if (c & (CUE.VIOLENT | CUE.WEAPON)) {
      m |= 1 << (c & CUE.VIOLENT ? VIOLENT : WEAPON);
      if (c & CUE.VIOLENT && c & CUE.WEAPON) m |= 1 << WEAPON;
      const mo = this.modal;
      if (i - mo <= 5 && mo !== i) {
        this.modalBefore = (m & (1 << MODAL_VIOLENT)) !== 0;
        m |= 1 << MODAL_VIOLENT;
        this.modalViolent = i;
      }
      if (i - mo <= 7 && mo !== i) {
        // Intent needs the victim where the grammar puts it: between the modal and the violence ("I'll put you in
        // the hospital"), or before the modal when the verb is passive or the modal is "deserve" ("they should be
        // shot", "that judge deserves a bullet"). The subject of an active verb is the agent: "the senator wants to
        // kill the tax credit" is not a threat to the senator.
        const victim = Math.max(this.you, this.target);
        const passive = (this.be > mo && this.be < i) || this.deserve === mo;
        if ((victim > mo && victim < i) || (passive && victim < mo && mo - victim <= 4)) m |= 1 << INTENT;
      }
      if (i - this.you <= 3) m |= 1 << VIOLENT_YOU;
      if (i - this.thing <= 3) m |= 1 << FIGURATIVE;
      if (i - this.report <= 3) m |= 1 << REPORTED;
      // The call needs a target after the violence: "we need to kill this proposal" is a figure of speech.
      if (i - this.agentModal <= 5) this.agentViolent = i;
      if (i - this.speakerModal <= 4) {
        m |= 1 << SPEAKER_INTENT;
        this.speakerViolent = i;
      }
      this.violent = i;
    }
    if (c & (CUE.YOU | CUE.TARGET) && i !== this.violent) {
      if (i - this.agentViolent <= 4) m |= 1 << AGENT_CALL;
      if (i - this.speakerViolent <= 4) m |= 1 << STRONG;
    }
    if (c & CUE.YOU) {
      if (i - this.violent <= 3) m |= 1 << VIOLENT_YOU;
      if (i - this.modalViolent <= 4) m |= 1 << INTENT;
      if (c & CUE.YOU_OBJ && i - this.stalk <= 2 && this.stalk !== i) m |= 1 << STALK_YOU;
      this.you = i;
    }
    if (c & CUE.WHERE) this.where = i;
    // "where you live", "where you sleep", "where your kids go to school".
    if (c & CUE.HOME && i - this.you <= 2 && this.you - this.where === 1) m |= 1 << STALK_YOU;
    // "watch your back", "I know your address", "waiting outside your house".
    if (c & CUE.PLACE && this.you === i - 1 && this.locate === i - 2) m |= 1 << STALK_YOU;
    if (c & (CUE.STALK | CUE.STALK_BASE | CUE.LOCATE)) this.locate = i;
    if (c & CUE.TARGET) {
      if (i - this.violent <= 3 && this.violent !== i) m |= 1 << VIOLENT_OTHER;
      if (i - this.modalViolent <= 4 && this.modalViolent !== i) m |= 1 << INTENT;
      this.target = i;
    }
    if (c & CUE.THING) {
      if (i - this.violent <= 3 && this.violent !== i) {
        m |= 1 << FIGURATIVE;
        // The violence's object is a thing ("we need to kill this proposal", "will kill any chance of"), so the modal
        // before it is no threat: its modal cue goes, unless an earlier violent word had set it, or a person came between.
        if (this.modalViolent === this.violent && !this.modalBefore && Math.max(this.you, this.target) < this.violent) m &= ~(1 << MODAL_VIOLENT);
      }
      this.thing = i;
    }
    if (c & CUE.REPORT) {
      if (i - this.violent <= 3 && this.violent !== i) m |= 1 << REPORTED;
      this.report = i;
    }
    // Orders: only the comment's first word or one right after a lead word, since the scan sees no sentence ends.
    if (c & CUE.ORDER && (i === 0 || i - this.lead === 1)) {
      this.order = i;
      if (c & CUE.DIE && i - this.lead === 1) m |= 1 << ORDER;
    }
    if (c & CUE.DIE && i - this.lead === 1 && !(c & CUE.ORDER)) m |= 1 << ORDER;
    if (c & (CUE.YOU | CUE.TARGET) && i - this.order <= 3 && this.order !== i) m |= 1 << ORDER;
    if (c & CUE.ORDER_LEAD) this.lead = i;
    if (c & CUE.STALK || (c & CUE.STALK_BASE && i - this.modal <= 3 && this.modal !== i)) this.stalk = i;
    if (c & (CUE.IDENTITY | CUE.SLUR)) {
      m |= 1 << ID_GROUP;
      if (c & CUE.SLUR) m |= 1 << ID_SLUR;
      if (i - this.general <= 2 && this.general !== i) m |= 1 << ID_GENERAL;
    }
    if (c & CUE.GENERAL) this.general = i;
    if (m & STRONG_MASK) m |= 1 << STRONG;
    this.mask = m;
  }
}

const byMask: string[][] = [];

/** Names of the cues in a mask (one shared array per mask: callers must not change it). */
export function cueNames(mask: number): string[] {
  let out = byMask[mask];
  if (out) return out;
  out = [];
  for (let k = 0; k < THREAT_CUES.length; k++) if (mask & (1 << k)) out.push(THREAT_CUES[k]);
  return (byMask[mask] = out);
}

/** The cues of a list of token values (for tests and tools; scoring scans word-cache classes instead). */
export function threatCues(tokens: string[]): string[] {
  const s = new ThreatCueScanner();
  tokens.forEach((t, i) => {
    const c = cueClass(t);
    if (c) s.step(i, c);
  });
  return cueNames(s.mask);
}
