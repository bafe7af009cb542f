import type { EntityFacts, EntityRef } from '@/lib/kb/facts';
import type { Alias, AliasScheme, EntityKind, EventKind, LinkRel } from '@/lib/kb/schema';

export const KIND_LABELS: Record<EntityKind, string> = {
  actor: 'Threat actor',
  agency: 'State agency',
  attributor: 'Attributing body',
  company: 'Company',
  person: 'Person',
  campaign: 'Campaign',
};

const SCHEME_LABELS: Record<AliasScheme, string> = {
  common: 'Common',
  government: 'Government',
  mandiant: 'Mandiant',
  crowdstrike: 'CrowdStrike',
  microsoft: 'Microsoft',
  'microsoft-old': 'Microsoft (old)',
  secureworks: 'Secureworks',
  kaspersky: 'Kaspersky',
  'recorded-future': 'Recorded Future',
  mitre: 'MITRE ATT&CK',
  proofpoint: 'Proofpoint',
  eset: 'ESET',
  symantec: 'Symantec',
  'trend-micro': 'Trend Micro',
  'palo-alto': 'Palo Alto Networks',
  'cisco-talos': 'Cisco Talos',
  google: 'Google',
  misp: 'MISP galaxy',
  other: 'Other',
};

const EVENT_KIND_LABELS: Record<EventKind, string> = {
  statement: 'Statement',
  'joint-advisory': 'Joint advisory',
  advisory: 'Advisory',
  indictment: 'Indictment',
  sanctions: 'Sanctions',
  expulsion: 'Expulsion',
  arrest: 'Arrest',
  reward: 'Reward offer',
};

const CHAIN_LABELS: Record<LinkRel, string> = {
  sponsoredBy: 'Sponsored by',
  operatedBy: 'Run by',
  frontFor: 'Front for',
  partOf: 'Part of',
  memberOf: 'Member of',
  aliasOf: 'Alias of',
  employedBy: 'Works for',
};

const REVERSE_LABELS: Record<LinkRel, string> = {
  sponsoredBy: 'Sponsors',
  operatedBy: 'Runs',
  frontFor: 'Front companies',
  partOf: 'Includes',
  memberOf: 'Members',
  aliasOf: 'Also known as',
  employedBy: 'People',
};

function groupAliases(aliases: readonly Alias[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const alias of aliases) {
    const label = SCHEME_LABELS[alias.scheme];
    groups.set(label, [...(groups.get(label) ?? []), alias.text]);
  }
  return [...groups.entries()];
}

function RefButton({ entity, onSelect }: { entity: EntityRef; onSelect?: (id: string) => void }) {
  if (!onSelect) return <span>{entity.name}</span>;
  return (
    <button type="button" className="al-link-button" onClick={() => onSelect(entity.id)}>
      {entity.name}
    </button>
  );
}

export interface EntityFactsViewProps {
  facts: EntityFacts;
  /** How many attributions to list (the card shows the latest few). */
  maxEvents?: number;
  /** Navigate to another entity (popup); absent in the card. */
  onSelect?: (id: string) => void;
}

/** An entity's facts: who it is, aliases by vendor, sponsor chain and sourced attributions. */
export function EntityFactsView({
  facts,
  maxEvents = Number.POSITIVE_INFINITY,
  onSelect,
}: EntityFactsViewProps) {
  const { entity, sponsorChain, linkedFrom, events, names } = facts;
  const shownEvents = events.slice(0, maxEvents);
  const reverse = new Map<string, EntityRef[]>();
  for (const { rel, entity: from } of linkedFrom) {
    const label = REVERSE_LABELS[rel];
    reverse.set(label, [...(reverse.get(label) ?? []), from]);
  }
  const nameOf = (id: string) => names[id]?.name ?? id;
  return (
    <article className="al-facts" data-testid="entity-facts" data-entity={entity.id}>
      <header className="al-facts-header">
        <h2 className="al-facts-name">{entity.name}</h2>
        <span className={`al-kind al-kind-${entity.kind}`}>{KIND_LABELS[entity.kind]}</span>
        {entity.country ? <span className="al-country">{entity.country}</span> : null}
      </header>
      <p className="al-summary">{entity.summary}</p>

      {sponsorChain.length > 0 ? (
        <section className="al-section" data-testid="sponsor-chain">
          <h3>{CHAIN_LABELS[sponsorChain[0]?.rel ?? 'sponsoredBy']}</h3>
          <p className="al-chain">
            {sponsorChain.map((step, i) => (
              <span key={step.entity.id}>
                {i > 0 ? <span className="al-arrow"> → </span> : null}
                <RefButton entity={step.entity} onSelect={onSelect} />
              </span>
            ))}
            {sponsorChain.at(-1)?.entity.country ? (
              <span className="al-arrow"> ({sponsorChain.at(-1)?.entity.country})</span>
            ) : null}
          </p>
        </section>
      ) : null}

      {entity.aliases.length > 0 ? (
        <section className="al-section" data-testid="aliases">
          <h3>Also known as</h3>
          <dl className="al-aliases">
            {groupAliases(entity.aliases).map(([scheme, texts]) => (
              <div key={scheme} className="al-alias-row">
                <dt>{scheme}</dt>
                <dd>{texts.join(', ')}</dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}

      {[...reverse.entries()].map(([label, refs]) => (
        <section className="al-section" key={label}>
          <h3>{label}</h3>
          <p className="al-chain">
            {refs.map((ref, i) => (
              <span key={ref.id}>
                {i > 0 ? ', ' : null}
                <RefButton entity={ref} onSelect={onSelect} />
              </span>
            ))}
          </p>
        </section>
      ))}

      <section className="al-section" data-testid="attributions">
        <h3>
          Public attributions
          {events.length > shownEvents.length ? ` (latest ${shownEvents.length} of ${events.length})` : ''}
        </h3>
        {shownEvents.length === 0 ? (
          <p className="al-muted">No public government attribution recorded.</p>
        ) : (
          <ol className="al-events">
            {shownEvents.map((event) => (
              <li key={event.id} className="al-event" data-event={event.id}>
                <div className="al-event-head">
                  <time dateTime={event.date}>{event.date}</time>
                  <span className="al-event-kind">{EVENT_KIND_LABELS[event.kind]}</span>
                </div>
                <div className="al-event-title">{event.title}</div>
                <div className="al-event-meta">
                  By {event.attributors.map(nameOf).join(', ')}
                  {event.sponsor ? ` · names ${nameOf(event.sponsor)}` : ''}
                  {event.confidence ? <span className="al-confidence"> · “{event.confidence}”</span> : null}
                </div>
                <a className="al-source" href={event.url} target="_blank" rel="noopener noreferrer">
                  Official source ↗
                </a>
              </li>
            ))}
          </ol>
        )}
      </section>

      {entity.sources.length > 0 && maxEvents === Number.POSITIVE_INFINITY ? (
        <section className="al-section">
          <h3>Sources</h3>
          <ul className="al-sources">
            {entity.sources.map((source) => (
              <li key={source.url}>
                <a href={source.url} target="_blank" rel="noopener noreferrer">
                  {source.title}
                </a>
                {source.publisher ? ` — ${source.publisher}` : ''}
                {source.date ? `, ${source.date}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}
