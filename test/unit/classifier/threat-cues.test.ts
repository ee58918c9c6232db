import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_FEATURES, scanFeatures, layoutOf } from '../../../src/classifier/features';
import { THREAT_CUES, cueNames, threatCues } from '../../../src/classifier/threat-cues';
import { CUE, cueClass } from '../../../src/classifier/threat-lexicon';
import { tokenize } from '../../../src/classifier/tokenize';
import { featurize } from '../../../src/classifier/doc';

const cues = (text: string): string[] => threatCues(tokenize(text).map((t) => t.value));

describe('threat lexicon and cues', () => {
  it('when a word is in several classes, then it carries every class bit', () => {
    expect(cueClass('bomb') & CUE.VIOLENT).toBeTruthy();
    expect(cueClass('bomb') & CUE.WEAPON).toBeTruthy();
    expect(cueClass("i'll") & CUE.SPEAKER && cueClass("i'll") & CUE.MODAL).toBeTruthy();
    expect(cueClass('resign')).toBe(0);
  });

  it('when a modal comes before a violent word aimed at a person, then the intent cue fires', () => {
    expect(cues('I am going to kill you.')).toEqual(expect.arrayContaining(['thr:violent', 'thr:modal_violent', 'thr:violent_you', 'thr:intent', 'thr:speaker_intent']));
    expect(cues('They should all be shot, every one of them')).toEqual(expect.arrayContaining(['thr:modal_violent', 'thr:intent']));
  });

  it('when an indefinite agent calls for violence, then the agent-call cue fires', () => {
    expect(cues('Somebody needs to put a bullet in that mayor.')).toEqual(expect.arrayContaining(['thr:weapon', 'thr:modal_violent', 'thr:agent_call']));
    expect(cues('Someone should burn that council building down.')).toContain('thr:agent_call');
  });

  it('when stalking words stand next to "you", then the stalking cue fires', () => {
    expect(cues('I know where you live and I will find you.')).toEqual(['thr:stalk_you', 'thr:strong']);
  });

  it('when a stalking verb has "you" as its object after a modal, or is in the progressive, then the stalking cue fires', () => {
    for (const t of ["I'm going to hunt you down.", 'We are coming for you.', 'I will be waiting for you.', 'We will track you down.']) expect(cues(t)).toContain('thr:stalk_you');
  });

  it('when "find" has no modal before it or "your" follows a stalking verb without a place, then the stalking cue does not fire', () => {
    for (const t of ['I find you tiresome.', 'Watch your language please.', 'I am coming to your page to tell you.', 'I was waiting on your comments.']) expect(cues(t)).not.toContain('thr:stalk_you');
  });

  it('when the speaker knows or is at a place of the person, then the stalking cue fires', () => {
    for (const t of ['Watch your back.', 'I know your address.', "I'll be waiting outside your house."]) expect(cues(t)).toEqual(['thr:stalk_you', 'thr:strong']);
    expect(cues('You know your job.')).not.toContain('thr:stalk_you');
  });

  it('when a negation stands next to the modal, then violence after it is not intent', () => {
    for (const t of ['Nobody should be shot over a parking space.', 'No one deserves to die like that.', 'I would never hurt you.', "I'm not going to kill you."]) {
      const c = cues(t);
      expect(c).toContain('thr:violent');
      for (const strong of ['thr:modal_violent', 'thr:intent', 'thr:strong']) expect(c).not.toContain(strong);
    }
    // A negation further back leaves the threat whole.
    expect(cues("If you don't stop I will kill you.")).toEqual(expect.arrayContaining(['thr:intent', 'thr:strong']));
  });

  it('when a comment opens with a violent order aimed at a person, or says "go die", then the order cue fires', () => {
    for (const t of ['Kill them all.', 'just shoot him', 'Go die in a fire.', 'Drop dead.']) expect(cues(t)).toContain('thr:order');
    for (const t of ['Kill the bill.', 'Killed man was a father of two.', 'The police shot him twice.', 'Just fire her already.']) expect(cues(t)).not.toContain('thr:order');
  });

  it('when the object of a violent verb after a modal is a thing, then the modal cue is taken back, but not when a person came first', () => {
    for (const t of ['This budget will kill any chance of a new library.', 'The city should kill this stadium deal.', 'We need to shoot down this proposal.']) {
      expect(cues(t)).toContain('thr:figurative');
      expect(cues(t)).not.toContain('thr:modal_violent');
    }
    expect(cues('We should kill him, the bill too.')).toEqual(expect.arrayContaining(['thr:modal_violent', 'thr:figurative']));
  });

  it('when violence is reported or a politician is asked to resign, then no intent, call or stalking cue fires', () => {
    for (const t of ['Police said the man was shot twice and died at the scene.', 'This mayor should resign.', 'The council is killing small businesses.']) {
      const c = cues(t);
      for (const strong of ['thr:intent', 'thr:agent_call', 'thr:speaker_intent', 'thr:stalk_you', 'thr:strong']) expect(c).not.toContain(strong);
    }
  });

  it('when the person named is the subject of an active violent verb, then it is not intent; when the verb is passive or the modal is "deserve", then it is', () => {
    expect(cues('The senator wants to kill the tax credit for solar panels.')).not.toContain('thr:intent');
    expect(cues('The senator should be shot.')).toContain('thr:intent');
    expect(cues('That judge deserves a bullet.')).toContain('thr:intent');
    expect(cues("Keep talking and I'll beat you senseless.")).toContain('thr:intent');
  });

  it('when someone says they know where a person or their family lives, works or goes to school, then the stalking cue fires', () => {
    expect(cues('We know where your kids go to school.')).toContain('thr:stalk_you');
    expect(cues('Nobody knows where the money went.')).not.toContain('thr:stalk_you');
  });

  it('when the call for violence has no person or place as its object, then it is not an agent call', () => {
    expect(cues('We need to kill this proposal before it passes.')).not.toContain('thr:agent_call');
    expect(cues('We should hang the whole city council from the lampposts.')).toEqual(expect.arrayContaining(['thr:agent_call', 'thr:strong']));
  });

  it('when the words are far apart, then the window cues do not fire', () => {
    expect(cues('I will read the report tomorrow and then decide whether the article about the killing was fair')).not.toContain('thr:modal_violent');
  });

  it('when scoring scans a text, then its cue mask equals the cues of its tokens', () => {
    const l = layoutOf(DEFAULT_FEATURES);
    const file = path.resolve(__dirname, '../../fixtures/classifier/threat-sentences.json');
    const fx = JSON.parse(readFileSync(file, 'utf8')) as { threats: string[]; newsNonThreats: string[] };
    for (const t of [...fx.threats, ...fx.newsNonThreats]) expect(cueNames(scanFeatures(t, DEFAULT_FEATURES, l).cues)).toEqual(cues(t));
  });

  it('when a group of people is named, then the identity cue fires, with the generalisation cue after "all" or a slight', () => {
    expect(cues('All Muslims are the same.')).toEqual(['id:group', 'id:general']);
    expect(cues('The Muslim community centre opens on Friday.')).toEqual(['id:group']);
    expect(cues('dirty kikes')).toEqual(['id:group', 'id:slur', 'id:general']);
    expect(cues('The council meets on Friday.')).toEqual([]);
  });

  it('when a file was trained without identity cues, then its features leave them out', () => {
    const opt = { ...DEFAULT_FEATURES, threat: true };
    expect(featurize({ text: 'All Muslims should be shot' }, opt, false).metaNames).not.toContain('id:group');
    expect(featurize({ text: 'All Muslims should be shot' }, { ...opt, identity: true }, false).metaNames).toEqual(expect.arrayContaining(['id:group', 'id:general', 'thr:intent']));
  });

  it('when the lexicon is listed, then every cue has a distinct name', () => {
    expect(new Set(THREAT_CUES).size).toBe(THREAT_CUES.length);
  });
});
