/**
 * Confidence wording → STIX `confidence` (0–100), after the probability yardsticks of US ICD 203
 * ("Analytic Standards", 2015, section D.6.e) and the UK Professional Head of Intelligence
 * Assessment (PHIA) "probability yardstick" (2019). Each number is a point inside the band both
 * yardsticks give the phrase. The first row whose pattern matches the wording wins, so longer
 * phrases come before the words they contain ("highly unlikely" before "unlikely" before "likely").
 *
 * | wording                                                        | confidence |
 * |----------------------------------------------------------------|-----------:|
 * | almost certain(ly), nearly certain                             | 95         |
 * | remote (chance), almost no chance                              | 5          |
 * | highly unlikely, very unlikely, highly improbable              | 10         |
 * | highly likely, very likely, highly probable, very probable     | 85         |
 * | unlikely, improbable                                           | 25         |
 * | realistic possibility, roughly even chance/odds, even chance   | 50         |
 * | likely, probably, probable                                     | 65         |
 *
 * Anything else — including analytic-confidence levels such as "high confidence" (they rate the
 * sources, not the probability) and negated phrases ("not likely") — maps to `undefined`, and the
 * exporter omits `confidence` rather than guess.
 */
export const CONFIDENCE_TABLE: readonly {
  readonly pattern: RegExp;
  readonly label: string;
  readonly value: number;
}[] = [
  { pattern: /\b(almost|nearly) certain(ly)?\b/, label: 'almost certain(ly)', value: 95 },
  { pattern: /\b(remote( chance)?|almost no chance)\b/, label: 'remote', value: 5 },
  { pattern: /\b(highly|very) (unlikely|improbable)\b/, label: 'highly unlikely', value: 10 },
  { pattern: /\b(highly|very) (likely|probable)\b/, label: 'highly likely / very likely', value: 85 },
  { pattern: /\b(unlikely|improbable)\b/, label: 'unlikely', value: 25 },
  {
    pattern: /\b(realistic possibility|roughly even (chance|odds)|even chance)\b/,
    label: 'realistic possibility / roughly even chance',
    value: 50,
  },
  { pattern: /\b(likely|probably|probable)\b/, label: 'likely / probably', value: 65 },
];

/** A negation before the phrase turns it around; we do not try to compute the complement. */
const NEGATION = /\b(not|never|no longer)\b/;

/**
 * The STIX confidence (0–100) for a wording of confidence, per {@link CONFIDENCE_TABLE}, or
 * `undefined` when the wording is not on the yardsticks.
 */
export function confidenceFromWording(wording: string | undefined): number | undefined {
  if (!wording) return undefined;
  const text = wording
    .toLowerCase()
    .replace(/[\u2018\u2019\u201c\u201d"']/g, '')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
  if (text === '' || NEGATION.test(text)) return undefined;
  return CONFIDENCE_TABLE.find((row) => row.pattern.test(text))?.value;
}
