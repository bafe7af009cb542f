/** Query parameters that only track where a reader came from; they never change the article. */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'mc_cid',
  'mc_eid',
  'igshid',
  'yclid',
  'ocid',
  'cmpid',
  'cmp',
  'ncid',
  'taid',
  'ito',
  'at_medium',
  'at_campaign',
  'at_custom1',
  'at_custom2',
  'at_custom3',
  'at_custom4',
  'sref',
  'smid',
  'ref',
  'ref_src',
  'referrer',
  'share',
  'cid',
  '__twitter_impression',
]);

function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || lower.startsWith('at_') || TRACKING_PARAMS.has(lower);
}

/**
 * The URL annotations are stored under: the page's rel=canonical when it is an http(s) URL on the
 * same site (publishers sometimes point it elsewhere by mistake), else the location; tracking
 * parameters, fragment and default port dropped, host lower-cased, remaining parameters sorted.
 */
export function canonicalPageUrl(location: string, canonicalHref?: string | null): string {
  const here = new URL(location);
  let chosen = here;
  if (canonicalHref) {
    try {
      const canonical = new URL(canonicalHref, here);
      const sameSite = registrableTail(canonical.hostname) === registrableTail(here.hostname);
      if ((canonical.protocol === 'https:' || canonical.protocol === 'http:') && sameSite) chosen = canonical;
    } catch {
      // A malformed canonical link is the page's problem: fall back to the location.
    }
  }
  const url = new URL(chosen.href);
  url.hash = '';
  url.hostname = url.hostname.toLowerCase();
  const kept = [...url.searchParams.entries()].filter(([name]) => !isTrackingParam(name));
  kept.sort(([a], [b]) => a.localeCompare(b));
  url.search = '';
  for (const [name, value] of kept) url.searchParams.append(name, value);
  return url.href;
}

/** Last two labels of a host ("www.cbc.ca" → "cbc.ca"): enough to tell a site from another. */
function registrableTail(host: string): string {
  return host.toLowerCase().split('.').slice(-2).join('.');
}
