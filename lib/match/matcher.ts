import { type Automaton, compileAutomaton, StreamScanner } from './automaton';
import { type Dictionary, type DictionaryEntry, spellingVariants } from './dictionary';
import { canonicalSpacing, foldText, isWordChar } from './fold';

/**
 * A run of page text. Segments arrive in document order; within one block they are contiguous
 * (`start` of the next = `start + text.length` of the previous). Names never cross blocks.
 */
export interface TextSegment {
  readonly text: string;
  readonly start: number;
  readonly block: number;
}

/** A name found in the text: [start, end) in segment coordinates. */
export interface Mention {
  readonly start: number;
  readonly end: number;
  readonly entityId: string;
  /** The dictionary name that matched (canonical spelling variant). */
  readonly name: string;
  readonly ambiguous: boolean;
}

interface PatternOwner {
  readonly entry: DictionaryEntry;
  /** The spelling variant, canonical spacing, original case: compared for case-sensitive names. */
  readonly variant: string;
}

/**
 * Words that make a paragraph about cyber activity. An ambiguous name ("Sandworm", "Lazarus") is
 * highlighted only when its block also holds one of these or an unambiguous name; otherwise a film
 * review's Sandworm or a man called Lazarus stays plain text.
 */
const CYBER_CONTEXT =
  /\b(?:hack(?:s|ed|er|ers|ing)?|cyber\w*|malware|ransomware|espionage|spyware|phishing|intrusions?|breach(?:es|ed)?|exploit(?:s|ed|ing)?|botnets?|backdoors?|threat actors?|APT\s?-?\d+|state-sponsored|zero-day|vulnerabilit(?:y|ies)|infosec)\b/i;

interface Candidate {
  start: number;
  end: number;
  block: number;
  owner: PatternOwner;
}

/** One compiled automaton and, per pattern id, the dictionary entries behind it. */
interface MatcherPart {
  readonly automaton: Automaton;
  readonly owners: PatternOwner[][];
}

/**
 * Patterns whose characters are all Latin (below U+0250) go into the main automaton; the few with
 * other scripts (CJK, Hangul, Cyrillic names) into a second one. A dense DFA needs a column per
 * distinct character: 105 native-language names brought 230 columns and a 17.7 MB table; split,
 * the main table stays near 50 columns (measured in bench/).
 */
const LATIN_LIMIT = 0x250;

function isLatin(folded: string): boolean {
  for (let i = 0; i < folded.length; i++) if (folded.charCodeAt(i) >= LATIN_LIMIT) return false;
  return true;
}

/** Every spelling variant of every name, folded, in two groups: Latin and other scripts. */
function groupPatterns(dictionary: Dictionary): Map<string, PatternOwner[]>[] {
  const groups = [new Map<string, PatternOwner[]>(), new Map<string, PatternOwner[]>()];
  for (const entry of dictionary) {
    for (const variant of spellingVariants(entry.text)) {
      const folded = foldText(variant);
      const group = groups[isLatin(folded) ? 0 : 1] as Map<string, PatternOwner[]>;
      let owners = group.get(folded);
      if (!owners) {
        owners = [];
        group.set(folded, owners);
      }
      owners.push({ entry, variant: canonicalSpacing(variant) });
    }
  }
  return groups.filter((group) => group.size > 0);
}

function compilePart(group: Map<string, PatternOwner[]>): MatcherPart {
  return { automaton: compileAutomaton([...group.keys()]), owners: [...group.values()] };
}

/** Finds dictionary names in page text by the rules of ../../shared/DESIGN.md "Matching". */
export class Matcher {
  private constructor(private readonly parts: readonly MatcherPart[]) {}

  /** Compiles a dictionary (every spelling variant of every name) into automata. */
  static fromDictionary(dictionary: Dictionary): Matcher {
    const groups = groupPatterns(dictionary);
    return new Matcher(groups.map(compilePart));
  }

