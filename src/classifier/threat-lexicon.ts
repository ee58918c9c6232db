import { IDENTITY_GENERAL, IDENTITY_GROUPS, IDENTITY_SLURS } from './identity-lexicon';

/**
 * The threat lexicon: word classes that, in combination, mark a threat or a call for violence. Threats are
 * rare in every public data set (Jigsaw has under 1% of them) and phrased in many ways, so word counts alone
 * cannot learn "Somebody needs to put a bullet in that mayor" from a hundred examples. The classes generalise:
 * threat-cues.ts turns their co-occurrence in a short window (a modal or future form before a violent verb, a
 * target after it) into a handful of features the Naive Bayes heads learn a weight for.
 *
 * Words are listed as the tokenizer produces them: lower case, apostrophes kept ("i'll"), runs of three or
 * more letters collapsed to two. Every inflection is spelled out, so matching is one Map lookup per distinct
 * word and the word cache remembers the answer.
 */

/** Word class bits (a word may have several). */
export const CUE = {
  /** A verb or outcome of violence: kill, shoot, stab, burn, hang, die... */
  VIOLENT: 1,
  /** A weapon or a means of violence: gun, bullet, knife, noose, rope, bomb... */
  WEAPON: 2,
  /** The person addressed: you, your, u, ya... */
  YOU: 4,
  /** A target: a person or group (him, them, that mayor), a body part (neck, head) or a place to burn or bomb (house, office). */
  TARGET: 8,
  /** Intent, obligation or future: will, 'll, gonna, should, must, needs, deserve, hope, let's... */
  MODAL: 16,
  /** An indefinite agent: someone, somebody, anyone, people, we. */
  AGENT: 32,
  /** The first person speaking: i, i'll, we, we'll... */
  SPEAKER: 64,
  /** Stalking verbs in the progressive, a threat alone before "you": coming (for), hunting, waiting (for), watching. */
  STALK: 128,
  /** Things, not people, that violent words are used about figuratively: the bill, the economy, jobs, taxes. */
  THING: 256,
  /** Words of a report: was, were, police, said, according, suspect, victim... ("the man was shot", police said). */
  REPORT: 512,
  /** "where", as in "I know where you live". */
  WHERE: 1024,
  /** Where a person lives, sleeps or works, or their family: live, sleep, work, kids, school... */
  HOME: 2048,
  /** A group of people named by religion, origin, colour, sexuality or gender identity (identity-lexicon.ts). */
  IDENTITY: 4096,
  /** A slur for such a group (identity-lexicon.ts). */
  SLUR: 8192,
  /** A quantifier or hostile adjective that generalises over a group ("all", "those", "dirty"). */
  GENERAL: 16384,
  /** A passive auxiliary: be, been, get... ("they should be shot": the person before the modal is the victim). */
  BE: 32768,
  /** Modals whose subject receives what follows: deserve ("that judge deserves a bullet"). */
  DESERVE: 65536,
  /** "you" as an object ("find you", "coming for you"); not "your", which follows "find", "watch" and "wait on" in harmless phrases. */
  YOU_OBJ: 131072,
  /** Stalking verbs that need a modal or future form before them: find, hunt, track ("I will find you", not "I find you tiresome"). */
  STALK_BASE: 262144,
  /** Words that, two before "your" and a place, say the speaker knows or is at that place: know, outside, found. */
  LOCATE: 524288,
  /** A place or side of a person that a stalker names: address, house, door, back ("watch your back", "I know your address"). */
  PLACE: 1048576,
  /** A negation that cancels a modal next to it: not, never, nobody ("nobody should be shot", "I would never hurt you"). */
  NEG: 2097152,
  /** "no", a negation only in "no one" (with ONE). */
  NO: 4194304,
  /** "one", as in "no one". */
  ONE: 8388608,
  /** A violent verb in its base form, an order when it opens the comment or follows "go", "just": kill, shoot, hang, die... */
  ORDER: 16777216,
  /** Words before an order: go, just, drop ("go die", "just shoot him", "drop dead"). */
  ORDER_LEAD: 33554432,
  /** Death as an outcome wished on someone: die, dead ("go die", "drop dead"). */
  DIE: 67108864,
} as const;

const VIOLENT = `kill kills killed killing killer murder murders murdered murdering shoot shoots shooting shot
  stab stabs stabbed stabbing hang hangs hanged hanging lynch lynched lynching strangle strangled strangling
  choke choked choking slit slits slaughter slaughtered behead beheaded beheading burn burns burned burnt burning
  torch torched bomb bombs bombed bombing execute executed executing assassinate assassinated slay slain beat
  beats beaten beating punch punched punching smash smashed bash bashed stomp stomped bury buried gut gutted
  rape raped raping hurt hurting maim maimed cripple crippled skin skinned drown drowned poison poisoned
  castrate castrated decapitate decapitated curbstomp die dies dying dead death blow blown bleed bleeding
  eliminate eliminated exterminate exterminated annihilate snap slap slapped waste wasted fry cut break`;

