import { FOLD, IGNORABLE_CODES, SPACE, UNFOLD } from './fold';

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
  readonly next: Uint16Array | Int32Array;
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
  // Only the characters patterns use (and what folds to them) get a class; all else stays 0.
  const classOf = new Uint16Array(0x10000);
  for (const [folded, cls] of foldedClass) {
    if (FOLD[folded] === folded) classOf[folded] = cls;
    for (const raw of UNFOLD.get(folded) ?? []) classOf[raw] = cls;
  }
  for (const code of IGNORABLE_CODES) classOf[code] = IGNORE_CLASS;

  // 2. Trie as an edge list (parent, class, child); states are numbered in creation order.
  const edgeFrom: number[] = [];
  const edgeClass: number[] = [];
  const childOf = new Map<number, number>();
  const outputList: number[] = [-1];
  let stateCount = 1;
  const patternLength = new Int32Array(foldedPatterns.length);
  foldedPatterns.forEach((pattern, id) => {
    patternLength[id] = pattern.length;
    if (pattern.length === 0 || pattern.length > MAX_PATTERN_LENGTH) return;
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const cls = foldedClass.get(pattern.charCodeAt(i)) as number;
      const key = state * classCount + cls;
      let target = childOf.get(key);
      if (target === undefined) {
        target = stateCount++;
        childOf.set(key, target);
        edgeFrom.push(state);
        edgeClass.push(cls);
        outputList.push(-1);
      }
      state = target;
    }
    // Duplicate folded patterns: the first id wins here; callers merge duplicates beforehand.
    if (outputList[state] === -1) outputList[state] = id;
  });
  const output = Int32Array.from(outputList);

  // Children of each state, contiguous (counting sort of the edges by parent).
  const childStart = new Int32Array(stateCount + 1);
  for (const from of edgeFrom) (childStart[from + 1] as number)++;
  for (let i = 0; i < stateCount; i++)
    childStart[i + 1] = (childStart[i + 1] as number) + (childStart[i] as number);
  const fill = childStart.slice(0, stateCount);
  const childState = new Int32Array(stateCount);
  const childClass = new Uint16Array(stateCount);
  for (let edge = 0; edge < edgeFrom.length; edge++) {
    const slot = (fill[edgeFrom[edge] as number] as number)++;
    childState[slot] = edge + 1; // edges were created with states 1, 2, 3…
    childClass[slot] = edgeClass[edge] as number;
  }

  // 3. BFS: each state's row starts as a copy of its failure state's row (a memcpy), then its own
  // children overwrite their classes. Uint16 cells when the states fit: half the memory to fill.
  const next: Uint16Array | Int32Array =
    stateCount < 0xffff ? new Uint16Array(stateCount * classCount) : new Int32Array(stateCount * classCount);
  const fail = new Int32Array(stateCount);
  const outputLink = new Int32Array(stateCount);
  const queue = new Int32Array(stateCount);
  let head = 0;
  let tail = 0;
  for (let c = childStart[0] as number; c < (childStart[1] as number); c++) {
    const child = childState[c] as number;
    next[childClass[c] as number] = child;
    fail[child] = 0;
    queue[tail++] = child;
  }
  while (head < tail) {
    const state = queue[head++] as number;
    const failState = fail[state] as number;
    outputLink[state] = (output[failState] as number) >= 0 ? failState : (outputLink[failState] as number);
    const base = state * classCount;
    next.copyWithin(base, failState * classCount, failState * classCount + classCount);
    for (let c = childStart[state] as number; c < (childStart[state + 1] as number); c++) {
      const child = childState[c] as number;
      const cls = childClass[c] as number;
      fail[child] = next[failState * classCount + cls] as number;
      next[base + cls] = child;
      queue[tail++] = child;
    }
  }
  return {
    classOf,
    classCount,
    next,
    output,
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
