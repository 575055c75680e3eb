// What an admitted answer carries besides its content: the same for what Next serves (proxy.ts) and for the first
// page the front server serves while Next starts (lib/app-shell).
import { ADMITTED_HEADERS } from './admit';
import { newOwnerId, ownerCookieHeader } from './owner';
import type { SecuritySettings } from './settings';

/** Whether browsers reach mcpscope over https (its cookies are then Secure). */
export function servedOverHttps(settings: Pick<SecuritySettings, 'publicOrigin'>, forwardedProto: string | null | undefined): boolean {
  return settings.publicOrigin.startsWith('https:') || forwardedProto === 'https';
}

/**
 * ADMITTED_HEADERS, and for a page view by a browser without a (valid) owner cookie a new owner's cookie: otherwise
 * the page's first API calls (saved servers, live sessions, the launch token) would each mint a different owner in
 * parallel, and whichever cookie came last would orphan what the others made.
 */
export function admittedAnswerHeaders(facts: { owner: string | undefined; pageView: boolean; secure: boolean }): Array<[string, string]> {
  const headers: Array<[string, string]> = Object.entries(ADMITTED_HEADERS);
  if (!facts.owner && facts.pageView) headers.push(['Set-Cookie', ownerCookieHeader(newOwnerId(), facts.secure)]);
  return headers;
}
