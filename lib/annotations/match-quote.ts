import search from 'approx-string-match';

/**
 * Finds a quote in a text that may have changed since the quote was taken: exact occurrences
 * first, then approximate ones (Myers' bit-parallel search from `approx-string-match`), then the
 * text between the quote's old prefix and suffix. Pure: strings in, offsets and a score out.
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
  /** Most characters searched in one uninterrupted step: default {@link DEFAULT_WINDOW}, capped at {@link MAX_WINDOW}. */
  yieldEvery?: number;
  /** Called between steps; the search resumes when it resolves. */
  yieldFn: () => Promise<void>;
}

/**
 * Largest text one approximate search runs over without a break. Myers' search with a pattern of
 * a few hundred characters and ≤ 32 errors does ~2 word blocks per character: 64k characters is a
 * few milliseconds, far under the 50 ms long-task budget even on slow machines.
 */
export const MAX_WINDOW = 65_536;
/** Default step of {@link matchQuoteInChunks}: half the cap, leaving headroom for GC pauses and JIT warm-up. */
export const DEFAULT_WINDOW = 32_768;

/** Quote-only fuzzy matches whose context disagrees need this much quote similarity. */
const STRONG_QUOTE = 0.9;
/** Context similarity (mean of prefix and suffix) that counts as agreement. */
const CONTEXT_AGREES = 0.5;
/** A fuzzy match this close in context and quote ends the search early (windows near the hint come first). */
const CONTEXT_CONFIDENT = 0.8;
/**
 * Text between an intact prefix and suffix must keep this share of the quote (insertions into it
 * are free: a sentence that gained words is still the passage; a deleted passage keeps nothing)…
 */
const BRIDGE_MIN_KEPT = 0.6;
/** …and prefix and suffix each this similar. */
const BRIDGE_MIN_CONTEXT = 0.8;
/** Characters of prefix end / suffix start that must occur exactly to try a bridge. */
const BRIDGE_PROBE = 16;
/** Bridging compares whole strings (quadratic); longer quotes rely on the approximate search. */
const BRIDGE_MAX_QUOTE = 2000;
/** Occurrences of the prefix probe tried, nearest the hint first. */
const BRIDGE_MAX_TRIES = 32;
/** Approximate matches kept per window (nearest the hint): repetitive text can yield thousands. */
const MAX_FUZZY_PER_WINDOW = 64;

/** Weights of the score's parts; parts that are unknown (no prefix, no hint) are left out. */
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
  bridged: boolean;
}

/**
 * Finds `quote` in `text`. Exact occurrences come first, ranked by how well the text around them
 * agrees with `prefix`/`suffix` and by distance to `hint` (the old start offset); when none agrees
 * with its context, approximate matches (≤ {@link maxErrorsFor} edits) and the text between an
 * intact prefix and suffix compete on the same score. Returns null when nothing is close enough.
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
 * (default 32k, at most 64k) characters, and `yieldFn` runs between steps, so a 2 MB page never blocks the main
 * thread for long. Windows overlap by the longest possible match and are searched nearest the hint
 * first; a match that agrees with its context ends the search early. Same result as matchQuote
 * unless stopped early by such a match.
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
  const scorer = new Scorer(text, quote, context);

  let best = bestExact(text, quote, scorer);
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
        const candidate = scorer.candidate(start, end, 1 - match.errors / quote.length, false);
        if (!acceptable(candidate)) continue;
        if (!best || better(candidate, best, quote.length)) best = candidate;
      }
      if (best && !best.exact && isConfident(best)) return result(refine(best, text, quote, context, scorer));
      yield;
    }
  }

  if (best && !best.exact) best = refine(best, text, quote, context, scorer);
  const bridged = bestBridge(text, quote, context, scorer);
  // A bridge over the same place has the boundaries the context gives: it wins outright.
  if (bridged && (!best || overlaps(bridged, best) || bridged.score > best.score)) best = bridged;
  return best ? result(best) : null;
}

function overlaps(a: Candidate, b: Candidate): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Moves the ends of an approximate match onto the context when it is found intact nearby: the
 * search trims words inserted at the edge of a passage (dropping "to" is cheaper than keeping
 * "reportedly to"), and may take leading whitespace, while the prefix and suffix say exactly where
 * the passage begins and ends.
 */
function refine(
  candidate: Candidate,
  text: string,
  quote: string,
  context: QuoteContext,
  scorer: Scorer,
): Candidate {
  if (quote.length > BRIDGE_MAX_QUOTE) return candidate;
  const slack = Math.ceil(quote.length / 2) + 32;
  const maxErrors = maxErrorsFor(quote);
  let { start, end } = candidate;
  const suffix = context.suffix ?? '';
  if (suffix.length >= 8) {
    const probe = suffix.slice(0, BRIDGE_PROBE);
    const at = text.indexOf(probe, Math.max(start + 1, end - maxErrors));
    if (at !== -1 && at <= end + slack) end = at;
  }
  const prefix = context.prefix ?? '';
  if (prefix.length >= 8) {
    const probe = prefix.slice(-BRIDGE_PROBE);
    const at = text.lastIndexOf(probe, start + maxErrors - probe.length);
    if (at !== -1 && at + probe.length >= start - slack && at + probe.length < end) start = at + probe.length;
  }
  if (start === candidate.start && end === candidate.end) return candidate;
  const kept = keptShare(text.slice(start, end), quote);
  if (kept < BRIDGE_MIN_KEPT) return candidate;
  const refined = scorer.candidate(start, end, similarity(text.slice(start, end), quote), false, true);
  return (refined.contextSim ?? 0) > (candidate.contextSim ?? 0) ? refined : candidate;
}

