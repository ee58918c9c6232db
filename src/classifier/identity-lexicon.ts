/**
 * Identity terms for the identity-attack head (IDENTITY_ATTACK). An identity attack names a group by what its
 * members are (religion, origin, colour, sexuality, gender identity, disability) and says something hostile about
 * it; Jigsaw labels a few hundred of them, too few for word counts to learn every group's name. One class for all
 * group names lets a comment about "the Sikhs" borrow what the data teaches about comments on "the Muslims".
 * Listed as the tokenizer produces them (lower case, runs of three letters collapsed to two), every form spelled out.
 */

/** Names of groups of people by religion, origin, colour, sexuality or gender identity. */
export const IDENTITY_GROUPS = `muslim muslims islam islamic islamist islamists jew jews jewish judaism christian christians
  catholic catholics hindu hindus sikh sikhs buddhist buddhists atheist atheists mormon mormons arab arabs african africans
  asian asians chinese mexican mexicans latino latinos latina hispanic hispanics indian indians native natives black blacks
  white whites negro negroes immigrant immigrants migrant migrants refugee refugees foreigner foreigners gay gays lesbian
  lesbians homosexual homosexuals homosexuality bisexual transgender trans transsexual queer queers lgbt feminist feminists
  women woman girls race racial ethnic russian russians polish pakistani pakistanis irish gypsy gypsies roma somali
  somalis syrian syrians iranian iranians turk turks german germans`;

/** Slurs for those groups: each is an identity term and an insult at once. */
export const IDENTITY_SLURS = `nigger niggers nigga niggas nigg niger negros faggot faggots fag fags faggy kike kikes spic spics
  chink chinks gook gooks tranny trannies dyke dykes wetback wetbacks raghead ragheads towelhead towelheads paki pakis
  beaner beaners coon coons jap japs homo homos sodomite sodomites retard retards retarded mongoloid cracker crackers
  honky gringo zionist zionists jihadi jihadis muzzie muzzies mohammedan`;

/**
 * Words that turn a group name into a generalisation or a slight: quantifiers and determiners ("all Muslims",
 * "those people"), and hostile adjectives ("dirty", "filthy").
 */
export const IDENTITY_GENERAL = `all those these every typical most such dirty filthy stupid disgusting bloody fucking damn
  damned sick inferior subhuman savage savages primitive`;
