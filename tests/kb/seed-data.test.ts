import { describe, expect, it } from 'vitest';
import { checkIntegrity, type Entity } from '@/lib/kb/schema';
import { loadBuiltinKnowledgeBase } from '@/lib/kb/seed';

/** Ids other parts of the extension and its tests rely on, with the name each must carry. */
const REQUIRED: Record<string, string> = {
  apt31: 'APT31',
  'cn-mss': 'Ministry of State Security',
  'cn-mss-hubei': 'Hubei State Security Department',
  'cn-mss-tianjin': 'Tianjin State Security Bureau',
  apt10: 'APT10',
  'huaying-haitai': 'Huaying Haitai',
  'wuhan-xiaoruizhi': 'Wuhan Xiaoruizhi Science and Technology',
  huawei: 'Huawei Technologies',
  'ca-cse': 'Communications Security Establishment',
  'ca-cccs': 'Canadian Centre for Cyber Security',
  'ca-gac': 'Global Affairs Canada',
  'five-eyes': 'Five Eyes',
  'us-fbi': 'FBI',
  'us-doj': 'U.S. Department of Justice',
  'us-treasury': 'U.S. Treasury Department',
  'us-ofac': 'Office of Foreign Assets Control',
  'us-dhs': 'Department of Homeland Security',
  'us-cisa': 'Cybersecurity and Infrastructure Security Agency',
  'us-nsa': 'National Security Agency',
  'us-state': 'U.S. State Department',
  'gb-ncsc': 'National Cyber Security Centre',
  'gb-gchq': 'GCHQ',
  'gb-fcdo': 'Foreign, Commonwealth and Development Office',
  'au-asd': 'Australian Signals Directorate',
  'au-acsc': 'Australian Cyber Security Centre',
  'nz-gcsb': 'Government Communications Security Bureau',
  'eu-council': 'Council of the European Union',
  nato: 'NATO',
  'ru-gru': 'GRU',
  'ru-gru-26165': 'Unit 26165',
  'ru-gru-74455': 'Unit 74455',
  'ru-gru-29155': 'Unit 29155',
  'ru-svr': 'SVR',
  'ru-fsb': 'FSB',
  'ru-fsb-center-16': 'FSB Center 16',
  'ru-fsb-center-18': 'FSB Center 18',
  apt28: 'APT28',
  apt29: 'APT29',
  sandworm: 'Sandworm Team',
  turla: 'Turla',
  'star-blizzard': 'Star Blizzard',
  'kp-rgb': 'Reconnaissance General Bureau',
  lazarus: 'Lazarus Group',
  apt38: 'APT38',
  kimsuky: 'Kimsuky',
  andariel: 'Andariel',
  'ir-irgc': 'Islamic Revolutionary Guard Corps',
  'ir-irgc-cec': 'IRGC Cyber-Electronic Command',
  'ir-mois': 'Ministry of Intelligence and Security',
  apt33: 'APT33',
  apt34: 'APT34',
  apt35: 'APT35',
  muddywater: 'MuddyWater',
  cyberav3ngers: 'CyberAv3ngers',
  'us-cybercom': 'U.S. Cyber Command',
  apt40: 'APT40',
  'cn-mss-hainan': 'Hainan State Security Department',
  'hainan-xiandun': 'Hainan Xiandun Technology Development Co.',
  apt41: 'APT41',
  'chengdu-404': 'Chengdu 404 Network Technology',
  'volt-typhoon': 'Volt Typhoon',
  apt1: 'APT1',
  'cn-pla-61398': 'Unit 61398',
  'cn-pla': "People's Liberation Army",
  apt3: 'APT3',
  boyusec: 'Boyusec',
};

/**
 * Entities that official sources tie only to a state, not to a named agency or company (or, for
 * Huawei, that are not state actors at all). They carry a country instead of a link.
 */
const UNLINKED_BY_DESIGN = new Set(['volt-typhoon', 'salt-typhoon', 'apt33', 'apt34', 'apt35', 'huawei']);

/** Surface forms used by the two seed articles in /work/shared/seeds that must be matchable. */
const SEED_ARTICLE_FORMS: Record<string, string[]> = {
  apt31: ['APT31', 'Advanced Persistent Threat 31'],
  'cn-mss': ['Ministry of State Security', 'MSS'],
  'ca-cse': ['Communications Security Establishment', 'CSE'],
  'ca-cccs': ['Cyber Centre', 'Canadian Centre for Cyber Security'],
  'ca-gac': ['Global Affairs Canada'],
  'five-eyes': ['Five Eyes', 'Five Eye'],
  'us-treasury': ['Treasury Department'],
  'us-fbi': ['FBI'],
  'us-dhs': ['Homeland Security'],
  'wuhan-xiaoruizhi': ['Wuhan Xiaoruizhi Science and Technology'],
  huawei: ['Huawei Technologies', 'Huawei'],
};

const kb = loadBuiltinKnowledgeBase();
const byId = new Map<string, Entity>(kb.entities.map((entity) => [entity.id, entity]));
const surfaceForms = (entity: Entity): string[] => [
  entity.name,
  ...entity.aliases.map((alias) => alias.text),
];

