// Generates the bench page: a deterministic (seeded PRNG) ~2 MB news-site page about cyber attacks,
// with header, nav, footer and many <article>s of prose, inline links and emphasis, lists, figures,
// blockquotes, IOC <code>, a little accented, CJK and Arabic text, and a few names per paragraph.
//
// The names come from a fixed list of names the press uses (most of them are in the built-in KB)
// and from every MISP threat-actor name, so the page does not change when the built-in KB grows
// (it does if the MISP file is absent).
import { prng } from './prng.mjs';

const PRESS_ACTORS = [
  'APT28',
  'Fancy Bear',
  'APT29',
  'Cozy Bear',
  'Midnight Blizzard',
  'Sandworm',
  'Sandworm Team',
  'APT44',
  'Volt Typhoon',
  'Salt Typhoon',
  'APT31',
  'APT40',
  'APT41',
  'APT10',
  'Lazarus Group',
  'Kimsuky',
  'Andariel',
  'APT38',
  'APT33',
  'APT34',
  'APT35',
  'Charming Kitten',
  'MuddyWater',
  'OilRig',
  'Turla',
  'Star Blizzard',
  'Forest Blizzard',
  'Seashell Blizzard',
  'Cold River',
  'Ember Bear',
  'Cadet Blizzard',
  'Nobelium',
  'Diamond Sleet',
  'Mint Sandstorm',
  'Peach Sandstorm',
  'CyberAv3ngers',
  'Double Dragon',
  'Violet Typhoon',
  'Brass Typhoon',
  'Comment Crew',
  'UNC2452',
  'Kryptonite Panda',
  'Wicked Panda',
  'Voodoo Bear',
];
const AGENCIES = [
  'GRU',
  'SVR',
  'FSB',
  'Ministry of State Security',
  'MSS',
  'Reconnaissance General Bureau',
  'Islamic Revolutionary Guard Corps',
  'IRGC',
  "People's Liberation Army",
  'Unit 26165',
  'Unit 74455',
  'Unit 29155',
  'Unit 61398',
  'Russian military intelligence',
  'Hubei State Security Department',
  'Ministry of Intelligence and Security',
];
const ATTRIBUTORS = [
  'the Communications Security Establishment',
  'CSE',
  'the Canadian Centre for Cyber Security',
  'the Cyber Centre',
  'the FBI',
  'the U.S. Department of Justice',
  'the Justice Department',
  'CISA',
  'the NSA',
  'GCHQ',
  "Britain's National Cyber Security Centre",
  'the NCSC',
  'the Five Eyes',
  'Global Affairs Canada',
  'the U.S. Treasury Department',
  'OFAC',
  'the Council of the European Union',
  'NATO',
  'the Australian Signals Directorate',
  'the State Department',
  'U.S. Cyber Command',
];
const COMPANIES = ['Huawei', 'Boyusec', 'Chosun Expo', 'Hainan Xiandun', 'Sichuan Juxinhe', 'Wuhan XRZ'];
const VICTIMS = [
  'a provincial health authority',
  'the House of Commons',
  'a regional water utility',
  'a Montréal hospital',
  'a defence contractor',
  'several municipal governments',
  'a Québec university',
  'a pipeline operator',
  'the Bundestag',
  'an Alberta energy company',
  'a telecommunications provider',
  'a major law firm',
  'a shipping company in Halifax',
  'a think-tank in Ottawa',
  'election officials',
  'a satellite operator',
  'a cryptocurrency exchange',
  'a São Paulo bank',
  'a Kraków logistics firm',
  'the Department of National Defence',
];
const SECTORS = [
  'energy',
  'health care',
  'telecommunications',
  'finance',
  'defence',
  'academia',
  'government',
  'critical infrastructure',
  'water treatment',
  'shipping',
  'aerospace',
  'media',
  'mining',
  'retail',
];
const REGIONS = [
  'North America',
  'Europe',
  'the Indo-Pacific',
  'the Middle East',
  'Eastern Europe',
  'Latin America',
];
const MALWARE = [
  'a custom backdoor',
  'a modified web shell',
  'a credential stealer',
  'a loader written in Go',
  'wiper malware',
  'a remote-access trojan',
  'a malicious browser extension',
  'a rootkit',
  'a phishing kit',
  'ransomware',
];
const PEOPLE = [
  'Marie Tremblay',
  'David Chen',
  'Amira Haddad',
  'Jonathan Okafor',
  'Sophie Lefèvre',
  'Priya Raman',
  'Thomas Müller',
  'Élise Gagnon',
  'Kenji Watanabe',
  'Olga Ivanova',
  'Carlos Núñez',
  'Hannah Schmidt',
];
const FIRMS = [
  'Mandiant',
  'CrowdStrike',
  'Microsoft',
  'Secureworks',
  'Kaspersky',
  'ESET',
  'Recorded Future',
  'Proofpoint',
];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const FOREIGN = [
  'Beijing called the report "groundless" (毫无根据) and accused Washington of hypocrisy.',
  'Chinese state media described the allegations as a smear campaign (抹黑) by the Five Eyes.',
  'In Tehran, officials dismissed the claims, and a statement titled «بيان رسمي» denied any role.',
  'A spokesman in Moscow said the accusations were «безосновательны», or baseless.',
  'Pyongyang’s state news agency did not respond; a commentary in 로동신문 attacked "hostile forces".',
  'Analysts at a café near Zürich’s main station compared notes on the intrusion’s tradecraft.',
  'The Sûreté du Québec said its investigators were co-operating with federal partners.',
  'A researcher in Tōkyō noted that the same infrastructure was used against Japanese firms in 2023.',
  'The word هكر appeared in the file names, which researchers said was likely a deliberate false flag.',
  'Documents seen by reporters were stamped 机密 (“confidential”) and dated last spring.',
];
const PLAIN = [
  'The breach was discovered during a routine audit of remote-access logs.',
  'Officials said no personal data appeared to have been taken, though the investigation is continuing.',
  'Experts cautioned that attribution in cyberspace is rarely a matter of certainty.',
  'The company said it had reset passwords and rebuilt affected servers over the weekend.',
  'Several of the compromised systems had not been patched for more than a year.',
  'It is not clear how long the intruders had access before they were detected.',
  'Outside experts said the operation appeared to focus on intelligence gathering rather than disruption.',
  'The department said it would brief affected organizations privately.',
  'Critics argued that the government had been slow to warn the public.',
  'Insurers have raised premiums sharply for organizations without multi-factor authentication.',
  'Some of the stolen documents later surfaced on a leak site, where they were offered for sale.',
  'The minister declined to say whether Canada would respond with sanctions of its own.',
  'Researchers said the phishing emails were well written and tailored to each recipient.',
  'Staff were told to stay off the network until the cleanup was complete.',
  'A spokesperson said the agency does not comment on specific operations.',
  'Several lawmakers called for a public inquiry into how the intrusion went unnoticed.',
  'The attackers appear to have bought access from a criminal broker rather than breaking in themselves.',
  'Backups allowed most services to be restored within two days, according to the utility.',
  'The sandworms of Dune, by contrast, made a brief appearance in a slide about science fiction.',
  'Officials were careful to distinguish between espionage, which all states practise, and sabotage.',
];