/**
 * Share of `quote` still in `found`, not counting insertions: 1 when `found` is the quote with
 * words added, 0 when nothing of it is left.
 */
export function keptShare(found: string, quote: string): number {
  if (quote.length === 0) return 1;
  const insertions = Math.max(0, found.length - quote.length);
  return Math.max(0, 1 - (editDistance(found, quote) - insertions) / quote.length);
}

function result(candidate: Candidate): QuoteMatch {
  return { start: candidate.start, end: candidate.end, score: candidate.score };
}

/** Exact occurrences, best first by score. */
function bestExact(text: string, quote: string, scorer: Scorer): Candidate | null {
  let best: Candidate | null = null;
  for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) {
    const candidate = scorer.candidate(at, at + quote.length, 1, true);
    if (!best || candidate.score > best.score) best = candidate;
  }
  return best;
}

/** An approximate match stands on its own only if the quote is very close or its context agrees. */
function acceptable(candidate: Candidate): boolean {
  return (
    candidate.contextSim === undefined ||
    candidate.contextSim >= CONTEXT_AGREES ||
    candidate.quoteSim >= STRONG_QUOTE
  );
}

function isConfident(candidate: Candidate): boolean {
  return candidate.contextSim !== undefined && candidate.contextSim >= CONTEXT_CONFIDENT;
}

/** Higher score wins; on a tie (overlapping ends of one match), the length nearest the quote's. */
function better(a: Candidate, b: Candidate, quoteLength: number): boolean {
  if (a.score !== b.score) return a.score > b.score;
  return Math.abs(a.end - a.start - quoteLength) < Math.abs(b.end - b.start - quoteLength);
}

/**
 * The text between an intact end of the prefix and an intact start of the suffix, when it is
 * still similar to the quote. Finds passages edited beyond the approximate search's error bound
 * (a word inserted into a short quote) while a deleted passage (prefix next to suffix) never
 * matches.
 */
function bestBridge(text: string, quote: string, context: QuoteContext, scorer: Scorer): Candidate | null {
  const prefix = context.prefix ?? '';
  const suffix = context.suffix ?? '';
  if (quote.length > BRIDGE_MAX_QUOTE || prefix.length < 8 || suffix.length < 8) return null;
  const head = prefix.slice(-BRIDGE_PROBE);
  const tail = suffix.slice(0, BRIDGE_PROBE);
  const maxGap = quote.length * 2 + 64;

  const starts: number[] = [];
  for (let at = text.indexOf(head); at !== -1; at = text.indexOf(head, at + 1)) starts.push(at + head.length);
  const hint = context.hint;
  if (hint !== undefined) starts.sort((a, b) => Math.abs(a - hint) - Math.abs(b - hint));

  let best: Candidate | null = null;
  for (const start of starts.slice(0, BRIDGE_MAX_TRIES)) {
    const end = text.indexOf(tail, start);
    if (end === -1 || end - start > maxGap) continue;
    const found = text.slice(start, end);
    if (keptShare(found, quote) < BRIDGE_MIN_KEPT) continue;
    const candidate = scorer.candidate(start, end, similarity(found, quote), false, true);
    if (candidate.contextSim === undefined) continue;
    if (
      (scorer.prefixSim(start) ?? 0) < BRIDGE_MIN_CONTEXT ||
      (scorer.suffixSim(end) ?? 0) < BRIDGE_MIN_CONTEXT
    ) {
      continue;
    }
    if (!best || candidate.score > best.score) best = candidate;
  }
  return best;
}

/** Scores candidate places for one quote in one text. */
class Scorer {
  constructor(
    private readonly text: string,
    private readonly quote: string,
    private readonly context: QuoteContext,
  ) {}

  candidate(start: number, end: number, quoteSim: number, exact: boolean, bridged = false): Candidate {
    const prefixSim = this.prefixSim(start);
    const suffixSim = this.suffixSim(end);
    const positionSim = this.positionSim(start);
    let total = WEIGHT.quote * quoteSim;
    let weight = WEIGHT.quote;
    if (prefixSim !== undefined) {
      total += WEIGHT.prefix * prefixSim;
      weight += WEIGHT.prefix;
    }
    if (suffixSim !== undefined) {
      total += WEIGHT.suffix * suffixSim;
      weight += WEIGHT.suffix;
    }
    if (positionSim !== undefined) {
      total += WEIGHT.position * positionSim;
      weight += WEIGHT.position;
    }
    const known = [prefixSim, suffixSim].filter((value): value is number => value !== undefined);
    const contextSim =
      known.length > 0 ? known.reduce((sum, value) => sum + value, 0) / known.length : undefined;
    return { start, end, quoteSim, contextSim, score: total / weight, exact, bridged };
  }

  prefixSim(start: number): number | undefined {
    const prefix = this.context.prefix;
    if (!prefix) return undefined;
    return similarity(this.text.slice(Math.max(0, start - prefix.length), start), prefix);
  }

  suffixSim(end: number): number | undefined {
    const suffix = this.context.suffix;
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
