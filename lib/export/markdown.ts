import type { Annotation, EvidenceKind } from '../annotations/schema';
import type { Source } from '../kb/schema';
import { confidenceFromWording } from './confidence';
import {
  claimPartName,
  type ExportContext,
  type ExportProgress,
  progressCounter,
  referencedIds,
} from './context';
import {
  escapeMarkdownHeading,
  escapeMarkdownInline,
  markdownAutolink,
  markdownBlockQuote,
  markdownLink,
} from './markdown-escape';
import { compareInPage, compareText, groupByPage, type PageGroup } from './order';

/**
 * How the Markdown export is organised:
 * - `page`: one `##` section per page (the per-page export is this with one page's annotations);
 * - `tag`: one `##` section per tag (`## #espionage`), pages as `###` inside; an annotation with
 *   several tags appears under each, untagged ones under "Untagged" at the end;
 * - `entity`: one `##` section per linked entity (or entity named in the claim), pages as `###`
 *   inside; annotations linking none under "No linked entity" at the end;
 * - `all`: one chronological list (by creation time), each annotation headed by its page.
 */
export type MarkdownGrouping = 'page' | 'tag' | 'entity' | 'all';

/** Options of {@link exportMarkdown}. */
export interface MarkdownOptions {
  /** Default `page`. */
  groupBy?: MarkdownGrouping;
  /** Document title (`#` heading). Default "Attribution Lens notes". */
  title?: string;
  /** When given, the summary line says when the export was made (kept out by default: pure output). */
  exportedAt?: string;
  /** Called at least every 500 annotations written. */
  onProgress?: ExportProgress;
}

const EVIDENCE_WORDS: Record<EvidenceKind, string> = {
  indictment: 'indictment',
  sanctions: 'sanctions',
  'joint-advisory': 'joint advisory',
  'official-statement': 'official statement',
  'vendor-report': 'vendor report',
  'anonymous-officials': 'anonymous officials',
};

/** Collects the official sources of the entities seen in a section, first appearance first. */
class SourceList {
  private readonly byUrl = new Map<string, Source>();

  addEntities(ids: readonly string[], context: ExportContext): void {
    for (const id of ids) {
      for (const source of context.entities.get(id)?.sources ?? []) {
        if (!this.byUrl.has(source.url)) this.byUrl.set(source.url, source);
      }
    }
  }

  /** `**Sources**` and one list item per source, or nothing when there are none. */
  render(): string[] {
    if (this.byUrl.size === 0) return [];
    const lines = ['**Sources**', ''];
    for (const source of this.byUrl.values()) {
      const about = [source.publisher, source.date].filter((part): part is string => Boolean(part));
      const suffix = about.length > 0 ? ` — ${escapeMarkdownInline(about.join(', '))}` : '';
      lines.push(`- ${markdownLink(source.title, source.url)}${suffix}`);
    }
    lines.push('');
    return lines;
  }
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function pageHeading(level: string, page: Pick<PageGroup, 'title' | 'pageUrl'>): string {
  return `${level} ${escapeMarkdownHeading(page.title || page.pageUrl)}`;
}

function pageDetails(page: Pick<PageGroup, 'site' | 'pageUrl' | 'publishedDate'>): string {
  // The host without "www.": shorter, and not a GFM autolink trigger.
  const parts = [escapeMarkdownInline(page.site.replace(/^www\./i, '')), markdownAutolink(page.pageUrl)];
  if (page.publishedDate) parts.push(`published ${page.publishedDate}`);
  return parts.join(' · ');
}

function entityLabel(id: string, context: ExportContext): string {
  const entity = context.entities.get(id);
  if (!entity) return `\`${id.replace(/`/g, '')}\``;
  const about: string[] = [entity.kind];
  if (entity.sponsor) about.push(`sponsor: ${escapeMarkdownInline(entity.sponsor.name)}`);
  return `${escapeMarkdownHeading(entity.name)} (${about.join('; ')})`;
}

function claimLines(annotation: Annotation, context: ExportContext): string[] {
  const claim = annotation.claim;
  if (!claim) return [];
  const rows: string[] = [];
  const side = (label: string, value: string | undefined) => {
    const name = claimPartName(value, context);
    if (name) rows.push(`  - ${label}: ${escapeMarkdownHeading(name)}`);
  };
  side('Attributor', claim.attributor);
  side('Actor', claim.actor);
  side('Sponsor', claim.sponsor);
  if (claim.confidence?.trim()) {
    const value = confidenceFromWording(claim.confidence);
    const scale = value === undefined ? '' : ` (≈${value}/100 on the ICD 203 / PHIA yardsticks)`;
    rows.push(`  - Confidence: “${escapeMarkdownHeading(claim.confidence)}”${scale}`);
  }
  if (claim.evidence) rows.push(`  - Evidence: ${EVIDENCE_WORDS[claim.evidence]}`);
  return rows.length > 0 ? ['- Attribution claim:', ...rows] : [];
}

/** One annotation: quote, note, then a list of tags, entities, claim and creation date. */
function annotationLines(annotation: Annotation, context: ExportContext): string[] {
  const lines = [markdownBlockQuote(annotation.selectors.quote.exact), ''];
  const note = annotation.note.trim();
  // The user's Markdown is theirs: kept as written (the app renders it through the sanitizer).
  if (note !== '') lines.push(note, '');
  if (annotation.tags.length > 0) {
    const tags = annotation.tags.map((tag) => `#${escapeMarkdownInline(tag.replace(/\s+/g, '-'))}`);
    lines.push(`- Tags: ${tags.join(' ')}`);
  }
  if (annotation.entityIds.length > 0) {
    lines.push(`- Entities: ${annotation.entityIds.map((id) => entityLabel(id, context)).join(', ')}`);
  }
  lines.push(...claimLines(annotation, context));
  lines.push(`- Created: ${annotation.createdAt.slice(0, 10)}`, '');
  return lines;
}