/** Sentence templates: {A} actor, {G} agency, {T} attributor, {V} victim, {S} sector, … */
const TEMPLATES = [
  '{T} said on {D} that {A} had gained access to networks at {V} as early as {M} {Y}.',
  'The group, also tracked as {A2}, has been linked by researchers to {G}.',
  'Investigators found that the intruders used {W} and a previously unknown flaw, {CVE}, to move laterally.',
  'It is not the first time {A} has been blamed for attacks on the {S} sector.',
  '{P}, a spokesperson for {T}, declined to comment on operational details.',
  'In a joint advisory, {T} and {T2} warned that {A} continues to target {S} organizations across {R}.',
  'According to {F}, the campaign shares infrastructure with earlier operations attributed to {A}.',
  '{T} assessed that it is "almost certain" that {A} is run by {G}.',
  'The indictment names officers of {G} and describes how {A} stole credentials from {V}.',
  '{F} researchers said {A}’s tooling had changed little since {Y}.',
  'Security firms have published more than {N} reports on {A} since {Y}.',
  'Sanctions announced by {T} target {C}, which officials describe as a front for {G}.',
  'Some analysts believe {A} and {A2} are the same operators working under different names.',
  'The activity overlaps with what {F} calls {A}, while others use the name {A2}.',
  '{A} has previously been accused of targeting {V}, {T} noted.',
  'A former official said {G} tasks several groups, including {A}, with collecting political intelligence.',
  '{P} of {F} said the intrusion at {V} bore the hallmarks of {A}.',
  'Officials in {R} have attributed at least {N} incidents to {A} over the past three years.',
];
const TITLES = [
  '{T} links {A} to breach at {V}',
  '{A} targeted {S} sector across {R}, report says',
  'Allies accuse {G} of running {A}',
  'Hackers tied to {G} hit {V}',
  'What we know about {A}',
  'Sanctions target {C} over ties to {A}',
];
const LIST_ITEMS = [
  'Update remote-access appliances and VPN gateways to the latest firmware.',
  'Enable phishing-resistant multi-factor authentication for all administrators.',
  'Review logs for connections to the infrastructure listed in the advisory.',
  'Treat any unexplained new account on a domain controller as an incident.',
  '{T} recommends segmenting operational technology from office networks.',
  'Indicators associated with {A} are listed in the appendix.',
];

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

