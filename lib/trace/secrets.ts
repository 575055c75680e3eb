// Masking at capture: secrets never enter the log. The last 4 characters stay visible so a person can
// still tell two tokens apart ("is this the refreshed one?") without the log being usable as a credential.
import { isJwtValuedName, maskJwt } from './jwt';
import { isSecretName } from './secret-names';
import type { HeaderList } from './types';

export const MASK = '••••';

/** `••••abcd`; values of 8 characters or fewer become `••••` (4 visible characters would give away half). */
export function maskSecret(value: string): string {
  return value.length <= 8 ? MASK : MASK + value.slice(-4);
}

/**
 * The masked form of a credential found under `name`: a JWT under a name that carries one (`DPoP`,
 * `client_assertion`, `assertion`, `subject_token`) keeps its header and claims (see ./jwt), anything else
 * `maskSecret`.
 */
export function maskCredential(name: string, value: string): string {
  return (isJwtValuedName(name) && maskJwt(value)) || maskSecret(value);
}

/**
 * The shortest secret remembered and masked wherever it appears again. A 4-character PIN or password is still a
 * secret; 1 to 3 characters would mask innocent text everywhere (and are guessed in a moment anyway).
 */
export const MIN_SECRET_LENGTH = 4;

/**
 * Secrets shorter than this are masked only where they stand alone (not touching a letter or digit): `4821` is
 * masked in `pin 4821` and `"4821"`, not inside `148213` or `ab4821`. Longer ones are masked wherever they appear.
 */
const SUBSTRING_MATCH_LENGTH = 6;

/**
 * The shortest value remembered when it only may be a secret: a cookie, or a header value the person typed under
 * a name that does not say so (`X-Env: prod` would otherwise mask "prod" all over the log).
 */
const MIN_GUESSED_SECRET_LENGTH = 6;

/**
 * Known secret values (tokens, API keys, passwords...), per session: every value a masker hides is remembered,
 * and `maskText` replaces every later occurrence, in the spellings a value takes on the wire: as is,
 * percent-encoded (URLs, form bodies) and JSON-escaped.
 */
export class SecretSet {
  private readonly replacements = new Map<string, string>();
  private pattern: RegExp | null = null;

  constructor(values?: Iterable<string>) {
    if (values) for (const v of values) this.add(v);
  }

  /** `masked`: the form echoes take (default `maskSecret`; a JWT credential's keeps its header and claims). */
  add(value: string | null | undefined, masked: string = typeof value === 'string' ? maskSecret(value) : MASK): this {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || value.startsWith(MASK)) return this;
    if (this.replacements.has(value)) return this;
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
      const needles = [...this.replacements.keys()].sort((a, b) => b.length - a.length);
      const anywhere = needles.filter((n) => n.length >= SUBSTRING_MATCH_LENGTH).map(escapeRegExp);
      const alone = needles.filter((n) => n.length < SUBSTRING_MATCH_LENGTH).map(escapeRegExp);
      const parts: string[] = [];
      if (anywhere.length > 0) parts.push(anywhere.join('|'));
      if (alone.length > 0) parts.push(`(?<![A-Za-z0-9])(?:${alone.join('|')})(?![A-Za-z0-9])`);
      this.pattern = new RegExp(parts.join('|'), 'g');
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

/** Header names whose values are always credentials (more are by their name's words: `isSecretName`). */
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
  // RFC 9449: a DPoP proof is a signed JWT bound to the request; masked like a credential (header and claims kept).
  'dpop',
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
    if (isSecretHeaderName(name) || extra.has(name)) {
      if (opts.learn && opts.secrets) for (const c of credentialsIn(name, value)) opts.secrets.add(c, maskCredential(name, c));
      out.push([name, maskHeaderValue(name, value)]);
    } else if (name === 'location' || name === 'content-location') {
      out.push([name, maskUrl(value, opts.secrets)]);
    } else {
      out.push([name, opts.secrets ? opts.secrets.maskText(value) : value]);
    }
  }
  return out;
}

/**
 * Whether a value that may be a secret (a typed header's, a cookie's) is remembered and masked wherever it appears
 * again: always under a secret name, otherwise from 6 characters.
 */
export function worthRemembering(name: string, value: string): boolean {
  return value.length >= MIN_GUESSED_SECRET_LENGTH || isSecretHeaderName(name);
}

