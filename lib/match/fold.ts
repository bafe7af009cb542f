/**
 * Character folding shared by the automaton (per code unit, hot path) and by the rules (per match).
 * Whitespace of every kind folds to a space, dash-like characters to "-", curly apostrophes to "'",
 * letters to lower case. Soft hyphens and zero-width characters are ignorable: news sites insert
 * them inside words ("Zir&shy;conium") and a reader never sees them.
 */

export const SPACE = 0x20;
export const HYPHEN = 0x2d;
export const APOSTROPHE = 0x27;
/** Marker in the fold table for code units the scanner skips entirely. */
export const IGNORABLE = 0xffff;

const WHITESPACE = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
  0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];
const DASHES = [0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xfe63, 0xff0d];
const APOSTROPHES = [0x2018, 0x2019, 0x02bc, 0xff07];
const IGNORABLES = [0xad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff];

/** Folded value of every UTF-16 code unit (identity where nothing applies). Built once, 128 KiB. */
export const FOLD: Uint16Array = buildFoldTable();

function buildFoldTable(): Uint16Array {
  const table = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) table[c] = c;
  // Case folding only where scripts have case; beyond 0x052F (Cyrillic) nothing in our names needs it.
  for (let c = 0x41; c <= 0x052f; c++) {
    const lower = String.fromCharCode(c).toLowerCase();
    if (lower.length === 1) table[c] = lower.charCodeAt(0);
  }
  for (const c of WHITESPACE) table[c] = SPACE;
  for (const c of DASHES) table[c] = HYPHEN;
  for (const c of APOSTROPHES) table[c] = APOSTROPHE;
  for (const c of IGNORABLES) table[c] = IGNORABLE;
  return table;
}

/**
 * Code units that fold to something other than themselves, grouped by what they fold to. Lets a
 * compiler fill a per-code-unit class table from the few characters patterns use, instead of a
 * 65,536-step loop per automaton (cold code in a content script: it showed in start-up time).
 */
export const UNFOLD: ReadonlyMap<number, readonly number[]> = buildUnfold();

function buildUnfold(): Map<number, number[]> {
  const unfold = new Map<number, number[]>();
  for (let code = 0; code < 0x10000; code++) {
    const folded = FOLD[code] as number;
    if (folded === code || folded === IGNORABLE) continue;
    let list = unfold.get(folded);
    if (!list) {
      list = [];
      unfold.set(folded, list);
    }
    list.push(code);
  }
  return unfold;
}

/** Code units the scanner skips (soft hyphen, zero-width characters). */
export const IGNORABLE_CODES: readonly number[] = IGNORABLES;

/**
 * Canonical form used to compare a page's text with a name: whitespace runs become one space,
 * dashes "-", apostrophes "'", ignorable characters vanish. Case is kept.
 */
export function canonicalSpacing(text: string): string {
  let out = '';
  let previousWasSpace = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const folded = FOLD[code] ?? code;
    if (folded === IGNORABLE) continue;
    if (folded === SPACE) {
      if (!previousWasSpace) out += ' ';
      previousWasSpace = true;
      continue;
    }
    previousWasSpace = false;
    out += folded === HYPHEN || folded === APOSTROPHE ? String.fromCharCode(folded) : text[i];
  }
  return out.trim();
}

/** Fully folded form (canonical spacing plus lower case): what the automaton sees. */
export function foldText(text: string): string {
  const canonical = canonicalSpacing(text);
  let out = '';
  for (let i = 0; i < canonical.length; i++) {
    const code = canonical.charCodeAt(i);
    out += String.fromCharCode(FOLD[code] ?? code);
  }
  return out;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
const NO_SPACE_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

/**
 * True when `char` continues a word, so a name may not start or end next to it. Scripts written
 * without spaces (CJK, Thai) never continue a Latin name: "APT31组织" still contains "APT31".
 */
export function isWordChar(char: string | undefined): boolean {
  if (char === undefined || char === '') return false;
  const code = char.charCodeAt(0);
  // ASCII without the two Unicode-property regexes (most neighbours of a name are ASCII).
  if (code < 0x80) {
    return (
      (code >= 0x30 && code <= 0x39) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x61 && code <= 0x7a) ||
      code === 0x5f
    );
  }
  return WORD_CHAR.test(char) && !NO_SPACE_SCRIPT.test(char);
}
