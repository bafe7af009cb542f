/**
 * Sites where highlighting is on by default (../shared/DESIGN.md "Contracts"), all subdomains,
 * http and https. Other sites are opt-in.
 */
export const DEFAULT_SITES = [
  'cbc.ca',
  'theglobeandmail.com',
  'reuters.com',
  'apnews.com',
  'bbc.com',
  'bbc.co.uk',
  'theguardian.com',
  'nytimes.com',
  'washingtonpost.com',
  'ctvnews.ca',
  'globalnews.ca',
  'therecord.media',
  'bleepingcomputer.com',
  'theregister.com',
  'arstechnica.com',
  'wired.com',
  'securityweek.com',
  'cyberscoop.com',
  'darkreading.com',
] as const;

/** Match patterns for the content script: `*.site` covers the site itself and its subdomains. */
export const DEFAULT_SITE_MATCHES: string[] = DEFAULT_SITES.map((site) => `*://*.${site}/*`);

/** The default site a host belongs to ("www.cbc.ca" → "cbc.ca"), or undefined. */
export function defaultSiteOf(host: string): string | undefined {
  const lower = host.toLowerCase().replace(/\.$/, '');
  return DEFAULT_SITES.find((site) => lower === site || lower.endsWith(`.${site}`));
}

/** The key a per-site preference is stored under: the default site, else the host itself. */
export function siteKeyOf(host: string): string {
  return defaultSiteOf(host) ?? host.toLowerCase();
}
