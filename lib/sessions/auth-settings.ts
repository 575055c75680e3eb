// The OAuth settings a person gives when connecting (or when starting OAuth later, or between guided steps),
// checked by hand like the rest of the API input so every complaint names the field.
import type { EnterpriseIdpSettings, OAuthGrant } from '../contract';
import { parseTolerateList, type TolerableCheck } from '../oauth';
import { SessionError } from './errors';
import { isJsonObject } from '../json';

export interface OAuthSettings {
  grant: OAuthGrant;
  /** A client registered by hand at the authorization server. */
  clientId?: string;
  clientSecret?: string;
  /** A private key (PEM or JWK JSON) instead of a secret: `private_key_jwt` client authentication. */
  clientKey?: string;
  /** Its JWS algorithm, when not the key type's usual one. */
  clientKeyAlg?: string;
  /** An https URL used as the client ID (client ID metadata document). */
  clientMetadataUrl?: string;
  /** `jwt_bearer`: the assertion (a workload identity token). */
  assertion?: string;
  /** `id_jag`: the enterprise identity provider and the person's ID token. */
  idp?: EnterpriseIdpSettings;
  /** Empty: the flow chooses (challenge, then scopes_supported). */
  scopes: string[];
  guided: boolean;
  /** Checks refused by default that the person chose to go past for this session (see lib/oauth/tolerate). */
  tolerate?: TolerableCheck[];
}

export const DEFAULT_OAUTH_SETTINGS: OAuthSettings = { grant: 'authorization_code', scopes: [], guided: false };

/** `tolerate` of an API body: only the named checks, each complaint naming the field. */
export function parseTolerate(value: unknown, field: string): TolerableCheck[] {
  return parseTolerateList(value, (message) => invalid(message.replace(/^"tolerate"/, `"${field}"`)));
}

const GRANTS: readonly OAuthGrant[] = ['authorization_code', 'client_credentials', 'jwt_bearer', 'id_jag'];
/** A compact JWS: three base64url parts. */
const COMPACT_JWT = /^[\w-]+\.[\w-]+\.[\w-]*$/;
const MAX_FIELD = 2048;
/** A 4096-bit RSA key in PEM is about 3.3 kB; a JWK of one about 3.2 kB. */
const MAX_KEY = 16_384;
const MAX_SCOPES = 50;

function invalid(message: string): never {
  throw new SessionError('invalid_request', message);
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') invalid(`"${field}" must be a string.`);
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed.length > MAX_FIELD) invalid(`"${field}" is longer than ${MAX_FIELD} characters.`);
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) invalid(`"${field}" contains a control character.`);
  return trimmed;
}

/** A JWT given as text (an assertion, an ID token). */
function jwtText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') invalid(`"${field}" must be a JWT (a string).`);
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed.length > MAX_KEY || !COMPACT_JWT.test(trimmed)) invalid(`"${field}" must be a compact JWT (header.claims.signature).`);
  return trimmed;
}

