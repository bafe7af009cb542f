import search from 'approx-string-match';

/**
 * Finds a quote in a text that may have changed since the quote was taken: exact occurrences
 * first, then approximate ones (Myers' bit-parallel search from `approx-string-match`), then the
 * text between the quote's old prefix and suffix. Pure: strings in, offsets and a score out.
 *
 * Wrong places are worse than orphans (an orphan is shown with its quote and can be re-attached;
 * a note on the wrong sentence misleads): an approximate match must agree with the old context when
 * there is one, and text between prefix and suffix must still hold most of the quote's words.
 */

/** Where the quote was found ([start, end) in the text) and how sure we are, 0–1. */
export interface QuoteMatch {
  start: number;
  end: number;
  score: number;
}

/** What else is known about the quote's place: the text around it and its old start offset. */
export interface QuoteContext {
  prefix?: string;
  suffix?: string;
  hint?: number;
}

/** How `matchQuoteInChunks` gives the main thread back. */
export interface ChunkedMatchOptions {
  /**
   * Most characters searched in one uninterrupted step: default {@link DEFAULT_WINDOW}, capped at
   * {@link MAX_WINDOW}.
   */
  yieldEvery?: number;
  /** Called between steps; the search resumes when it resolves. */
  yieldFn: () => Promise<void>;
}

/**
 * Largest text one approximate search runs over without a break. Myers' search with a pattern of
 * a few hundred characters and ≤ 32 errors does ~2 word blocks per character: 64k characters take
 * a few milliseconds, far under the 50 ms long-task budget.
 */
export const MAX_WINDOW = 65_536;
/** Default step of {@link matchQuoteInChunks}: half the cap, headroom for GC pauses and a cold JIT. */
export const DEFAULT_WINDOW = 32_768;

/** Context similarity (mean of prefix and suffix) that counts as agreement. */
const CONTEXT_AGREES = 0.5;
/** An approximate match this close in context ends the search early (windows near the hint come first). */
const CONTEXT_CONFIDENT = 0.8;
/** Text between prefix and suffix must keep this share of the quote's words, in order… */
const MIN_KEPT_WORDS = 0.5;
/** …and prefix and suffix must each be this similar to the text around it. */
const BRIDGE_MIN_CONTEXT = 0.8;
/** Characters of the prefix's end / suffix's start searched for exactly. */
const PROBE_LENGTH = 16;
/** A probe needs this many letters or digits: whitespace between blocks occurs everywhere. */
const PROBE_MIN_WORD_CHARS = 6;
/** A prefix or suffix shorter than this (not empty) is the text's edge, too short to search for. */
const EDGE_CONTEXT = 8;
/**
 * Bridging and refining compare whole strings (quadratic: 1000 × 2064 characters ≈ 5 ms); longer
 * quotes rely on the approximate search alone.
 */
const BRIDGE_MAX_QUOTE = 1000;
/** Occurrences of the prefix probe tried, nearest the hint first. */
const BRIDGE_MAX_TRIES = 32;
/** Approximate matches kept per window (nearest the hint): repetitive text can yield thousands. */
const MAX_FUZZY_PER_WINDOW = 64;
/** Longest stretch a boundary moves to reach the edge of a word. */
const MAX_WORD = 24;

/** Weights of the score's parts; unknown parts (no prefix, no hint) are left out. */
const WEIGHT = { quote: 0.55, prefix: 0.2, suffix: 0.2, position: 0.05 } as const;

/**
 * Most edits an approximate match of `quote` may need: a quarter of its length, at most 32 (one
 * machine word of the bit-parallel search, which keeps it fast).
 */
export function maxErrorsFor(quote: string): number {
  return Math.min(32, Math.floor(quote.length / 4));
}

interface Candidate {
  start: number;
  end: number;
  quoteSim: number;
  contextSim: number | undefined;
  score: number;
  exact: boolean;
}