/**
 * @param {{ mispNames: string[], targetChars?: number, seed?: number }} options
 * @returns {{ html: string, stats: { articles: number, paragraphs: number, namesPlaced: number, approxTextChars: number } }}
 */
export function generatePage({ mispNames, targetChars = 2_000_000, seed = 20260806 }) {
  const random = prng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chance = (p) => random() < p;
  const names = [...PRESS_ACTORS];
  const misp = mispNames.filter((n) => !/[<>&"]/.test(n));
  let namesPlaced = 0;
  let textChars = 0;

  // A name as it appears in prose: press names most often, MISP names for the long tail, sometimes
  // spelled "APT 31" / "APT-31", sometimes possessive, sometimes split by emphasis across elements.
  const actor = () => {
    namesPlaced++;
    let name = misp.length > 0 && chance(0.45) ? pick(misp) : pick(names);
    if (/^[A-Z]+\d+$/.test(name) && chance(0.15))
      name = name.replace(/(\D)(\d)/, chance(0.5) ? '$1 $2' : '$1-$2');
    return name;
  };
  const fill = (template) =>
    template.replace(/\{(\w+)\}/g, (_, key) => {
      switch (key) {
        case 'A':
        case 'A2':
          return actor();
        case 'G':
          namesPlaced++;
          return pick(AGENCIES);
        case 'T':
        case 'T2':
          namesPlaced++;
          return pick(ATTRIBUTORS);
        case 'C':
          namesPlaced++;
          return pick(COMPANIES);
        case 'V':
          return pick(VICTIMS);
        case 'S':
          return pick(SECTORS);
        case 'R':
          return pick(REGIONS);
        case 'W':
          return pick(MALWARE);
        case 'P':
          return pick(PEOPLE);
        case 'F':
          return pick(FIRMS);
        case 'D':
          return pick(WEEKDAYS);
        case 'M':
          return pick(MONTHS);
        case 'Y':
          return String(2014 + Math.floor(random() * 12));
        case 'N':
          return String(3 + Math.floor(random() * 60));
        case 'CVE':
          return `CVE-${2019 + Math.floor(random() * 7)}-${10000 + Math.floor(random() * 40000)}`;
        default:
          return key;
      }
    });

  // A sentence as HTML: text, sometimes with a link, emphasis or strong around part of it.
  const sentence = () => {
    let text;
    const r = random();
    if (r < 0.32) text = fill(pick(TEMPLATES));
    else if (r < 0.965) text = pick(PLAIN);
    else text = pick(FOREIGN);
    return text;
  };
  // One sentence in three gets a link or emphasis (a paragraph then has 3 text nodes, not 1).
  const inline = (text) => {
    const words = text.split(' ');
    if (words.length < 6) return escapeHtml(text);
    const r = random();
    if (r > 0.36) return escapeHtml(text);
    const at = 1 + Math.floor(random() * (words.length - 4));
    const len = 1 + Math.floor(random() * 3);
    const before = escapeHtml(words.slice(0, at).join(' '));
    const inner = escapeHtml(words.slice(at, at + len).join(' '));
    const after = escapeHtml(words.slice(at + len).join(' '));
    let wrapped;
    if (r < 0.18) wrapped = `<a href="/news/topic/${Math.floor(random() * 9000)}">${inner}</a>`;
    else if (r < 0.28) wrapped = `<em>${inner}</em>`;
    else wrapped = `<strong>${inner}</strong>`;
    return `${before} ${wrapped} ${after}`;
  };
  const paragraph = () => {
    const count = 4 + Math.floor(random() * 5);
    const withInline = Math.floor(random() * count);
    const parts = [];
    for (let i = 0; i < count; i++) {
      const s = sentence();
      textChars += s.length + 1;
      parts.push(i === withInline ? inline(s) : escapeHtml(s));
    }
    // Now and then a name split across inline elements, or an IOC in <code> (never scanned).
    if (chance(0.04)) {
      namesPlaced++;
      parts.push('Officials again named <em>Fancy</em> Bear as the likely culprit.');
      textChars += 60;
    }
    if (chance(0.05)) {
      parts.push(
        `The implant beaconed to <code>185.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.17</code>.`,
      );
      textChars += 40;
    }
    return `<p>${parts.join(' ')}</p>`;
  };

  const out = [];
  out.push(
    '<!doctype html>\n',
    '<html lang="en"><head><meta charset="utf-8"><title>Cyber attacks: the week in review | Bench News</title>',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<style>body{font:16px/1.5 Georgia,serif;margin:0 auto;max-width:760px;padding:0 16px}',
    'nav a{margin-right:12px}figure{margin:1em 0}blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1em}',
    'aside{font-size:14px;color:#555}code{font-family:monospace}</style>',
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Cyber attacks: the week in review"}</script>',
    '</head><body>',
    '<header class="site-header"><a href="/" class="logo">Bench News</a>',
    '<nav><a href="/news">News</a><a href="/news/canada">Canada</a><a href="/news/world">World</a>' +
      '<a href="/news/politics">Politics</a><a href="/news/technology">Technology</a><a href="/news/science">Science</a>' +
      '<a href="/news/business">Business</a><a href="/news/health">Health</a><a href="/news/arts">Arts</a></nav>',
    '<form role="search"><input type="search" placeholder="Search"><button>Search</button></form></header>',
    '<main>',
  );
  let articles = 0;
  let paragraphs = 0;
  while (textChars < targetChars) {
    articles++;
    const title = fill(pick(TITLES));
    textChars += title.length;
    out.push(
      `<article id="story-${articles}"><header><h2>${escapeHtml(title)}</h2>`,
      `<p class="byline">By ${escapeHtml(pick(PEOPLE))} · <time datetime="2026-0${1 + (articles % 9)}-1${articles % 10}">${pick(MONTHS)} ${1 + (articles % 28)}, 2026</time></p></header>`,
    );
    const count = 6 + Math.floor(random() * 9);
    for (let i = 0; i < count; i++) {
      paragraphs++;
      out.push(paragraph());
      if (i === 2 && chance(0.5)) {
        const caption = fill('A photo released by {T} shows equipment seized in the investigation into {A}.');
        textChars += caption.length;
        out.push(
          `<figure><img alt="" width="640" height="360"><figcaption>${escapeHtml(caption)}</figcaption></figure>`,
        );
      }
      if (i === 4 && chance(0.4)) {
        const quote = fill(pick(TEMPLATES));
        textChars += quote.length;
        out.push(
          `<blockquote><p>“${escapeHtml(quote)}”</p><footer>— ${escapeHtml(pick(PEOPLE))}</footer></blockquote>`,
        );
      }
      if (i === 5 && chance(0.35)) {
        const items = [0, 1, 2, 3].map(() => fill(pick(LIST_ITEMS)));
        textChars += items.join('').length;
        out.push(`<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`);
      }
    }
    const related = [0, 1, 2].map(() => fill(pick(TITLES)));
    textChars += related.join('').length;
    out.push(
      `<aside><h3>Related</h3><ul>${related.map((t, i) => `<li><a href="/news/story-${articles}-${i}">${escapeHtml(t)}</a></li>`).join('')}</ul></aside>`,
      '</article>\n',
    );
  }
  out.push(
    '</main>',
    '<footer class="site-footer"><nav><a href="/about">About</a><a href="/privacy">Privacy</a><a href="/terms">Terms</a>' +
      '<a href="/contact">Contact</a></nav><p>© 2026 Bench News. All rights reserved.</p></footer>',
    '</body></html>',
  );
  return { html: out.join(''), stats: { articles, paragraphs, namesPlaced, approxTextChars: textChars } };
}