/** Whether a header's value is a credential: the well-known names, and any name the secret-name rule matches. */
export function isSecretHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADER_NAMES.has(lower) || isSecretName(lower, 'header');
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
  return maskCredential(lower, value);
}

function maskCookiePair(pair: string): string {
  const eq = pair.indexOf('=');
  if (eq === -1) return maskSecret(pair);
  return `${pair.slice(0, eq)}=${maskSecret(pair.slice(eq + 1))}`;
}

/** The credentials a header value holds that are worth remembering (see `worthRemembering`). */
function credentialsIn(name: string, value: string): string[] {
  if (name === 'authorization' || name === 'proxy-authorization') {
    const m = AUTH_SCHEME.exec(value.trim());
    return [m ? m[2] : value];
  }
  if (name === 'cookie' || name === 'set-cookie') {
    const pairs = name === 'cookie' ? value.split(';') : [value.split(';')[0]];
    // A cookie may hold a preference (`theme=dark`): short values are remembered only under a secret name.
    return pairs.flatMap((pair) => {
      const eq = pair.indexOf('=');
      const cookie = pair.slice(eq + 1).trim();
      return worthRemembering(eq > 0 ? pair.slice(0, eq).trim() : '', cookie) ? [cookie] : [];
    });
  }
  return worthRemembering(name, value) ? [value] : [];
}

// ---------------------------------------------------------------------------------------------------
// URLs and bodies

/** Masks credential parameters of an `a=1&b=2` string (form body, query, fragment), learning their values. */
export function maskFormEncoded(text: string, secrets?: SecretSet): string {
  if (text.length === 0) return text;
  return text
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const name = safeDecode(pair.slice(0, eq));
      const raw = pair.slice(eq + 1);
      if (raw.length === 0 || !isSecretName(name, 'param')) return pair;
      const value = safeDecode(raw.replace(/\+/g, ' '));
      if (value.startsWith(MASK) || value.includes(`.${MASK}`)) return pair;
      const masked = maskCredential(name, value);
      secrets?.add(value, masked);
      return `${pair.slice(0, eq)}=${masked}`;
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

/**
 * Masks the values of credential keys in JSON text (`isSecretName`), keeping the text's own formatting: a string
 * keeps its last 4 characters (`"••••abcd"`), any other value (a number, a boolean, a whole object or array under
 * `credentials`) becomes `"••••"`. The values are learned into `secrets`, so an echo elsewhere is masked too.
 * Reads the text as tokens without parsing it, in one pass and without recursion: cut or invalid JSON (a body over
 * the capture limit, an SSE frame's raw text) is masked as far as it goes, and nesting depth costs nothing.
 */
export function maskJsonCredentials(text: string, secrets?: SecretSet): string {
  if (!text.includes('"')) return text;
  let out = '';
  let copied = 0;
  /** For each open object or array, the key it is the value of (undefined for array items and the top level). */
  const openedBy: Array<string | undefined> = [];
  let key: string | undefined;
  let at = 0;
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      openedBy.push(key);
      key = undefined;
      at++;
      continue;
    }
    if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      openedBy.pop();
      key = undefined;
      at++;
      continue;
    }
    if (c !== QUOTE) {
      at++;
      continue;
    }
    const end = stringEnd(text, at);
    if (end === -1) break;
    const colon = skipSpace(text, end);
    if (text[colon] !== ':') {
      key = undefined;
      at = end;
      continue;
    }
    key = decodeJsonString(text.slice(at, end));
    at = colon + 1;
    if (!isSecretName(key, 'json')) continue;
    const valueStart = skipSpace(text, colon + 1);
    // JSON Schema names fields in `properties`: there a `password` key holds the field's schema, not a password.
    if (SCHEMA_MAPS.has(openedBy[openedBy.length - 1] ?? '') && /^(\{|true\b|false\b)/.test(text.slice(valueStart, valueStart + 5)))
      continue;
    const valueEnd = jsonValueEnd(text, valueStart);
    if (valueEnd === -1) continue;
    const replacement = maskedJsonValue(key, text.slice(valueStart, valueEnd), secrets);
    if (replacement !== undefined) {
      out += text.slice(copied, valueStart) + replacement;
      copied = valueEnd;
    }
    at = valueEnd;
    key = undefined;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const QUOTE = 34;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** JSON Schema keywords whose objects map names (of fields, of definitions) to schemas. */
const SCHEMA_MAPS: ReadonlySet<string> = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return i;
}