/**
 * Finds `quote` in `text`. Exact occurrences come first, ranked by how well the text around them
 * agrees with `prefix`/`suffix` and by distance to `hint` (the old start offset). When none agrees
 * with its context, approximate matches (≤ {@link maxErrorsFor} edits, context agreeing) and the
 * text between an intact prefix and suffix compete on the same score; the ends of an approximate
 * match are moved onto the context found next to it. Returns null when nothing is close enough.
 */
export function matchQuote(text: string, quote: string, context: QuoteContext = {}): QuoteMatch | null {
  const steps = matchSteps(text, quote, context, MAX_WINDOW);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * {@link matchQuote} cut into steps: no single approximate search covers more than `yieldEvery`
 * (default 32k, at most 64k) characters, and `yieldFn` runs between steps, so a 2 MB page never
 * blocks the main thread for long. Windows overlap by the longest possible match and are searched
 * nearest the hint first; a match that agrees with its context ends the search early.
 */
export async function matchQuoteInChunks(
  text: string,
  quote: string,
  context: QuoteContext,
  options: ChunkedMatchOptions,
): Promise<QuoteMatch | null> {
  const windowSize = Math.min(MAX_WINDOW, Math.max(1024, options.yieldEvery ?? DEFAULT_WINDOW));
  const steps = matchSteps(text, quote, context, windowSize);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await options.yieldFn();
  }
}

/** The search as a generator: each `yield` is a point where the caller may give the thread back. */
function* matchSteps(
  text: string,
  quote: string,
  context: QuoteContext,
  windowSize: number,
): Generator<void, QuoteMatch | null> {
  if (quote.length === 0 || text.length === 0) return null;
  const finder = new Finder(text, quote, context);

  let best = finder.bestExact();
  // "Here is a" still occurs in "Here is as first reported a recap": an exact match that cuts a
  // word the quote did not cut is a passage edited at its edge; its context says where it ends.
  if (best && finder.cutsWord(best)) best = finder.refine(best);
  if (best && (best.contextSim === undefined || best.contextSim >= CONTEXT_AGREES)) return result(best);
  yield;

  // No exact occurrence, or none where the old context is: the passage may have been edited.
  const maxErrors = maxErrorsFor(quote);
  if (maxErrors > 0) {
    for (const [from, to] of windowsOf(text.length, windowSize, quote.length + maxErrors, context.hint)) {
      const matches = search(text.slice(from, to), quote, maxErrors);
      for (const match of nearestToHint(matches, from, context.hint, MAX_FUZZY_PER_WINDOW)) {
        const start = from + match.start;
        const end = from + match.end;
        if (end <= start) continue;
        const candidate = finder.candidate(start, end, 1 - match.errors / quote.length, false);
        // Without agreeing context, a near-identical phrase elsewhere would take a deleted passage's note.
        if (candidate.contextSim !== undefined && candidate.contextSim < CONTEXT_AGREES) continue;
        if (!best || better(candidate, best, quote.length)) best = candidate;
      }
      if (best && !best.exact && isConfident(best)) return result(finder.refine(best));
      yield;
    }
  }

  if (best && !best.exact) best = finder.refine(best);
  const bridged = finder.bestBridge();
  // A bridge over the same place has the boundaries the context gives: it wins outright.
  if (bridged && (!best || overlaps(bridged, best) || bridged.score > best.score)) best = bridged;
  return best ? result(best) : null;
}

function result(candidate: Candidate): QuoteMatch {
  return { start: candidate.start, end: candidate.end, score: candidate.score };
}

function isConfident(candidate: Candidate): boolean {
  return candidate.contextSim !== undefined && candidate.contextSim >= CONTEXT_CONFIDENT;
}

/** Higher score wins; on a tie (neighbouring ends of one match), the length nearest the quote's. */
function better(a: Candidate, b: Candidate, quoteLength: number): boolean {
  if (a.score !== b.score) return a.score > b.score;
  return Math.abs(a.end - a.start - quoteLength) < Math.abs(b.end - b.start - quoteLength);
}

