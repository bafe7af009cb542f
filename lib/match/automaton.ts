import { FOLD, IGNORABLE, SPACE } from './fold';

/**
 * A multi-pattern Aho–Corasick automaton over folded UTF-16 code units, compiled to a dense DFA
 * (`next[state * classCount + class]`) so scanning is one table lookup per code unit. Characters that
 * occur in no pattern share class 0, which always leads back to the root. Measured rationale and
 * alternatives: ../../shared/DESIGN.md "Matching".
 */
export interface Automaton {
  /** Class of every raw code unit (fold applied): 0 = not in any pattern, SPACE_CLASS = whitespace. */
  readonly classOf: Uint16Array;
  readonly classCount: number;
  readonly next: Int32Array;
  /** Pattern id whose folded text ends exactly at the state, or -1. */
  readonly output: Int32Array;
  /** Nearest proper suffix state that has an output, or 0 (root has none). */
  readonly outputLink: Int32Array;
  /** Folded length (in fed code units) of each pattern. */
  readonly patternLength: Int32Array;
  readonly patternCount: number;
  readonly stateCount: number;
}

/** Class reserved for whitespace, so runs of it can be collapsed while scanning. */
export const SPACE_CLASS = 1;
/** Class for code units the scanner skips (soft hyphen, zero-width). */
const IGNORE_CLASS = 0xffff;
/** Ring size for the positions of fed code units; patterns longer than this are rejected. */
export const MAX_PATTERN_LENGTH = 255;
const RING_MASK = 255;

/**
 * Compiles folded patterns (see `foldText`) into an automaton. Pattern ids are the array indexes.
 * Empty or over-long patterns are kept as ids but can never match.
 */
export function compileAutomaton(foldedPatterns: readonly string[]): Automaton {
  // 1. Alphabet: one class per distinct folded code unit used by a pattern.
  const foldedClass = new Map<number, number>([[SPACE, SPACE_CLASS]]);
  for (const pattern of foldedPatterns) {
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(i);
      if (!foldedClass.has(code)) foldedClass.set(code, foldedClass.size + 1);
    }
  }
  const classCount = foldedClass.size + 1;
  const classOf = new Uint16Array(0x10000);
  for (let code = 0; code < 0x10000; code++) {
    const folded = FOLD[code] as number;
    classOf[code] = folded === IGNORABLE ? IGNORE_CLASS : (foldedClass.get(folded) ?? 0);
  }

  // 2. Trie with goto edges stored in the dense table (-1 = missing until the BFS fills it).
  let capacity = 1024;
  let next = new Int32Array(capacity * classCount).fill(-1);
  let output = new Int32Array(capacity).fill(-1);
  let stateCount = 1;
  const patternLength = new Int32Array(foldedPatterns.length);
  foldedPatterns.forEach((pattern, id) => {
    patternLength[id] = pattern.length;
    if (pattern.length === 0 || pattern.length > MAX_PATTERN_LENGTH) return;
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const cls = foldedClass.get(pattern.charCodeAt(i)) as number;
      const slot = state * classCount + cls;
      let target = next[slot] as number;
      if (target === -1) {
        if (stateCount === capacity) {
          capacity *= 2;
          const grownNext = new Int32Array(capacity * classCount).fill(-1);
          grownNext.set(next);
          next = grownNext;
          const grownOutput = new Int32Array(capacity).fill(-1);
          grownOutput.set(output);
          output = grownOutput;
        }
        target = stateCount++;
        next[slot] = target;
      }
      state = target;
    }
    // Duplicate folded patterns: the first id wins here; callers merge duplicates beforehand.
    if (output[state] === -1) output[state] = id;
  });

  // 3. BFS: failure links become DFA transitions; output links chain shorter matches.
  const fail = new Int32Array(stateCount);
  const outputLink = new Int32Array(stateCount);
  const queue = new Int32Array(stateCount);
  let head = 0;
  let tail = 0;
  for (let cls = 0; cls < classCount; cls++) {
    const target = next[cls] as number;
    if (target === -1) next[cls] = 0;
    else {
      fail[target] = 0;
      queue[tail++] = target;
    }
  }
  while (head < tail) {
    const state = queue[head++] as number;
    const failState = fail[state] as number;
    outputLink[state] = (output[failState] as number) >= 0 ? failState : (outputLink[failState] as number);
    const base = state * classCount;
    const failBase = failState * classCount;
    for (let cls = 0; cls < classCount; cls++) {
      const target = next[base + cls] as number;
      if (target === -1) next[base + cls] = next[failBase + cls] as number;
      else {
        fail[target] = next[failBase + cls] as number;
        queue[tail++] = target;
      }
    }
  }
  return {
    classOf,
    classCount,
    next: next.slice(0, stateCount * classCount),
    output: output.slice(0, stateCount),
    outputLink,
    patternLength,
    patternCount: foldedPatterns.length,
    stateCount,
  };
}

/** Receives each raw hit: pattern id and the [start, end) offsets in the caller's coordinates. */
export type HitSink = (patternId: number, start: number, end: number) => void;

/**
 * Feeds text to an automaton piece by piece (text node by text node) so a name split across inline
 * elements is still found, without concatenating the page into one string. Whitespace runs count
 * as one space; ignorable code units are skipped. Call `breakBlock()` at block boundaries.
 */
export class StreamScanner {
  private state = 0;
  private previousWasSpace = true;
  private fed = 0;
  private readonly positions = new Int32Array(RING_MASK + 1);

  constructor(private readonly automaton: Automaton) {}

  /** Forget partial matches: a block boundary ends every name. */
  breakBlock(): void {
    this.state = 0;
    this.previousWasSpace = true;
  }

  /** Scans `text`, whose first code unit sits at `offset` in the caller's coordinates. */
  feed(text: string, offset: number, onHit: HitSink): void {
    const { classOf, classCount, next, output, outputLink, patternLength } = this.automaton;
    const positions = this.positions;
    let state = this.state;
    let previousWasSpace = this.previousWasSpace;
    let fed = this.fed;
    for (let i = 0, n = text.length; i < n; i++) {
      const cls = classOf[text.charCodeAt(i)] as number;
      if (cls === 0) {
        state = 0;
        previousWasSpace = false;
        continue;
      }
      if (cls === SPACE_CLASS) {
        if (previousWasSpace) continue;
        previousWasSpace = true;
      } else if (cls === IGNORE_CLASS) continue;
      else previousWasSpace = false;
      positions[fed & RING_MASK] = offset + i;
      fed++;
      state = next[state * classCount + cls] as number;
      let hitState = (output[state] as number) >= 0 ? state : (outputLink[state] as number);
      while (hitState > 0) {
        const id = output[hitState] as number;
        const start = positions[(fed - (patternLength[id] as number)) & RING_MASK] as number;
        onHit(id, start, offset + i + 1);
        hitState = outputLink[hitState] as number;
      }
    }
    this.state = state;
    this.previousWasSpace = previousWasSpace;
    this.fed = fed;
  }
}