  /**
   * The same as `fromDictionary`, a step per task: spelling variants, then each automaton, with
   * `yieldToPage()` between them, so a page never waits on the whole compile at once.
   */
  static async compileInSteps(dictionary: Dictionary, yieldToPage: () => Promise<void>): Promise<Matcher> {
    const groups = groupPatterns(dictionary);
    const parts: MatcherPart[] = [];
    for (const group of groups) {
      await yieldToPage();
      parts.push(compilePart(group));
    }
    return new Matcher(parts);
  }

  get patternCount(): number {
    return this.parts.reduce((sum, part) => sum + part.automaton.patternCount, 0);
  }

  /** Bytes of transition tables (memory a page pays for the matcher). */
  get tableBytes(): number {
    return this.parts.reduce((sum, part) => sum + part.automaton.next.byteLength, 0);
  }

  /** All mentions in the segments, longest-leftmost and non-overlapping, in text order. */
  findMentions(segments: readonly TextSegment[]): Mention[] {
    const session = this.startSession();
    for (const segment of segments) session.add(segment);
    return session.finish();
  }

  /**
   * Incremental matching: add segments as the page is walked (text is scanned as it arrives, never
   * concatenated), then `finish()` applies the rules. Lets the DOM layer cut work into short tasks.
   */
  startSession(): MatchSession {
    return new MatchSession(this.parts);
  }
}

/** One incremental scan; see `Matcher.startSession`. */
export class MatchSession {
  private readonly scanners: {
    scanner: StreamScanner;
    onHit: (id: number, start: number, end: number) => void;
  }[];
  private readonly segments: TextSegment[] = [];
  private readonly text: SegmentText;
  private readonly candidates: Candidate[] = [];
  private block = Number.NaN;

  constructor(parts: readonly MatcherPart[]) {
    this.text = new SegmentText(this.segments);
    this.scanners = parts.map((part) => ({
      scanner: new StreamScanner(part.automaton),
      onHit: (patternId: number, start: number, end: number) =>
        this.check(part.owners, patternId, start, end),
    }));
  }

  /** Feeds one segment (in document order). Hits near its end are checked once their block ends. */
  add(segment: TextSegment): void {
    const newBlock = segment.block !== this.block;
    this.block = segment.block;
    this.segments.push(segment);
    for (const { scanner, onHit } of this.scanners) {
      if (newBlock) scanner.breakBlock();
      scanner.feed(segment.text, segment.start, onHit);
    }
  }

  /**
   * Applies the rules to everything added and returns the mentions in text order. `contextBlocks`
   * are blocks known to hold a name already (highlights a rescan skipped).
   */
  finish(contextBlocks: ReadonlySet<number> = new Set()): Mention[] {
    return this.resolve(this.candidates.splice(0), contextBlocks);
  }

  /**
   * Mentions of the blocks before `beforeBlock`, which must be complete (no more text of theirs
   * will be added): lets the caller highlight the top of a page while the rest is still scanned.
   * Names never cross blocks and the rules look only inside a block, so draining block by block
   * gives exactly what `finish()` would. Drained mentions are not returned again.
   */
  drain(beforeBlock: number, contextBlocks: ReadonlySet<number> = new Set()): Mention[] {
    const { candidates } = this;
    let count = 0;
    // Candidates arrive in segment order, so their blocks never decrease.
    while (count < candidates.length && (candidates[count] as Candidate).block < beforeBlock) count++;
    return count === 0 ? [] : this.resolve(candidates.splice(0, count), contextBlocks);
  }

