/**
 * Country names for the codes and spellings that threat-actor lists use, so that imported summaries
 * can say "Suspected state sponsor: China." and entities get an ISO 3166-1 alpha-2 country.
 * Only states that appear in such lists are listed; an unknown code or name is left out of the
 * summary rather than guessed.
 */
const COUNTRIES: Record<string, { name: string; otherNames?: string[] }> = {
  AE: { name: 'the United Arab Emirates', otherNames: ['United Arab Emirates', 'UAE'] },
  AT: { name: 'Austria' },
  AU: { name: 'Australia' },
  BR: { name: 'Brazil' },
  BY: { name: 'Belarus' },
  CA: { name: 'Canada' },
  CN: { name: 'China', otherNames: ["People's Republic of China", 'PRC'] },
  DE: { name: 'Germany' },
  DZ: { name: 'Algeria' },
  EG: { name: 'Egypt' },
  ES: { name: 'Spain' },
  FR: { name: 'France' },
  GB: { name: 'the United Kingdom', otherNames: ['United Kingdom', 'UK', 'Great Britain'] },
  ID: { name: 'Indonesia' },
  IL: { name: 'Israel' },
  IN: { name: 'India' },
  IQ: { name: 'Iraq' },
  IR: { name: 'Iran', otherNames: ['Iran (Islamic Republic of)', 'Islamic Republic of Iran'] },
  IT: { name: 'Italy' },
  JP: { name: 'Japan' },
  KE: { name: 'Kenya' },
  KP: {
    name: 'North Korea',
    otherNames: ["Korea (Democratic People's Republic of)", "Democratic People's Republic of Korea", 'DPRK'],
  },
  KR: { name: 'South Korea', otherNames: ['Korea (Republic of)', 'Republic of Korea'] },
  KZ: { name: 'Kazakhstan' },
  LB: { name: 'Lebanon' },
  LY: { name: 'Libya' },
  MA: { name: 'Morocco' },
  MY: { name: 'Malaysia' },
  NG: { name: 'Nigeria' },
  NL: { name: 'the Netherlands', otherNames: ['Netherlands'] },
  PK: { name: 'Pakistan' },
  PS: { name: 'Palestine', otherNames: ['State of Palestine', 'Palestinian Territories'] },
  RO: { name: 'Romania' },
  RU: { name: 'Russia', otherNames: ['Russian Federation'] },
  SA: { name: 'Saudi Arabia' },
  SY: { name: 'Syria', otherNames: ['Syrian Arab Republic'] },
  TN: { name: 'Tunisia' },
  TR: { name: 'Türkiye', otherNames: ['Turkey'] },
  TW: { name: 'Taiwan' },
  UA: { name: 'Ukraine' },
  US: { name: 'the United States', otherNames: ['United States', 'United States of America', 'US', 'USA'] },
  VN: { name: 'Vietnam', otherNames: ['Viet Nam'] },
};

const CODE_BY_NAME = new Map<string, string>();
for (const [code, { name, otherNames = [] }] of Object.entries(COUNTRIES)) {
  for (const spelling of [name.replace(/^the /, ''), ...otherNames])
    CODE_BY_NAME.set(spelling.toLowerCase(), code);
}

/** The English name of a listed ISO 3166-1 alpha-2 code ("CN" → "China"), or undefined. */
export function countryNameOf(code: string): string | undefined {
  return COUNTRIES[code]?.name;
}

/** The ISO code of a listed country name in any of its usual spellings ("Russian Federation" → "RU"). */
export function countryCodeOf(name: string): string | undefined {
  return CODE_BY_NAME.get(name.trim().replace(/\s+/g, ' ').toLowerCase());
}