function overlaps(a: Candidate, b: Candidate): boolean {
  return a.start < b.end && b.start < a.end;
}

const WORD = /[\p{L}\p{N}]+/gu;
const isWordChar = (char: string | undefined) => char !== undefined && /[\p{L}\p{N}]/u.test(char);
const isSpace = (char: string | undefined) => char !== undefined && /\s/.test(char);

/** The exact string searched for on one side of the quote, and what it says about whitespace. */
interface Probe {
  text: string;
  /** The context had whitespace between the probe and the quote (skipped again in the new text). */
  spaced: boolean;
}

/**
 * The end of the prefix (or start of the suffix) to search for: without the whitespace next to the
 * quote, at least 16 characters and grown until it holds 6 letters or digits (indentation between
 * blocks is everywhere). With `weak`, any non-empty context will do (searched only next to a match).
 */
function probeOf(context: string, side: 'prefix' | 'suffix', weak = false): Probe | null {
  const trimmed = side === 'prefix' ? context.trimEnd() : context.trimStart();
  let length = Math.min(PROBE_LENGTH, trimmed.length);
  const slice = (n: number) => (side === 'prefix' ? trimmed.slice(trimmed.length - n) : trimmed.slice(0, n));
  const wordChars = (n: number) => (slice(n).match(WORD) ?? []).join('').length;
  while (length < trimmed.length && wordChars(length) < PROBE_MIN_WORD_CHARS) length++;
  if (wordChars(length) >= PROBE_MIN_WORD_CHARS)
    return { text: slice(length), spaced: trimmed.length < context.length };
  if (!weak || context.length < EDGE_CONTEXT) return null;
  const raw = side === 'prefix' ? context.slice(-PROBE_LENGTH) : context.slice(0, PROBE_LENGTH);
  return { text: raw, spaced: false };
}

/**
 * True when a context too short to search for (under 8 characters, not empty) is the text's start
 * or end: the passage was that close to the edge and still is. Empty context proves nothing
 * (anything may have been added at the edge since).
 */
function isEdge(text: string, context: string, edge: 'start' | 'end'): boolean {
  if (context.length === 0 || context.length >= EDGE_CONTEXT) return false;
  return edge === 'start' ? text.startsWith(context) : text.endsWith(context);
}

/** Candidate places for one quote in one text, and their scores. */
class Finder {
  private readonly prefix: string;
  private readonly suffix: string;
  private readonly head: Probe | null;
  private readonly tail: Probe | null;
  private quoteWords: string[] | undefined;

  constructor(
    private readonly text: string,
    private readonly quote: string,
    private readonly context: QuoteContext,
  ) {
    this.prefix = context.prefix ?? '';
    this.suffix = context.suffix ?? '';
    this.head = probeOf(this.prefix, 'prefix');
    this.tail = probeOf(this.suffix, 'suffix');
  }

