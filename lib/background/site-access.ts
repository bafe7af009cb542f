import { browser } from 'wxt/browser';

/** The content script file as built by WXT (registered again for opt-in sites). */
const CONTENT_SCRIPT_FILE = '/content-scripts/content.js';

/** Match patterns for one opt-in site key: `*.host` covers the host itself and its subdomains. */
export function originPatternsOf(siteKey: string): string[] {
  return [`*://*.${siteKey}/*`];
}

function registrationIdOf(siteKey: string): string {
  return `site-${siteKey}`;
}

/** True when the user granted the optional host permission for the site. */
export async function hasSiteAccess(siteKey: string): Promise<boolean> {
  try {
    return await browser.permissions.contains({ origins: originPatternsOf(siteKey) });
  } catch {
    return false;
  }
}

/**
 * Runs the content script on an opt-in site from now on (registered, persisted across sessions)
 * and injects it into the given open tabs. The script ignores a second injection.
 */
export async function startOnSite(siteKey: string, openTabIds: number[]): Promise<void> {
  const id = registrationIdOf(siteKey);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length === 0) {
    await browser.scripting.registerContentScripts([
      {
        id,
        matches: originPatternsOf(siteKey),
        js: [CONTENT_SCRIPT_FILE],
        // As for the default sites: fetch and compile the dictionary while the page loads.
        runAt: 'document_start',
        persistAcrossSessions: true,
      },
    ]);
  }
  for (const tabId of openTabIds) {
    try {
      await browser.scripting.executeScript({ target: { tabId }, files: [CONTENT_SCRIPT_FILE] });
    } catch {
      // A tab showing an error page or a browser page cannot be scripted; the next load will be.
    }
  }
}

/** Stops running on an opt-in site (pages already open are switched off by message). */
export async function stopOnSite(siteKey: string): Promise<void> {
  const id = registrationIdOf(siteKey);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [id] });
}