/** A page's annotations under a heading of the given level, separated by rules. */
function pageLines(
  page: PageGroup,
  level: string,
  context: ExportContext,
  sources: SourceList,
  tick: () => void,
): string[] {
  const lines = [pageHeading(level, page), '', pageDetails(page), ''];
  page.annotations.forEach((annotation, index) => {
    if (index > 0) lines.push('* * *', '');
    lines.push(...annotationLines(annotation, context));
    sources.addEntities(referencedIds(annotation), context);
    tick();
  });
  return lines;
}

/** Sections keyed by a label, each with the annotations under it, in a fixed order. */
interface Section {
  heading: string;
  annotations: Annotation[];
  /** Entities whose sources close the section; all referenced ones when undefined. */
  sourceIds?: string[];
}

function tagSections(annotations: readonly Annotation[]): Section[] {
  const byTag = new Map<string, Annotation[]>();
  const untagged: Annotation[] = [];
  for (const annotation of annotations) {
    if (annotation.tags.length === 0) untagged.push(annotation);
    for (const tag of new Set(annotation.tags)) {
      const list = byTag.get(tag);
      if (list) list.push(annotation);
      else byTag.set(tag, [annotation]);
    }
  }
  const sections = [...byTag.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([tag, list]) => ({
      heading: `#${escapeMarkdownInline(tag.replace(/\s+/g, '-'))}`,
      annotations: list,
    }));
  if (untagged.length > 0) sections.push({ heading: 'Untagged', annotations: untagged });
  return sections;
}

function entitySections(annotations: readonly Annotation[], context: ExportContext): Section[] {
  const byEntity = new Map<string, Annotation[]>();
  const unlinked: Annotation[] = [];
  for (const annotation of annotations) {
    const ids = referencedIds(annotation).filter(
      (id) => annotation.entityIds.includes(id) || context.entities.has(id),
    );
    if (ids.length === 0) unlinked.push(annotation);
    for (const id of ids) {
      const list = byEntity.get(id);
      if (list) list.push(annotation);
      else byEntity.set(id, [annotation]);
    }
  }
  const nameOf = (id: string) => context.entities.get(id)?.name ?? id;
  const sections: Section[] = [...byEntity.entries()]
    .sort(([a], [b]) => compareText(nameOf(a), nameOf(b)) || compareText(a, b))
    .map(([id, list]) => ({ heading: entityLabel(id, context), annotations: list, sourceIds: [id] }));
  if (unlinked.length > 0) sections.push({ heading: 'No linked entity', annotations: unlinked });
  return sections;
}

/**
 * The annotations as a Markdown document (CommonMark + GFM), deterministic for the same input:
 * pages by title then URL, annotations by position in the page then creation time.
 *
 * Each page section has `## Title`, then site · URL · published date; each annotation its quote as
 * a `>` block quote (escaped: page text cannot make headings, lists, HTML or links), the note as
 * the user wrote it, then tags as `#tag`, linked entities with their sponsor, the attribution
 * claim (attributor, actor, sponsor, confidence wording, evidence kind) and the creation date.
 * The official sources of the section's entities close each section.
 */
export function exportMarkdown(
  annotations: readonly Annotation[],
  context: ExportContext,
  options: MarkdownOptions = {},
): string {
  const groupBy = options.groupBy ?? 'page';
  const pages = groupByPage(annotations);
  const lines: string[] = [`# ${escapeMarkdownHeading(options.title ?? 'Attribution Lens notes')}`, ''];
  const summary = `${plural(annotations.length, 'annotation')} on ${plural(pages.length, 'page')}`;
  lines.push(options.exportedAt ? `${summary} · exported ${options.exportedAt.slice(0, 10)}` : summary, '');

  const sections: Section[] =
    groupBy === 'tag'
      ? tagSections(annotations)
      : groupBy === 'entity'
        ? entitySections(annotations, context)
        : [];
  const total =
    groupBy === 'page' || groupBy === 'all'
      ? annotations.length
      : sections.reduce((sum, section) => sum + section.annotations.length, 0);
  const tick = progressCounter(total, options.onProgress);

  if (groupBy === 'page') {
    for (const page of pages) {
      const sources = new SourceList();
      lines.push(...pageLines(page, '##', context, sources, tick), ...sources.render());
    }
  } else if (groupBy === 'all') {
    const pageOf = new Map(pages.map((page) => [page.pageUrl, page]));
    const chronological = [...annotations].sort(
      (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || compareInPage(a, b),
    );
    const sources = new SourceList();
    lines.push('## All annotations', '');
    for (const annotation of chronological) {
      const page = pageOf.get(annotation.pageUrl);
      if (page) lines.push(pageHeading('###', page), '', pageDetails(page), '');
      lines.push(...annotationLines(annotation, context));
      sources.addEntities(referencedIds(annotation), context);
      tick();
    }
    lines.push(...sources.render());
  } else {
    for (const section of sections) {
      const sources = new SourceList();
      lines.push(`## ${section.heading}`, '');
      for (const page of groupByPage(section.annotations)) {
        lines.push(...pageLines(page, '###', context, section.sourceIds ? new SourceList() : sources, tick));
      }
      if (section.sourceIds) sources.addEntities(section.sourceIds, context);
      lines.push(...sources.render());
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
