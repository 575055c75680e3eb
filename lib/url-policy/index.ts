// Which URLs from a server (or its OAuth metadata) mcpscope may navigate to, fetch, or show as a link. Servers
// nobody vetted choose these strings: a `javascript:` authorization endpoint navigated to with
// `location.assign` runs on mcpscope's origin, where it can read `/api/tokens` and act as the person. Only
// `https:` passes everywhere; `http:` passes where the caller's rule allows it (lib/security decides by mode);
// every other scheme (javascript:, data:, vbscript:, blob:, file:, ...), relative and protocol-relative URLs,
// and strings with control characters are refused. The URL used afterwards is always the parsed, normalised
// `href` this check returns, never the raw string, so what was checked is exactly what is used.
// Pure (no DOM, no Node): the server checks in OAuth discovery, the browser again right before it navigates.

/** Why a URL was refused (stable codes; `message` says it for a person). */
export type UrlRefusalReason =
  'not_a_string' | 'empty' | 'control_characters' | 'not_absolute' | 'unparsable' | 'scheme_forbidden' | 'http_forbidden';

/**
 * Whether plain `http:` is acceptable: `allow`, `refuse`, or a decision per URL with the sentence that explains a
 * refusal (e.g. hosted mode: only allow-listed hosts).
 */
export type HttpRule = 'allow' | 'refuse' | { allows: (url: URL) => boolean; refusal: string };

export type UrlVerdict =
  { ok: true; href: string; url: URL; secure: boolean } | { ok: false; reason: UrlRefusalReason; scheme?: string; message: string };

export interface UrlCheckOptions {
  /** What the URL is, for the message: "The authorization_endpoint". Default "The URL". */
  what?: string;
  /** Default `allow`: the browser's last check keeps script out; the server applies the mode's rule. */
  http?: HttpRule;
}

/** The error code (API, OAuth flow) and finding code for a refused server URL. */
export const UNSAFE_URL_CODE = 'unsafe_url';

// C0 controls, DEL and C1 controls: the URL parser drops tabs and newlines anywhere (`java\nscript:` is
// `javascript:`) and trims the rest at the ends; a URL a server means honestly has none of them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const MAX_SHOWN = 96;

const SCHEME_DANGER: Record<string, string> = {
  'javascript:': 'runs script in the page that opens it',
  'vbscript:': 'runs script in the page that opens it',
  'data:': 'carries a whole document of the server’s choosing',
  'blob:': 'names bytes held by some page, not a server',
  'file:': 'points at a file on the viewer’s own machine',
  'filesystem:': 'points at browser storage, not a server',
};

/** The URL, shortened and without control characters, for quoting in a message. */
export function quoteUrl(value: string): string {
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
  return JSON.stringify(clean.length > MAX_SHOWN ? `${clean.slice(0, MAX_SHOWN)}…` : clean);
}

/** The scheme a browser would read from the string (after its own clean-up), lower case, or undefined. */
function schemeOf(value: string): string | undefined {
  const cleaned = value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(cleaned);
  return match ? `${match[1]!.toLowerCase()}:` : undefined;
}

function refuse(reason: UrlRefusalReason, message: string, scheme?: string): UrlVerdict {
  return { ok: false, reason, message, ...(scheme ? { scheme } : {}) };
}

/**
 * Checks one server-supplied URL. `ok` carries the normalised `href` to use instead of the input. Refused:
 * anything not a string, empty, with control characters or surrounding spaces, relative (`/x`, `//evil`),
 * unparsable, any scheme but https/http, and http where `options.http` does not allow it.
 */
export function checkServerUrl(value: unknown, options: UrlCheckOptions = {}): UrlVerdict {
  const what = options.what ?? 'The URL';
  const allowed = 'mcpscope opens only https: URLs from servers (http: where the configuration allows it)';
  if (typeof value !== 'string')
    return refuse('not_a_string', `${what} is not a string (${value === null ? 'null' : typeof value}), so it is not a URL; ${allowed}.`);
  if (value.length === 0) return refuse('empty', `${what} is empty; ${allowed}.`);
  const scheme = schemeOf(value);
  if (CONTROL.test(value) || value.trim() !== value) {
    const readAs = scheme ? `: a browser reads it as a ${scheme} URL` : '';
    return refuse(
      'control_characters',
      `${what} ${quoteUrl(value)} contains control characters or surrounding spaces, which browsers silently drop${readAs}; ${allowed}, so it was not used.`,
      scheme,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    if (scheme === undefined && isRelative(value)) {
      return refuse(
        'not_absolute',
        `${what} ${quoteUrl(value)} is not an absolute URL (a relative or protocol-relative reference would resolve against mcpscope itself); ${allowed}.`,
      );
    }
    return refuse('unparsable', `${what} ${quoteUrl(value)} is not a valid URL; ${allowed}.`, scheme);
  }
  const protocol = url.protocol;
  if (protocol === 'https:') return { ok: true, href: url.href, url, secure: true };
  if (protocol === 'http:') {
    const rule = options.http ?? 'allow';
    if (rule === 'allow' || (rule !== 'refuse' && rule.allows(url))) return { ok: true, href: url.href, url, secure: false };
    const why = rule === 'refuse' ? 'plain http: is not allowed here' : rule.refusal;
    return refuse('http_forbidden', `${what} ${quoteUrl(value)} is a plain http: URL: ${why}.`, protocol);
  }
  const danger = SCHEME_DANGER[protocol];
  return refuse(
    'scheme_forbidden',
    `${what} ${quoteUrl(value)} is a ${protocol} URL${danger ? `, which ${danger}` : ''}; ${allowed}, so it was not used.`,
    protocol,
  );
}

function isRelative(value: string): boolean {
  try {
    new URL(value, 'https://relative.invalid/');
    return true;
  } catch {
    return false;
  }
}

/** The normalised href to put in a link or navigate to, or undefined when the URL is refused. */
export function safeServerHref(value: unknown, options: UrlCheckOptions = {}): string | undefined {
  const verdict = checkServerUrl(value, options);
  return verdict.ok ? verdict.href : undefined;
}

/**
 * The URL a person probably meant when they typed a server address without its scheme (`localhost:3000/mcp`,
 * `example.com/mcp`): `http://` in front, or undefined when the text is not such an address. The server's
 * "Did you mean" and the connect screen's button share this one rule.
 */
export function schemeSuggestion(typed: string): string | undefined {
  const raw = typed.trim();
  if (!/^[\w.-]+(:\d+)?(\/|$)/.test(raw)) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  // `localhost:3000/mcp` parses, with "localhost:" as its scheme; `example.com/mcp` does not parse at all.
  if (parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) return undefined;
  if (parsed && !/^[\w.-]+:\d+(\/|$)/.test(raw)) return undefined;
  return `http://${raw}`;
}