  /** The exact occurrence scoring best, or null. */
  bestExact(): Candidate | null {
    const { text, quote } = this;
    let best: Candidate | null = null;
    for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) {
      const candidate = this.candidate(at, at + quote.length, 1, true);
      if (!best || candidate.score > best.score) best = candidate;
    }
    return best;
  }

  candidate(start: number, end: number, quoteSim: number, exact: boolean): Candidate {
    const prefixSim = this.prefixSim(start);
    const suffixSim = this.suffixSim(end);
    const positionSim = this.positionSim(start);
    let total = WEIGHT.quote * quoteSim;
    let weight = WEIGHT.quote;
    const known: number[] = [];
    if (prefixSim !== undefined) {
      total += WEIGHT.prefix * prefixSim;
      weight += WEIGHT.prefix;
      known.push(prefixSim);
    }
    if (suffixSim !== undefined) {
      total += WEIGHT.suffix * suffixSim;
      weight += WEIGHT.suffix;
      known.push(suffixSim);
    }
    if (positionSim !== undefined) {
      total += WEIGHT.position * positionSim;
      weight += WEIGHT.position;
    }
    const contextSim =
      known.length > 0 ? known.reduce((sum, value) => sum + value, 0) / known.length : undefined;
    return { start, end, quoteSim, contextSim, score: total / weight, exact };
  }

  /**
   * Moves the ends of an approximate match onto the context found intact next to them: the search
   * trims words inserted at the edge of a passage (dropping "to" is cheaper than keeping
   * "reportedly to") and may take in leading whitespace, while prefix and suffix say where the
   * passage begins and ends. With no context to go by, an end at least never cuts a word the
   * quote did not cut.
   */
  refine(candidate: Candidate): Candidate {
    const { text, quote, prefix, suffix } = this;
    const head = this.head ?? probeOf(prefix, 'prefix', true);
    const tail = this.tail ?? probeOf(suffix, 'suffix', true);
    if (quote.length > BRIDGE_MAX_QUOTE) return candidate;
    const slack = Math.ceil(quote.length / 2) + 32;
    const maxErrors = maxErrorsFor(quote);
    let { start, end } = candidate;

    if (tail) {
      const at = text.indexOf(tail.text, Math.max(start + 1, end - maxErrors - 8));
      if (at !== -1 && at <= end + slack) end = this.beforeSpace(at, start, tail);
    } else if (isEdge(text, suffix, 'end') && text.length - suffix.length - end <= slack) {
      end = Math.max(start + 1, text.length - suffix.length);
    }
    if (head) {
      const at = text.lastIndexOf(head.text, start + maxErrors + 8 - head.text.length);
      const after = at === -1 ? -1 : this.afterSpace(at + head.text.length, end, head);
      if (at !== -1 && after >= start - slack && after < end) start = after;
    } else if (isEdge(text, prefix, 'start') && start - prefix.length <= slack && prefix.length < end) {
      start = prefix.length;
    }
    if (start === candidate.start) start = this.wordStart(start);
    if (end === candidate.end) end = this.wordEnd(end);
    if (start === candidate.start && end === candidate.end) return candidate;

    const found = text.slice(start, end);
    if (this.keptWords(found) < MIN_KEPT_WORDS) return candidate;
    const refined = this.candidate(start, end, similarity(found, quote), false);
    return (refined.contextSim ?? 1) >= (candidate.contextSim ?? 1) ? refined : candidate;
  }

  /**
   * The text between an intact end of the prefix and an intact start of the suffix (or the text's
   * edge), when it still holds most of the quote's words in order. Finds passages edited beyond
   * the approximate search's error bound (a word inserted into a short quote); a deleted passage
   * (prefix next to suffix) never matches. One side must be distinctive enough to search the whole
   * text for; the other may be weak (indentation before the next block), searched only nearby.
   */
  bestBridge(): Candidate | null {
    const { text, quote, prefix, suffix } = this;
    if (quote.length > BRIDGE_MAX_QUOTE || (!this.head && !this.tail)) return null;
    const head = this.head ?? probeOf(prefix, 'prefix', true);
    const tail = this.tail ?? probeOf(suffix, 'suffix', true);
    if ((!head && !isEdge(text, prefix, 'start')) || (!tail && !isEdge(text, suffix, 'end'))) return null;
    const maxGap = quote.length * 2 + 64;
    const fromHead = this.head !== null;
    const anchor = (fromHead ? this.head : this.tail) as Probe;

    const found: number[] = [];
    for (let at = text.indexOf(anchor.text); at !== -1; at = text.indexOf(anchor.text, at + 1))
      found.push(at);
    const hint = this.context.hint;
    if (hint !== undefined) found.sort((a, b) => Math.abs(a - hint) - Math.abs(b - hint));

    let best: Candidate | null = null;
    for (const at of found.slice(0, BRIDGE_MAX_TRIES)) {
      let start: number;
      let end: number;
      if (fromHead) {
        start = this.afterSpace(at + anchor.text.length, text.length, anchor);
        if (tail) {
          const tailAt = text.indexOf(tail.text, start);
          if (tailAt === -1) continue;
          end = this.beforeSpace(tailAt, start, tail);
        } else {
          end = text.length - suffix.length;
        }
      } else {
        end = this.beforeSpace(at, 0, anchor);
        if (head) {
          const headAt = text.lastIndexOf(head.text, end - head.text.length);
          if (headAt === -1) continue;
          start = this.afterSpace(headAt + head.text.length, end, head);
        } else {
          start = prefix.length;
        }
      }
      if (end <= start || end - start > maxGap) continue;
      const passage = text.slice(start, end);
      if (this.keptWords(passage) < MIN_KEPT_WORDS) continue;
      if (head && (this.prefixSim(start) ?? 0) < BRIDGE_MIN_CONTEXT) continue;
      if (tail && (this.suffixSim(end) ?? 0) < BRIDGE_MIN_CONTEXT) continue;
      const candidate = this.candidate(start, end, similarity(passage, quote), false);
      if (!best || candidate.score > best.score) best = candidate;
    }
    return best;
  }

  /** Share of the quote's words still in `found`, in order (insertions are free). */
  keptWords(found: string): number {
    this.quoteWords ??= wordsOf(this.quote);
    // A quote of punctuation alone has no words to keep: compare the characters.
    if (this.quoteWords.length === 0) return similarity(found, this.quote);
    const words = wordsOf(found);
    // Many more words than the quote had: not the passage with a few words added.
    if (words.length > this.quoteWords.length * 2 + 4) return 0;
    return keptShareOfWords(words, this.quoteWords);
  }

  cutsWord(candidate: Candidate): boolean {
    return cutsWord(this.text, candidate.start, candidate.end, this.quote, this.context);
  }

  /** After the probe ending at `at`: skips the whitespace the context had between probe and quote. */
  private afterSpace(at: number, limit: number, probe: Probe): number {
    let position = at;
    if (probe.spaced && !isSpace(this.quote[0]))
      while (position < limit && isSpace(this.text[position])) position++;
    return position;
  }

  /** Before the probe starting at `at`: leaves out the whitespace the context had after the quote. */
  private beforeSpace(at: number, limit: number, probe: Probe): number {
    let position = at;
    if (probe.spaced && !isSpace(this.quote.at(-1))) {
      while (position > limit && isSpace(this.text[position - 1])) position--;
    }
    return position;
  }

  /** `start` moved back to the start of its word, if the quote began a word and `start` cuts one. */
  private wordStart(start: number): number {
    const { text, quote, prefix } = this;
    if (!isWordChar(quote[0]) || isWordChar(prefix.at(-1))) return start;
    let moved = start;
    while (moved > 0 && start - moved < MAX_WORD && isWordChar(text[moved - 1]) && isWordChar(text[moved])) {
      moved--;
    }
    return isWordChar(text[moved - 1]) ? start : moved;
  }

  /** `end` moved on to the end of its word, if the quote ended a word and `end` cuts one. */
  private wordEnd(end: number): number {
    const { text, quote, suffix } = this;
    if (!isWordChar(quote.at(-1)) || isWordChar(suffix[0])) return end;
    let moved = end;
    while (
      moved < text.length &&
      moved - end < MAX_WORD &&
      isWordChar(text[moved]) &&
      isWordChar(text[moved - 1])
    ) {
      moved++;
    }
    return isWordChar(text[moved]) ? end : moved;
  }

  private prefixSim(start: number): number | undefined {
    const { prefix } = this;
    if (!prefix) return undefined;
    return similarity(this.text.slice(Math.max(0, start - prefix.length), start), prefix);
  }

  private suffixSim(end: number): number | undefined {
    const { suffix } = this;
    if (!suffix) return undefined;
    return similarity(this.text.slice(end, end + suffix.length), suffix);
  }

  private positionSim(start: number): number | undefined {
    const hint = this.context.hint;
    if (hint === undefined || !Number.isFinite(hint)) return undefined;
    return 1 - Math.min(1, Math.abs(start - hint) / Math.max(this.text.length, this.quote.length, 1));
  }
}