function parseIdp(value: unknown, field: string): EnterpriseIdpSettings | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value))
    invalid(`"${field}" must be an object like {"tokenEndpoint": "https://idp.example/token", "idToken": "...", "clientId": "..."}.`);
  const tokenEndpoint = optionalText(value.tokenEndpoint, `${field}.tokenEndpoint`);
  const idToken = jwtText(value.idToken, `${field}.idToken`);
  const clientId = optionalText(value.clientId, `${field}.clientId`);
  const clientSecret = optionalText(value.clientSecret, `${field}.clientSecret`);
  if (!tokenEndpoint || !idToken || !clientId) invalid(`"${field}" needs tokenEndpoint, idToken and clientId.`);
  let url: URL;
  try {
    url = new URL(tokenEndpoint);
  } catch {
    invalid(`"${field}.tokenEndpoint" is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') invalid(`"${field}.tokenEndpoint" must be an https URL.`);
  return { tokenEndpoint: url.href, idToken, clientId, ...(clientSecret ? { clientSecret } : {}) };
}

/** A private key as text (PEM has line breaks, so the one-line field rules do not apply). */
function privateKeyText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') invalid(`"${field}" must be a string: a PEM private key or a JWK as JSON.`);
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed.length > MAX_KEY) invalid(`"${field}" is longer than ${MAX_KEY} characters.`);
  if (!/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(trimmed) && !trimmed.startsWith('{'))
    invalid(`"${field}" must be a PEM private key or a JWK as JSON.`);
  return trimmed;
}

/** Scopes as a list or one space-separated string; each once, in order. */
export function parseScopeList(value: unknown, field = 'auth.scopes'): string[] {
  if (value === undefined || value === null) return [];
  const parts =
    typeof value === 'string' ? value.split(/\s+/) : Array.isArray(value) ? value : invalid(`"${field}" must be a list of scope names.`);
  const out: string[] = [];
  for (const part of parts) {
    if (typeof part !== 'string') invalid(`"${field}" must contain only strings.`);
    for (const scope of part.split(/\s+/)) {
      if (scope === '') continue;
      // RFC 6749 §3.3: printable ASCII except space, double quote and backslash.
      if (!/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope))
        invalid(`"${scope}" is not a valid scope name (printable ASCII, no quotes or backslashes).`);
      if (!out.includes(scope)) out.push(scope);
    }
  }
  if (out.length > MAX_SCOPES) invalid(`At most ${MAX_SCOPES} scopes can be requested.`);
  return out;
}

/** An https URL with a path, as client ID metadata documents must be. */
export function clientMetadataUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `The client metadata URL "${value}" is not a valid URL.`;
  }
  if (url.protocol !== 'https:') return 'The client metadata URL must be an https URL: the authorization server fetches it.';
  if (url.pathname === '/' || url.pathname === '')
    return 'The client metadata URL must have a path (e.g. https://example.com/oauth/client.json).';
  return undefined;
}

/**
 * The OAuth part of `auth` in `POST /api/sessions` or `POST /api/sessions/:id/auth/start`. The client
 * credentials grant needs a client ID and secret; a client ID metadata URL and a client ID exclude each other.
 */
export function parseOAuthSettings(body: unknown, prefix = 'auth'): OAuthSettings {
  if (body === undefined || body === null) return { ...DEFAULT_OAUTH_SETTINGS };
  if (!isJsonObject(body)) invalid(`"${prefix}" must be an object.`);
  const grant = body.grant ?? 'authorization_code';
  if (!GRANTS.includes(grant as OAuthGrant)) invalid(`"${prefix}.grant" must be one of ${GRANTS.join(', ')}.`);
  const clientId = optionalText(body.clientId, `${prefix}.clientId`);
  const clientSecret = optionalText(body.clientSecret, `${prefix}.clientSecret`);
  const clientKey = privateKeyText(body.clientKey, `${prefix}.clientKey`);
  const clientKeyAlg = optionalText(body.clientKeyAlg, `${prefix}.clientKeyAlg`);
  if (clientKey && !clientId) invalid(`A client key needs its client ID ("${prefix}.clientId").`);
  if (clientKey && clientSecret) invalid('Give either a client secret or a client key (private_key_jwt), not both.');
  if (clientKeyAlg && !clientKey) invalid(`"${prefix}.clientKeyAlg" needs "${prefix}.clientKey".`);
  const clientMetadataUrl = optionalText(body.clientMetadataUrl, `${prefix}.clientMetadataUrl`);
  if (clientSecret && !clientId) invalid(`A client secret needs its client ID ("${prefix}.clientId").`);
  if (clientMetadataUrl) {
    const problem = clientMetadataUrlProblem(clientMetadataUrl);
    if (problem) invalid(problem);
    if (clientId) invalid('Give either a client ID or a client metadata URL (which is itself the client ID), not both.');
  }
  if (grant === 'client_credentials' && (!clientId || (!clientSecret && !clientKey))) {
    invalid('The client credentials grant needs a pre-registered client ID and client secret (or a client key, for private_key_jwt).');
  }
  if (body.guided !== undefined && typeof body.guided !== 'boolean') invalid(`"${prefix}.guided" must be true or false.`);
  const assertion = jwtText(body.assertion, `${prefix}.assertion`);
  if (grant === 'jwt_bearer' && (!clientId || !assertion))
    invalid(`The jwt_bearer grant needs "${prefix}.clientId" and "${prefix}.assertion" (the signed JWT to trade for a token).`);
  if (assertion && grant !== 'jwt_bearer') invalid(`"${prefix}.assertion" goes with the jwt_bearer grant.`);
  const idp = parseIdp(body.idp, `${prefix}.idp`);
  if (grant === 'id_jag' && (!clientId || !idp))
    invalid(`The id_jag grant needs "${prefix}.clientId" and "${prefix}.idp" ({tokenEndpoint, idToken, clientId}).`);
  if (idp && grant !== 'id_jag') invalid(`"${prefix}.idp" goes with the id_jag grant.`);
  return {
    grant: grant as OAuthGrant,
    ...(clientId ? { clientId } : {}),
    ...(clientSecret ? { clientSecret } : {}),
    ...(clientKey ? { clientKey } : {}),
    ...(clientKeyAlg ? { clientKeyAlg } : {}),
    ...(clientMetadataUrl ? { clientMetadataUrl } : {}),
    ...(assertion ? { assertion } : {}),
    ...(idp ? { idp } : {}),
    scopes: parseScopeList(body.scopes, `${prefix}.scopes`),
    guided: body.guided === true,
    ...(body.tolerate !== undefined ? { tolerate: parseTolerate(body.tolerate, `${prefix}.tolerate`) } : {}),
  };
}