/** The index just past the string starting at `start` (a `"`), or -1 when the text ends inside it. */
function stringEnd(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  while (quote !== -1) {
    // Escaped when an odd number of backslashes stands before it.
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === 92) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}

const JSON_LITERAL = /-?\d[\d.eE+-]*|true|false|null/y;

/**
 * The index just past the JSON value at `start`, -1 when there is none there. An object or array the text cuts
 * off runs to the end of the text (masked whole rather than half shown).
 */
function jsonValueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return stringEnd(text, start);
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        const end = stringEnd(text, i);
        if (end === -1) return text.length;
        i = end - 1;
      } else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return text.length;
  }
  JSON_LITERAL.lastIndex = start;
  return JSON_LITERAL.exec(text) ? JSON_LITERAL.lastIndex : -1;
}

/** What replaces a credential's JSON value; undefined to leave it (null, empty, already masked). */
function maskedJsonValue(key: string, raw: string, secrets: SecretSet | undefined): string | undefined {
  if (raw === 'null') return undefined;
  if (raw.startsWith('"')) {
    const value = decodeJsonString(raw);
    if (value === '' || value.startsWith(MASK) || value.includes(`.${MASK}`)) return undefined;
    const masked = maskCredential(key, value);
    secrets?.add(value, masked);
    return JSON.stringify(masked);
  }
  if (raw.startsWith('{') || raw.startsWith('[')) {
    if (secrets) learnSecretsIn(raw, secrets);
    return JSON.stringify(MASK);
  }
  // A number or a boolean: a numeric PIN or password is remembered as its digits.
  if (raw !== 'true' && raw !== 'false') secrets?.add(raw);
  return JSON.stringify(MASK);
}

/**
 * Remembers the secrets inside an object or array that sits under a credential key (and is masked whole): the
 * values of its own credential keys, and the items of its arrays that sit under one (`"keys": ["k1", "k2"]` under
 * `credentials`). Its other values (a `type`, a `username`) are not secrets by themselves and stay unlearned, so
 * they are not masked elsewhere. One pass with an explicit stack: no recursion, whatever the depth.
 */
function learnSecretsIn(container: string, secrets: SecretSet): void {
  /** Per open container: whether its items are secrets (an array under a credential key). */
  const itemsSecret: boolean[] = [];
  /** Whether the value about to be read sits under a credential key; undefined outside a key-value pair. */
  let keySecret: boolean | undefined = true;
  const valueIsSecret = () => keySecret ?? itemsSecret[itemsSecret.length - 1] ?? false;
  let i = 0;
  while (i < container.length) {
    const c = container[i]!;
    if (c === '{' || c === '[') {
      itemsSecret.push(c === '[' && valueIsSecret());
      keySecret = undefined;
      i++;
    } else if (c === '}' || c === ']') {
      itemsSecret.pop();
      keySecret = undefined;
      i++;
    } else if (c === '"') {
      const end = stringEnd(container, i);
      if (end === -1) return;
      const value = decodeJsonString(container.slice(i, end));
      const after = skipSpace(container, end);
      if (container[after] === ':') {
        keySecret = isSecretName(value, 'json');
        i = after + 1;
        continue;
      }
      if (valueIsSecret()) secrets.add(value);
      keySecret = undefined;
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      JSON_LITERAL.lastIndex = i;
      const end = JSON_LITERAL.exec(container) ? JSON_LITERAL.lastIndex : i + 1;
      if (valueIsSecret()) secrets.add(container.slice(i, end));
      keySecret = undefined;
      i = end;
    } else {
      if (c === ',') keySecret = undefined;
      i++;
    }
  }
}

/** The value of a JSON string token (quotes included); its inside as written when it does not parse. */
function decodeJsonString(token: string): string {
  if (!token.includes('\\')) return token.slice(1, -1);
  try {
    return JSON.parse(token) as string;
  } catch {
    return token.slice(1, -1);
  }
}

/**
 * Everything a captured text body goes through: credential fields by content type, then every known secret.
 * Returns the text to store; learns credential values into `secrets` on the way.
 */
export function maskBodyText(text: string, contentType: string | null | undefined, secrets?: SecretSet): string {
  const type = (contentType ?? '').toLowerCase();
  let out = text;
  if (type.includes('application/x-www-form-urlencoded')) out = maskFormEncoded(out, secrets);
  // Any other text: JSON hides in many (an SSE frame's raw lines, a text/plain error that quotes a request).
  else out = maskJsonCredentials(out, secrets);
  return secrets ? secrets.maskText(out) : out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
