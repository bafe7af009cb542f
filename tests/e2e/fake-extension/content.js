// Throwaway stand-in for the real content script, used only to prove the e2e harness.
// A naive matcher implementing the fixture rules (case-sensitive, word boundaries, longest match,
// spans inline elements, block boundaries separate words, forbidden elements skipped).
(() => {
  const BAD = false; // selftest.mjs flips this in a temporary copy
  const ALIASES = {
    apt31: [
      'APT31',
      'Advanced Persistent Threat 31',
      'Zirconium',
      'Violet Typhoon',
      'Judgment Panda',
      'Bronze Vinewood',
    ],
    'cn-mss': ['Ministry of State Security', 'MSS'],
    'ca-cse': ['Communications Security Establishment', 'CSE'],
    'ca-cccs': ['Canadian Centre for Cyber Security', 'Cyber Centre'],
    'ca-gac': ['Global Affairs Canada'],
    'five-eyes': ['Five Eyes', 'Five Eye'],
    'us-fbi': ['FBI'],
    'us-treasury': ['U.S. Treasury Department', 'Treasury Department'],
    'us-doj': ['U.S. Department of Justice', 'Justice Department'],
    'us-dhs': ['Department of Homeland Security', 'Homeland Security'],
    'wuhan-xiaoruizhi': ['Wuhan Xiaoruizhi Science and Technology'],
    huawei: ['Huawei Technologies', 'Huawei'],
    apt10: ['APT10', 'Stone Panda', 'menuPass', 'Cloud Hopper'],
    'huaying-haitai': ['Huaying Haitai'],
    'cn-mss-tianjin': ['Tianjin State Security Bureau'],
    'gb-ncsc': ['National Cyber Security Centre', 'NCSC'],
  };
  if (BAD) ALIASES.bogus = ['Security'];
  const AMBIGUOUS = new Set(['Zirconium']);
  const byText = new Map();
  for (const [id, list] of Object.entries(ALIASES)) for (const t of list) byText.set(t, id);
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const alts = [...byText.keys()]
    .sort((a, b) => b.length - a.length)
    .map(esc)
    .join('|');
  const re = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alts})(?![\\p{L}\\p{N}_])`, 'gu');
  const FORBIDDEN =
    'script,style,noscript,textarea,input,select,option,code,pre,svg,math,[contenteditable],attrib-lens-ui,attrib-mark';

  const blockOf = (n) => {
    for (let e = n.parentElement; e; e = e.parentElement) {
      const d = getComputedStyle(e).display;
      if (!d.startsWith('inline') && d !== 'contents') return e;
    }
    return null;
  };

  function scan() {
    let flat = '';
    const segs = [];
    let sep = false;
    let lastBlock = null;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode(n) {
        if (n.nodeType === 1) {
          if (n.matches(FORBIDDEN)) {
            sep = true;
            return NodeFilter.FILTER_REJECT;
          }
          if (n.localName === 'br') sep = true;
          return NodeFilter.FILTER_SKIP;
        }
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const b = blockOf(n);
      if (sep || b !== lastBlock) flat += '\n';
      sep = false;
      lastBlock = b;
      segs.push({ node: n, start: flat.length });
      flat += n.data;
    }
    const matches = [];
    for (const m of flat.matchAll(re)) {
      if (AMBIGUOUS.has(m[0])) {
        const ctx = flat.slice(Math.max(0, m.index - 200), m.index + m[0].length + 200);
        if (!/hack|cyber|threat|espionage/i.test(ctx)) continue;
      }
      matches.push({ s: m.index, e: m.index + m[0].length, id: byText.get(m[0]) });
    }
    const locate = (pos, isEnd) => {
      // last segment whose start <= pos (for an end, < pos)
      let lo = 0,
        hi = segs.length - 1,
        k = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (isEnd ? segs[mid].start < pos : segs[mid].start <= pos) {
          k = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return { node: segs[k].node, offset: pos - segs[k].start };
    };
    const idx = (n) => Array.prototype.indexOf.call(n.parentNode.childNodes, n);
    const len = (n) => (n.nodeType === 3 ? n.data.length : n.childNodes.length);
    const todo = BAD ? matches.slice(1) : matches;
    for (let i = todo.length - 1; i >= 0; i--) {
      const { s, e, id } = todo[i];
      const a = locate(s, false);
      const z = locate(e, true);
      let sc = a.node,
        so = a.offset,
        ec = z.node,
        eo = z.offset;
      while (so === 0 && sc.parentNode && !sc.contains(ec)) {
        so = idx(sc);
        sc = sc.parentNode;
        if (so !== 0) break;
      }
      while (eo === len(ec) && ec.parentNode && !ec.contains(sc)) {
        eo = idx(ec) + 1;
        ec = ec.parentNode;
        if (eo !== len(ec)) break;
      }
      const r = document.createRange();
      r.setStart(sc, so);
      r.setEnd(ec, eo);
      const mark = document.createElement('attrib-mark');
      mark.dataset.attribEntity = id;
      mark.appendChild(r.extractContents());
      r.insertNode(mark);
    }
    if (BAD) {
      const ce = document.querySelector('[contenteditable]');
      if (ce) ce.append(document.createElement('attrib-mark'));
      console.error('fake extension: deliberate error');
    }
    const host = document.createElement('attrib-lens-ui');
    const root = host.attachShadow({ mode: 'closed' });
    const card = document.createElement('div');
    card.className = 'card';
    card.textContent = `Attribution Lens: ${todo.length} highlights`;
    root.append(card);
    document.documentElement.append(host);
    performance.mark('attrib-lens:scan-done', {
      detail: { marks: document.querySelectorAll('attrib-mark').length },
    });
  }
  if (!BAD || !location.pathname.includes('technology')) scan();
})();
