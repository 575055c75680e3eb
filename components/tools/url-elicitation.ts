// JSON-RPC error -32042, URLElicitationRequiredError (MCP 2025-11-25, client/elicitation § "URL Elicitation
// Required Error"): the request cannot go on until the person completes one or more URL-mode elicitations,
// listed in `error.data.elicitations` as `{mode: "url", elicitationId, url, message}`. The spec's client rules
// shape what is offered: never open or pre-fetch a URL by itself, show the full URL and its domain before the
// person chooses to open it, warn on ambiguous hosts (Punycode), and make only that `url` clickable.

import { checkServerUrl } from '@/lib/url-policy';
import { isJsonObject } from '@/lib/json';

export const URL_ELICITATION_REQUIRED = -32042;

export interface UrlElicitationItem {
  elicitationId: string;
  /** What the server says the page is for. */
  message: string;
  /** The URL exactly as the server sent it (normalised by the URL parser). */
  url: string;
  /** The part a person must check: the host (with the port when there is one). */
  host: string;
  /** The URL split around the host, so the host can be highlighted inside the full URL. */
  parts: { before: string; host: string; after: string };
  /** Reasons to look twice before opening it. */
  warnings: string[];
}

export interface UrlElicitationRequired {
  items: UrlElicitationItem[];
  /** Entries that break the spec's shape; shown as such, never as links. */
  invalid: string[];
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function warningsFor(url: URL): string[] {
  const warnings: string[] = [];
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    warnings.push('Not HTTPS: what you type on this page travels unencrypted (the spec asks servers for HTTPS outside development).');
  }
  if (url.hostname.split('.').some((label) => label.startsWith('xn--'))) {
    warnings.push('The domain is written in Punycode (xn--…): it may be made of look-alike characters imitating another domain.');
  }
  if (url.username || url.password) {
    warnings.push('The URL carries a user name before “@”, a common way to make a link look like it goes to another site.');
  }
  return warnings;
}

/** The -32042 error's elicitations, checked against the spec; undefined for any other error. */
export function parseUrlElicitationRequired(error: { code: number; message?: string; data?: unknown }): UrlElicitationRequired | undefined {
  if (error.code !== URL_ELICITATION_REQUIRED) return undefined;
  const list = isJsonObject(error.data) ? error.data.elicitations : undefined;
  if (!Array.isArray(list)) {
    return {
      items: [],
      invalid: ['error.data.elicitations is missing or not a list: the spec says the error MUST list the elicitations to complete.'],
    };
  }
  const items: UrlElicitationItem[] = [];
  const invalid: string[] = [];
  list.forEach((entry, index) => {
    const where = `elicitations[${index}]`;
    if (!isJsonObject(entry)) {
      invalid.push(`${where} is not an object.`);
      return;
    }
    if (entry.mode !== 'url') {
      invalid.push(`${where} has mode ${JSON.stringify(entry.mode)}; every elicitation in this error MUST be a URL mode elicitation.`);
      return;
    }
    if (typeof entry.elicitationId !== 'string' || entry.elicitationId === '') {
      invalid.push(`${where} has no elicitationId, which the spec requires.`);
      return;
    }
    // The shared URL policy: javascript:, data:, relative and the like are listed, never linked.
    const verdict = checkServerUrl(entry.url, { what: `${where}.url` });
    if (!verdict.ok) {
      invalid.push(verdict.message);
      return;
    }
    const { url, href } = verdict;
    const userinfo = url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
    const before = `${url.protocol}//${userinfo}`;
    const parts = href.startsWith(before + url.host)
      ? { before, host: url.host, after: href.slice(before.length + url.host.length) }
      : { before: '', host: url.host, after: href };
    items.push({
      elicitationId: entry.elicitationId,
      message: typeof entry.message === 'string' ? entry.message : '',
      url: href,
      host: url.host,
      parts,
      warnings: warningsFor(url),
    });
  });
  return { items, invalid };
}