describe('loadBuiltinKnowledgeBase', () => {
  it('parses every seed file without throwing', () => {
    expect(() => loadBuiltinKnowledgeBase()).not.toThrow();
    expect(kb.entities.length).toBeGreaterThan(0);
    expect(kb.events.length).toBeGreaterThan(0);
  });

  it('passes the integrity check with no problems', () => {
    expect(checkIntegrity(kb)).toEqual([]);
  });

  it('gives every event an ISO date and an https source url', () => {
    for (const event of kb.events) {
      expect(event.date, event.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(event.date)), event.id).toBe(false);
      expect(new URL(event.url).protocol, event.id).toBe('https:');
    }
  });

  it('gives every source an https url and every dated source an ISO date', () => {
    for (const entity of kb.entities) {
      for (const source of entity.sources) {
        expect(new URL(source.url).protocol, entity.id).toBe('https:');
        if (source.date) expect(source.date, entity.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
  });

  it('links every company to the rest of the graph (companies are here because of a tie)', () => {
    const linked = new Set<string>();
    for (const entity of kb.entities) {
      if (entity.links.length > 0) linked.add(entity.id);
      for (const link of entity.links) linked.add(link.target);
    }
    for (const entity of kb.entities) {
      if (entity.kind !== 'company' || UNLINKED_BY_DESIGN.has(entity.id)) continue;
      expect(linked.has(entity.id), `${entity.id} has no link`).toBe(true);
    }
  });

  it('never links to a placeholder: every link target is a real entity with a summary of its own', () => {
    for (const entity of kb.entities) {
      for (const link of entity.links) {
        const target = byId.get(link.target);
        expect(target?.name, `${entity.id} → ${link.target}`).not.toMatch(/not named|unknown|placeholder/i);
      }
    }
  });

  it('gives every agency and company a country, and every actor, agency and company a source', () => {
    // Actors may lack a country: criminal groups whose base no government has stated.
    for (const entity of kb.entities) {
      if (!['actor', 'agency', 'company'].includes(entity.kind)) continue;
      if (entity.kind !== 'actor') expect(entity.country, entity.id).toMatch(/^[A-Z]{2}$/);
      expect(entity.sources.length, entity.id).toBeGreaterThan(0);
    }
  });

  it('never starts a name with a country possessive ("China\'s …" would highlight the country)', () => {
    const countryPossessive =
      /^(China|Japan|Singapore|Taiwan|Russia|Iran|Korea|North Korea|South Korea|Canada|Britain|America|Australia|Germany|France|Israel|Ukraine|Vietnam|India|Pakistan|Belarus|Turkey|Beijing|Moscow|Tehran|Pyongyang)('s|’s)\s/;
    for (const entity of kb.entities) {
      for (const text of surfaceForms(entity)) expect(text, entity.id).not.toMatch(countryPossessive);
    }
  });

  it('contains every required id with its expected name', () => {
    for (const [id, name] of Object.entries(REQUIRED)) {
      expect(byId.get(id)?.name, id).toBe(name);
    }
  });

  it('covers the surface forms used by the seed articles', () => {
    for (const [id, forms] of Object.entries(SEED_ARTICLE_FORMS)) {
      const entity = byId.get(id);
      expect(entity, id).toBeDefined();
      for (const form of forms) expect(surfaceForms(entity as Entity), id).toContain(form);
    }
  });

  it('links the seed-article groups to the agencies named in the indictments', () => {
    const has = (id: string, rel: string, target: string) =>
      byId.get(id)?.links.some((link) => link.rel === rel && link.target === target) ?? false;
    expect(has('apt31', 'sponsoredBy', 'cn-mss-hubei')).toBe(true);
    expect(has('apt10', 'sponsoredBy', 'cn-mss-tianjin')).toBe(true);
    expect(has('cn-mss-hubei', 'partOf', 'cn-mss')).toBe(true);
    expect(has('cn-mss-tianjin', 'partOf', 'cn-mss')).toBe(true);
    expect(has('wuhan-xiaoruizhi', 'frontFor', 'cn-mss-hubei')).toBe(true);
    expect(has('huaying-haitai', 'frontFor', 'cn-mss-tianjin')).toBe(true);
    expect(has('ca-cccs', 'partOf', 'ca-cse')).toBe(true);
  });

  it('flags chemical-element and ordinary-word aliases as ambiguous', () => {
    const mustBeAmbiguous = [
      'Zirconium',
      'Potassium',
      'Lazarus',
      'Sandworm',
      'Turla',
      'Snake',
      'Strontium',
      'Zinc',
    ];
    for (const text of mustBeAmbiguous) {
      const aliases = kb.entities.flatMap((entity) => entity.aliases.filter((alias) => alias.text === text));
      expect(aliases.length, text).toBeGreaterThan(0);
      for (const alias of aliases) expect(alias.ambiguous, text).toBe(true);
    }
  });

  it('records the CSE 2018 APT10 statement with its stated confidence', () => {
    const event = kb.events.find((e) => e.attributors.includes('ca-cse') && e.actors.includes('apt10'));
    expect(event?.date).toBe('2018-12-20');
    expect(event?.confidence).toBe('almost certain');
  });
});
