// Without a browser: follow an authorization URL's redirects by hand (keeping the cookies the server sets on
// the way, as a browser would) until they reach the redirect URI. Servers that approve at once (test servers,
// already-consented sessions) end there; a server that shows a login or consent page stops the walk, and a
// person has to open the URL. Used by the CLI and by tests.
import type { CallbackParams } from './flow';

export type RedirectWalk =
  | { kind: 'callback'; callbackUrl: string; params: CallbackParams; hops: number }
  | { kind: 'interactive'; url: string; status: number; hops: number };

export interface FollowOptions {
  redirectUri: string;
  fetch?: typeof fetch;
  /** Default 15. */
  maxRedirects?: number;
}

/** The parameters of a redirect to the callback (query, or fragment for servers that answer that way). */
export function callbackParamsFromUrl(url: string | URL): CallbackParams {
  const parsed = new URL(url);
  const source = parsed.search.length > 1 ? parsed.searchParams : new URLSearchParams(parsed.hash.replace(/^#/, ''));
  const params: CallbackParams = {};
  const state = source.get('state');
  const code = source.get('code');
  const error = source.get('error');
  const description = source.get('error_description');
  const iss = source.get('iss');
  if (state !== null) params.state = state;
  if (code !== null) params.code = code;
  if (error !== null) params.error = error;
  if (description !== null) params.errorDescription = description;
  if (iss !== null) params.iss = iss;
  return params;
}

export async function followAuthorizationRedirects(authorizationUrl: string, options: FollowOptions): Promise<RedirectWalk> {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const target = new URL(options.redirectUri);
  const max = options.maxRedirects ?? 15;
  const jar = new Map<string, Map<string, string>>();
  let url = new URL(authorizationUrl);
  for (let hops = 0; ; hops++) {
    if (url.origin === target.origin && url.pathname === target.pathname) {
      return { kind: 'callback', callbackUrl: url.href, params: callbackParamsFromUrl(url), hops };
    }
    if (hops >= max) return { kind: 'interactive', url: url.href, status: 0, hops };
    const cookies = jar.get(url.origin);
    const headers: Record<string, string> = { accept: 'text/html,application/xhtml+xml' };
    if (cookies && cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await doFetch(url.href, { redirect: 'manual', headers });
    keepCookies(jar, url.origin, response.headers.getSetCookie());
    const location = response.headers.get('location');
    await response.body?.cancel().catch(() => undefined);
    if (response.status < 300 || response.status >= 400 || !location) {
      return { kind: 'interactive', url: url.href, status: response.status, hops };
    }
    url = new URL(location, url);
  }
}

function keepCookies(jar: Map<string, Map<string, string>>, origin: string, setCookies: string[]): void {
  if (setCookies.length === 0) return;
  let cookies = jar.get(origin);
  if (!cookies) {
    cookies = new Map();
    jar.set(origin, cookies);
  }
  for (const line of setCookies) {
    const [pair, ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((a) => {
      const [k, v] = a.split('=').map((s) => s.trim().toLowerCase());
      return (k === 'max-age' && Number(v) <= 0) || (k === 'expires' && Date.parse(v) <= Date.now());
    });
    if (expired || value === '') cookies.delete(name);
    else cookies.set(name, value);
  }
}
