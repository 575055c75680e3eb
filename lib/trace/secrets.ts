// Masking at capture: secrets never enter the log. The last 4 characters stay visible so a person can
// still tell two tokens apart ("is this the refreshed one?") without the log being usable as a credential.
import type { HeaderList } from './types';

export const MASK = '••••';

/** `••••abcd`; values of 8 characters or fewer become `••••` (4 visible characters would give away half). */
export function maskSecret(value: string): string {
  return value.length <= 8 ? MASK : MASK + value.slice(-4);
}

/** Shorter values would mask innocent text (a 3-letter token matches everywhere). */
export const MIN_SECRET_LENGTH = 6;

/**
 * Known secret values (tokens, API keys, client secrets...). `maskText` replaces every occurrence, in the
 * spellings a value takes on the wire: as is, percent-encoded (URLs, form bodies) and JSON-escaped.
 */
export class SecretSet {
  private readonly replacements = new Map<string, string>();
  private pattern: RegExp | null = null;

  constructor(values?: Iterable<string>) {
    if (values) for (const v of values) this.add(v);
  }

  add(value: string | null | undefined): this {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return this;
    if (this.replacements.has(value)) return this;
    const masked = maskSecret(value);
    for (const spelling of spellingsOf(value)) {
      if (!this.replacements.has(spelling)) this.replacements.set(spelling, masked);
    }
    this.pattern = null;
    return this;
  }

  has(value: string): boolean {
    return this.replacements.has(value);
  }

  /** Number of spellings tracked (each value counts once per distinct spelling). */
  get size(): number {
    return this.replacements.size;
  }

  maskText(text: string): string {
    if (this.replacements.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
    const pattern = this.compiled();
    return text.replace(pattern, (found) => this.replacements.get(found) ?? MASK);
  }

  private compiled(): RegExp {
    if (!this.pattern) {
      // Longest first, so a secret that contains another is replaced whole.
      const needles = [...this.replacements.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.pattern = new RegExp(needles.join('|'), 'g');
    }
    this.pattern.lastIndex = 0;
    return this.pattern;
  }
}

function spellingsOf(value: string): string[] {
  const out = [value];
  const percent = safeEncode(value);
  if (percent !== value) out.push(percent);
  const json = JSON.stringify(value).slice(1, -1);
  if (json !== value) out.push(json);
  return out.filter((s) => s.length >= MIN_SECRET_LENGTH);
}

function safeEncode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value; // lone surrogates
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------
// Headers

/** Header names whose values are always credentials. */
export const SECRET_HEADER_NAMES: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-access-token',
  'x-goog-api-key',
  'private-token',
]);

export type HeadersInputLike = Headers | HeaderList | Record<string, string>;

export interface RedactHeadersOptions {
  /** Extra header names to mask (any case), e.g. the ones a user marked secret when connecting. */
  secretHeaderNames?: Iterable<string>;
  /** Known secrets, masked wherever they appear in other header values. */
  secrets?: SecretSet;
  /**
   * Add the credential found in each masked header to `secrets`, so the same value is also masked when it
   * shows up elsewhere (a URL, a body). The recording fetch turns this on for request headers.
   */
  learn?: boolean;
}

/** Ordered [name, value] pairs, names lower-cased, credentials masked. */
export function redactHeaders(headers: HeadersInputLike, opts: RedactHeadersOptions = {}): HeaderList {
  const extra = new Set<string>();
  if (opts.secretHeaderNames) for (const n of opts.secretHeaderNames) extra.add(n.toLowerCase());
  const out: HeaderList = [];
  for (const [rawName, value] of headerEntries(headers)) {
    const name = rawName.toLowerCase();
    if (SECRET_HEADER_NAMES.has(name) || extra.has(name)) {
      if (opts.learn && opts.secrets) for (const c of credentialsIn(name, value)) opts.secrets.add(c);
      out.push([name, maskHeaderValue(name, value)]);
    } else if (name === 'location' || name === 'content-location') {
      out.push([name, maskUrl(value, opts.secrets)]);
    } else {
      out.push([name, opts.secrets ? opts.secrets.maskText(value) : value]);
    }
  }
  return out;
}

export function headerEntries(headers: HeadersInputLike): Array<[string, string]> {
  if (Array.isArray(headers)) return headers.map(([n, v]) => [n, v]);
  if (isHeaders(headers)) {
    const out: Array<[string, string]> = [];
    headers.forEach((value, name) => out.push([name, value]));
    return out;
  }
  return Object.entries(headers);
}

function isHeaders(h: unknown): h is Headers {
  return typeof h === 'object' && h !== null && typeof (h as Headers).forEach === 'function' && typeof (h as Headers).get === 'function';
}

const AUTH_SCHEME = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+(\S[\s\S]*)$/;