const WEAPON = `gun guns bullet bullets knife knives rifle rifles shotgun pistol pistols ammo noose rope ropes
  machete axe hatchet grenade grenades molotov gasoline petrol bat baseball crowbar hammer trigger barrel
  lamppost tree firing squad guillotine gallows chair bomb bombs explosive explosives blade sniper 9mm glock ar15
  fist fists boot boots grave graves coffin morgue`;

const YOU = `you your yours yourself yourselves u ur ya youre you're you'll you'd ye`;

const TARGET = `him her them his hers their he she they mayor senator president governor councillor councilor
  congressman judge cop cops officer officers minister politician politicians reporter journalist journalists
  liberals conservatives muslims jews immigrants blacks whites gays democrats republicans trump obama hillary
  people family wife kids children guy man woman traitor traitors scum council
  house home building office car church mosque synagogue school neck throat head skull face`;

const MODAL = `will shall gonna going gotta wanna want wants should must need needs ought deserve deserves
  deserved hope hopes wish let's lets i'll we'll he'll they'll i'm im i'd we'd would better time`;

const AGENT = `someone somebody anyone anybody everyone people we us patriots citizens`;

const SPEAKER = `i i'll i'm im i'd ive i've we we'll we're me my`;

const STALK = `coming comin hunting tracking stalking waiting watching`;

const STALK_BASE = `find hunt track stalk watch`;

const YOU_OBJ = `you u ya ye yourself yourselves`;

const LOCATE = `know knows knew outside found`;

const PLACE = `address addresses house home door doorstep street car office back`;

const NEG = `not never nobody noone`;

const ORDER = `kill shoot stab hang lynch strangle choke slit slaughter behead burn torch bomb execute assassinate beat
  punch smash bash stomp bury gut rape hurt maim cripple drown poison castrate decapitate curbstomp die exterminate
  annihilate slap murder`;

const ORDER_LEAD = `go just drop`;

const DIE = `die dead`;

const WHERE = `where`;

const HOME = `live lives sleep sleeps work works kids children family wife husband school`;

const BE = `be been being get gets got getting`;

const DESERVE = `deserve deserves deserved`;

const THING = `bill bills proposal proposals plan plans reform reforms deal deals law laws budget economy business
  businesses jobs job program programme idea ideas project measure tax taxes pension pensions market markets argument
  career chances momentum policy policies industry sector rates prices rent rents profits growth morale mood deal
  amendment motion vote votes agenda regulation regulations competition sales paycheck chance credit credits scheme
  schemes stadium`;

const REPORT = `was were been police said says according reportedly suspect suspects victim victims officers
  authorities witnesses investigators charged arrested sentenced convicted accused alleged allegedly report reports
  reported century history historians war court trial jury prosecutors prosecutor testified coroner inquest
  investigation footage headline article gunman shooter attacker officials spokesman spokeswoman sheriff`;

function add(map: Map<string, number>, words: string, bit: number): void {
  for (const w of words.split(/\s+/)) if (w) map.set(w, (map.get(w) ?? 0) | bit);
}

/** Word -> class bits. */
export const THREAT_LEXICON: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  add(m, VIOLENT, CUE.VIOLENT);
  add(m, WEAPON, CUE.WEAPON);
  add(m, YOU, CUE.YOU);
  add(m, TARGET, CUE.TARGET);
  add(m, MODAL, CUE.MODAL);
  add(m, AGENT, CUE.AGENT);
  add(m, SPEAKER, CUE.SPEAKER);
  add(m, STALK, CUE.STALK);
  add(m, STALK_BASE, CUE.STALK_BASE);
  add(m, YOU_OBJ, CUE.YOU_OBJ);
  add(m, LOCATE, CUE.LOCATE);
  add(m, PLACE, CUE.PLACE);
  add(m, NEG, CUE.NEG);
  add(m, 'no', CUE.NO);
  add(m, 'one', CUE.ONE);
  add(m, ORDER, CUE.ORDER);
  add(m, ORDER_LEAD, CUE.ORDER_LEAD);
  add(m, DIE, CUE.DIE);
  add(m, THING, CUE.THING);
  add(m, REPORT, CUE.REPORT);
  add(m, WHERE, CUE.WHERE);
  add(m, HOME, CUE.HOME);
  add(m, BE, CUE.BE);
  add(m, DESERVE, CUE.DESERVE);
  add(m, IDENTITY_GROUPS, CUE.IDENTITY);
  add(m, IDENTITY_SLURS, CUE.SLUR);
  add(m, IDENTITY_GENERAL, CUE.GENERAL);
  return m;
})();

/** Class bits of one token value (0 for words outside the lexicon). */
export function cueClass(word: string): number {
  return THREAT_LEXICON.get(word) ?? 0;
}
