// Which names (JSON keys, query and form parameters, header names) hold credentials. One rule for every place a
// name appears, matched on the name's words, whatever its case or spelling: `password`, `Password`, `PASSWORD`,
// `user_password`, `userPassword`, `x-user-password` and `userpassword` are all the same name.
//
// Why words and not substrings: a substring rule masks `keyword`, `monkey`, `tokenizer` and `maxTokens`. Why the
// last word matters most: English compounds put their head noun last, and the head says what the value is:
// `access_token` is a token, `token_endpoint` is an endpoint (a URL anyone may read), `token_type` is a type
// ("Bearer"), `tokenCount` is a number. So a name is secret when its head is a secret noun (`sessionToken`,
// `client_secret`, `x-api-key`), or when it mentions a word no ordinary data is named after (`password`,
// `secret`, `credential`: `password_hash`, `secretValue`) and its head does not say the value is only about the
// secret (`password_policy`, `secret_name`, `credential_id`, `token_expires_in`).
//
// `key` alone is the one noun that is a credential only with a qualifier in front: `api_key`, `apiKey`,
// `x-api-key`, `private_key`, `secret_key`, `access_key` are secret; `keys` (a schema's), `key` (a key-value
// store's, a keyboard key), `primaryKey`, `sortKey`, `keyId` are data. Likewise `code` is secret as
// `authorization_code` / `device_code`, while `code` alone in JSON is an error code or a snippet of source.
// In URLs and form bodies a few bare names are credentials by convention (`?key=` of Google APIs, OAuth's
// `code` and `state`, signed URLs' `sig`): those count there only.

/** Where a name was found: some bare names are credentials in URLs and forms but ordinary data in JSON. */
export type NameContext = 'json' | 'param' | 'header';

/** Head nouns whose value is a credential. */
const SECRET_HEADS: ReadonlySet<string> = new Set([
  'token',
  'secret',
  'secrets',
  'password',
  'passwords',
  'passwd',
  'pwd',
  'passphrase',
  'passcode',
  'credential',
  'credentials',
  'cookie',
  'cookies',
  'auth',
  'authorization',
  'session',
  'jwt',
  'otp',
  'totp',
  'pin',
  'assertion',
  'verifier',
  'apikey',
  'privatekey',
  'secretkey',
  'accesskey',
  'passkey',
  'authkey',
  'signingkey',
  'sessionkey',
  'masterkey',
  'licensekey',
  'connectionstring',
  'dsn',
]);

/** Words that make a name secret wherever they stand in it (unless the head only describes the secret). */
const SECRET_ANYWHERE: ReadonlySet<string> = new Set([
  'secret',
  'secrets',
  'password',
  'passwords',
  'passwd',
  'passphrase',
  'credential',
  'credentials',
]);

/** One-word compounds written without separators (`accesstoken`, `clientsecret`, `dbpassword`). */
const SECRET_SUFFIXES = ['token', 'secret', 'password', 'passwd', 'passphrase', 'credentials', 'credential'];

/** Qualifiers that make `key` a credential. */
const KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'api',
  'private',
  'secret',
  'access',
  'client',
  'signing',
  'sign',
  'encryption',
  'decryption',
  'master',
  'auth',
  'license',
  'licence',
  'subscription',
  'session',
  'shared',
  'app',
  'application',
  'account',
  'service',
  'consumer',
  'developer',
  'ssh',
  'hmac',
]);

/** Qualifiers that make `code` a credential (one-time codes that grant something). */
const CODE_QUALIFIERS: ReadonlySet<string> = new Set([
  'authorization',
  'auth',
  'device',
  'otp',
  'mfa',
  'recovery',
  'backup',
  'verification',
  'totp',
  'pin',
  'security',
]);

/**
 * Qualifiers that make `token` a handle on something, not a credential: MCP's `progressToken`, paging and resuming
 * tokens (`nextPageToken`, `continuation_token`), token counts of LLM APIs (`max_token`).
 */