/** Masks one credential header value, keeping what is not secret (auth scheme, cookie names, cookie attributes). */
export function maskHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const m = AUTH_SCHEME.exec(value.trim());
    return m ? `${m[1]} ${maskSecret(m[2])}` : maskSecret(value);
  }
  if (lower === 'cookie') {
    return value
      .split(';')
      .map((pair) => maskCookiePair(pair.trim()))
      .join('; ');
  }
  if (lower === 'set-cookie') {
    const [first, ...attributes] = value.split(';');
    return [maskCookiePair(first.trim()), ...attributes.map((a) => a.trim())].join('; ');
  }
  return maskSecret(value);
}

function maskCookiePair(pair: string): string {
  const eq = pair.indexOf('=');
  if (eq === -1) return maskSecret(pair);
  return `${pair.slice(0, eq)}=${maskSecret(pair.slice(eq + 1))}`;
}

function credentialsIn(name: string, value: string): string[] {
  if (name === 'authorization' || name === 'proxy-authorization') {
    const m = AUTH_SCHEME.exec(value.trim());
    return [m ? m[2] : value];
  }
  if (name === 'cookie' || name === 'set-cookie') {
    const pairs = name === 'cookie' ? value.split(';') : [value.split(';')[0]];
    return pairs.map((p) => p.slice(p.indexOf('=') + 1).trim());
  }
  return [value];
}

// ---------------------------------------------------------------------------------------------------
// URLs and bodies

/** Query/form parameters that carry credentials (OAuth codes and tokens, API keys in URLs). */
export const SECRET_PARAM_NAMES: ReadonlySet<string> = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'assertion',
  'subject_token',
  'actor_token',
  'device_code',
  'password',
  'token',
  'api_key',
  'apikey',
  'api-key',
  'key',
  'auth',
  'sig',
  'signature',
]);

/**
 * JSON object keys whose string values are credentials. Narrower than the form list on purpose: in JSON
 * bodies `code` or `token` are often ordinary tool arguments, and masking them would hide real data.
 */
export const SECRET_JSON_KEYS: ReadonlySet<string> = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'code_verifier',
  'client_assertion',
  'registration_access_token',
  'device_code',
  'password',
  'api_key',
  'apiKey',
]);

/** Masks credential parameters of an `a=1&b=2` string (form body, query, fragment). */
export function maskFormEncoded(text: string, secrets?: SecretSet): string {
  if (text.length === 0) return text;
  return text
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const name = safeDecode(pair.slice(0, eq)).toLowerCase();
      const raw = pair.slice(eq + 1);
      if (!SECRET_PARAM_NAMES.has(name) || raw.length === 0) return pair;
      const value = safeDecode(raw.replace(/\+/g, ' '));
      secrets?.add(value);
      return `${pair.slice(0, eq)}=${maskSecret(value)}`;
    })
    .join('&');
}

/** Masks credentials in a URL: password in userinfo, credential query/fragment parameters, known secrets. */
export function maskUrl(url: string, secrets?: SecretSet): string {
  let out = url;
  const userinfo = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):([^/?#@]*)@/i.exec(out);
  if (userinfo && userinfo[2].length > 0) {
    secrets?.add(safeDecode(userinfo[2]));
    out = `${userinfo[1]}:${maskSecret(safeDecode(userinfo[2]))}@${out.slice(userinfo[0].length)}`;
  }
  const hash = out.indexOf('#');
  const beforeHash = hash === -1 ? out : out.slice(0, hash);
  const fragment = hash === -1 ? null : out.slice(hash + 1);
  const q = beforeHash.indexOf('?');
  let rebuilt = q === -1 ? beforeHash : `${beforeHash.slice(0, q)}?${maskFormEncoded(beforeHash.slice(q + 1), secrets)}`;
  if (fragment !== null) rebuilt += `#${fragment.includes('=') ? maskFormEncoded(fragment, secrets) : fragment}`;
  return secrets ? secrets.maskText(rebuilt) : rebuilt;
}

const JSON_SECRET_PAIR = /"([A-Za-z_-]+)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

/** Masks the string values of credential keys in JSON text, keeping the text's own formatting. */
export function maskJsonCredentials(text: string, secrets?: SecretSet): string {
  if (!text.includes('"')) return text;
  return text.replace(JSON_SECRET_PAIR, (whole, key: string, sep: string, raw: string) => {
    if (!SECRET_JSON_KEYS.has(key) || raw.length === 0) return whole;
    let value = raw;
    try {
      value = JSON.parse(`"${raw}"`) as string;
    } catch {
      // keep the escaped spelling
    }
    secrets?.add(value);
    return `"${key}"${sep}"${maskSecret(value)}"`;
  });
}

/**
 * Everything a captured text body goes through: credential fields by content type, then every known secret.
 * Returns the text to store; learns credential values into `secrets` on the way.
 */
export function maskBodyText(text: string, contentType: string | null | undefined, secrets?: SecretSet): string {
  const type = (contentType ?? '').toLowerCase();
  let out = text;
  if (type.includes('application/x-www-form-urlencoded')) out = maskFormEncoded(out, secrets);
  else if (type.includes('json') || /^\s*[[{]/.test(out)) out = maskJsonCredentials(out, secrets);
  return secrets ? secrets.maskText(out) : out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
