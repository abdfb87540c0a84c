/** Personalize truncates textual fields at 20,000 characters; so does tokenisation. */
export const MAX_TEXT_CHARS = 20_000;

/** Common English words that say nothing about an item. */
const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have ' +
    'having he her here hers herself him himself his how i if in into is it its itself just me more most my ' +
    'myself no nor not now of off on once only or other our ours ourselves out over own same she should so ' +
    'some such than that the their theirs them themselves then there these they this those through to too ' +
    'under until up very was we were what when where which while who whom why will with would you your ' +
    'yours yourself yourselves'
  ).split(' '),
);

const SEPARATORS = /[^\p{L}\p{N}]+/u;

/** Lower-cased word tokens of free text, without stopwords and one-character tokens. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const token of text.slice(0, MAX_TEXT_CHARS).toLowerCase().split(SEPARATORS)) {
    if (token.length > 1 && !STOPWORDS.has(token)) tokens.push(token);
  }
  return tokens;
}