/**
 * True when text[start, end) starts or ends inside a word where the quote, by its prefix and
 * suffix, began or ended a word: the quote still occurs there only because the text around it was
 * edited ("Here is a" inside "Here is as first reported a").
 */
export function cutsWord(
  text: string,
  start: number,
  end: number,
  quote: string,
  context: QuoteContext,
): boolean {
  const prefix = context.prefix ?? '';
  const suffix = context.suffix ?? '';
  const startCut = isWordChar(quote[0]) && !isWordChar(prefix.at(-1)) && isWordChar(text[start - 1]);
  const endCut = isWordChar(quote.at(-1)) && !isWordChar(suffix[0]) && isWordChar(text[end]);
  return startCut || endCut;
}

/** Lower-cased words (letters and digits) of a text. */
function wordsOf(text: string): string[] {
  return (text.match(WORD) ?? []).map((word) => word.toLowerCase());
}

/**
 * Share of `quote`'s words found in `found`'s words in the same order (longest common
 * subsequence): 1 when words were only added, 0 when none is left.
 */
export function keptWords(found: string, quote: string): number {
  return keptShareOfWords(wordsOf(found), wordsOf(quote));
}

function keptShareOfWords(found: string[], quote: string[]): number {
  if (quote.length === 0) return 1;
  let previous = new Uint16Array(found.length + 1);
  let current = new Uint16Array(found.length + 1);
  for (let i = 1; i <= quote.length; i++) {
    const word = quote[i - 1];
    for (let j = 1; j <= found.length; j++) {
      current[j] =
        word === found[j - 1]
          ? (previous[j - 1] as number) + 1
          : Math.max(previous[j] as number, current[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return (previous[found.length] as number) / quote.length;
}

/**
 * Windows [from, to) of at most `size` characters covering `length`, consecutive ones overlapping
 * by `overlap` (the longest possible match) so every match lies wholly inside one. Ordered by
 * distance to `hint` when given.
 */
export function windowsOf(length: number, size: number, overlap: number, hint?: number): [number, number][] {
  const windowSize = Math.max(size, overlap * 2);
  const step = windowSize - overlap;
  const windows: [number, number][] = [];
  for (let from = 0; ; from += step) {
    const to = Math.min(length, from + windowSize);
    windows.push([from, to]);
    if (to >= length) break;
  }
  if (hint !== undefined && Number.isFinite(hint)) {
    const distance = ([from, to]: [number, number]) =>
      hint < from ? from - hint : hint >= to ? hint - to + 1 : 0;
    windows.sort((a, b) => distance(a) - distance(b) || a[0] - b[0]);
  }
  return windows;
}

function nearestToHint<T extends { start: number }>(
  matches: T[],
  offset: number,
  hint: number | undefined,
  limit: number,
): T[] {
  if (matches.length <= limit) return matches;
  if (hint === undefined) return matches.slice(0, limit);
  return [...matches]
    .sort((a, b) => Math.abs(offset + a.start - hint) - Math.abs(offset + b.start - hint))
    .slice(0, limit);
}

/** 1 − Levenshtein distance / longer length: 1 for equal strings, 0 for nothing in common. */
export function similarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  return 1 - editDistance(a, b) / longer;
}

/** Levenshtein distance with two rolling rows (strings here are at most a few thousand chars). */
function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const code = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (code === b.charCodeAt(j - 1) ? 0 : 1);
      const deletion = (previous[j] as number) + 1;
      const insertion = (current[j - 1] as number) + 1;
      current[j] = Math.min(substitution, deletion, insertion);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}