  private resolve(candidates: Candidate[], contextBlocks: ReadonlySet<number>): Mention[] {
    const { text } = this;
    if (candidates.length === 0) return [];
    // The character after a hit may have arrived in a later segment: recheck that boundary now.
    const bounded = candidates.filter((c) => !isWordChar(text.charAt(c.end, c.block)));

    const blocksWithClearNames = new Set<number>(contextBlocks);
    for (const candidate of bounded) {
      if (!candidate.owner.entry.ambiguous) blocksWithClearNames.add(candidate.block);
    }
    const contextOfBlock = new Map<number, boolean>();
    const hasContext = (block: number): boolean => {
      let known = contextOfBlock.get(block);
      if (known === undefined) {
        known = blocksWithClearNames.has(block) || CYBER_CONTEXT.test(text.blockText(block));
        contextOfBlock.set(block, known);
      }
      return known;
    };
    const accepted = bounded.filter((c) => !c.owner.entry.ambiguous || hasContext(c.block));

    // Leftmost, then longest, then unambiguous first; a name never overlaps another.
    accepted.sort(
      (a, b) =>
        a.start - b.start ||
        b.end - a.end ||
        Number(a.owner.entry.ambiguous) - Number(b.owner.entry.ambiguous),
    );
    const mentions: Mention[] = [];
    let lastEnd = -1;
    for (const candidate of accepted) {
      if (candidate.start < lastEnd) continue;
      const { entry } = candidate.owner;
      mentions.push({
        start: candidate.start,
        end: candidate.end,
        entityId: entry.entityId,
        name: entry.text,
        ambiguous: entry.ambiguous,
      });
      lastEnd = candidate.end;
    }
    return mentions;
  }

  private check(ownersById: PatternOwner[][], patternId: number, start: number, end: number): void {
    const owners = ownersById[patternId];
    if (!owners) return;
    const { text, block } = this;
    // Word boundary before the name (the one after it is checked in finish()).
    if (isWordChar(text.charBefore(start, block))) return;
    let raw: string | undefined;
    let exact: string | undefined;
    for (const owner of owners) {
      if (owner.entry.caseSensitive) {
        // Usually the page text is the name verbatim; normalise spacing only when it is not.
        raw ??= text.slice(start, end);
        if (raw !== owner.variant) {
          exact ??= canonicalSpacing(raw);
          if (exact !== owner.variant) continue;
        }
      }
      this.candidates.push({ start, end, block, owner });
    }
  }
}

/** Random access into segment text, used only around hits (binary search per lookup). */
class SegmentText {
  constructor(private readonly segments: readonly TextSegment[]) {}

  private indexAt(offset: number): number {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.segments[middle] as TextSegment).start <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** The code unit at `offset` if it belongs to `block`, else undefined. */
  charAt(offset: number, block: number): string | undefined {
    const index = this.indexAt(offset);
    for (let i = index; i < this.segments.length; i++) {
      const segment = this.segments[i] as TextSegment;
      if (segment.block !== block) return undefined;
      const local = offset - segment.start;
      if (local >= 0 && local < segment.text.length) return segment.text[local];
      if (local < segment.text.length) return undefined;
    }
    return undefined;
  }

  charBefore(offset: number, block: number): string | undefined {
    return offset > 0 ? this.charAt(offset - 1, block) : undefined;
  }

  slice(start: number, end: number): string {
    let out = '';
    for (let i = this.indexAt(start); i < this.segments.length; i++) {
      const segment = this.segments[i] as TextSegment;
      if (segment.start >= end) break;
      out += segment.text.slice(Math.max(0, start - segment.start), end - segment.start);
    }
    return out;
  }

  /** First and last segment index of each block, extended as segments are added. */
  private readonly blockRanges = new Map<number, [number, number]>();
  private rangedSegments = 0;

  /** The whole text of a block (segments of one block are consecutive). */
  blockText(block: number): string {
    for (; this.rangedSegments < this.segments.length; this.rangedSegments++) {
      const index = this.rangedSegments;
      const segmentBlock = (this.segments[index] as TextSegment).block;
      const range = this.blockRanges.get(segmentBlock);
      if (range) range[1] = index;
      else this.blockRanges.set(segmentBlock, [index, index]);
    }
    const range = this.blockRanges.get(block);
    if (!range) return '';
    let out = '';
    for (let i = range[0]; i <= range[1]; i++) out += (this.segments[i] as TextSegment).text;
    return out;
  }
}