const HANDLE_TOKEN_QUALIFIERS: ReadonlySet<string> = new Set([
  'progress',
  'page',
  'next',
  'prev',
  'previous',
  'continuation',
  'pagination',
  'cursor',
  'sync',
  'resume',
  'resumption',
  'cancellation',
  'cancel',
  'max',
  'min',
  'input',
  'output',
  'prompt',
  'completion',
  'total',
]);

/** Heads that say the value is about a secret, not the secret itself. */
const DESCRIBING_HEADS: ReadonlySet<string> = new Set([
  'type',
  'types',
  'endpoint',
  'endpoints',
  'url',
  'urls',
  'uri',
  'uris',
  'method',
  'methods',
  'name',
  'names',
  'id',
  'ids',
  'count',
  'length',
  'len',
  'size',
  'expiry',
  'expires',
  'expiration',
  'exp',
  'at',
  'in',
  'ttl',
  'lifetime',
  'supported',
  'required',
  'enabled',
  'policy',
  'policies',
  'prompt',
  'label',
  'description',
  'format',
  'field',
  'fields',
  'param',
  'parameter',
  'kind',
  'scheme',
  'schemes',
  'path',
  'file',
  'location',
  'mode',
  'strength',
  'rules',
  'version',
  'set',
]);

/**
 * Bare names that are credentials in URLs and form bodies by convention, and ordinary words in JSON. Whole names
 * only: `?code=` is OAuth's, `?country_code=` is not.
 */
const PARAM_ONLY_NAMES: ReadonlySet<string> = new Set(['key', 'code', 'state', 'nonce', 'id_token_hint']);

/** Heads that make a URL or form parameter a credential: signed URLs (`sig`, `X-Amz-Signature`). */
const PARAM_ONLY_HEADS: ReadonlySet<string> = new Set(['sig', 'signature']);

/** `x-API-Key`, `apiKey`, `APIKey`, `api_key2` → ['x', 'api', 'key', '2']. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** Names seen recently, per context: bodies repeat the same few keys thousands of times. */
const verdicts: Record<NameContext, Map<string, boolean>> = { json: new Map(), param: new Map(), header: new Map() };
const MAX_REMEMBERED_NAMES = 4096;

/** Whether a value under this name is a credential (see the rules at the top of this file). */
export function isSecretName(name: string, context: NameContext): boolean {
  const seen = verdicts[context];
  let verdict = seen.get(name);
  if (verdict === undefined) {
    verdict = judgeName(name, context);
    if (seen.size >= MAX_REMEMBERED_NAMES) seen.clear();
    seen.set(name, verdict);
  }
  return verdict;
}

function judgeName(name: string, context: NameContext): boolean {
  const words = nameWords(name);
  // A name with digits at the end (`password2`, `token_1`) is judged by the words before them.
  while (words.length > 1 && /^\d+$/.test(words[words.length - 1]!)) words.pop();
  if (words.length === 0) return false;
  const head = words[words.length - 1]!;
  if (context === 'param' && (PARAM_ONLY_NAMES.has(words.join('_')) || PARAM_ONLY_HEADS.has(head))) return true;
  if (DESCRIBING_HEADS.has(head)) return false;
  const before = words.length > 1 ? words[words.length - 2]! : undefined;
  if (head === 'token' && before !== undefined && HANDLE_TOKEN_QUALIFIERS.has(before)) return false;
  if (SECRET_HEADS.has(head)) return true;
  if (SECRET_SUFFIXES.some((suffix) => head.length > suffix.length && head.endsWith(suffix))) return true;
  const qualifier = before;
  if (qualifier !== undefined && SECRET_HEADS.has(qualifier + head)) return true; // `connection_string`, `api-key`
  if (head === 'key' && qualifier !== undefined && KEY_QUALIFIERS.has(qualifier)) return true;
  if (head === 'code' && qualifier !== undefined && CODE_QUALIFIERS.has(qualifier)) return true;
  return words.some((w) => SECRET_ANYWHERE.has(w));
}
