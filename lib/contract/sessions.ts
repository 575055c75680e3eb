// `POST /api/sessions` for a URL target, and the OAuth settings it (and `POST /api/sessions/:id/auth/start`) takes,
// as zod schemas. Every complaint names the field, with its prefix (`auth.clientId`, `body.clientId`), and says what
// is expected. What needs the server stays out: the URL's own check (lib/mcp, its own error code) and the names in
// `tolerate` (lib/oauth). Browser-safe (zod only).
import * as z from 'zod';
import type { OAuthGrant } from './auth';

export const TRANSPORT_CHOICES = ['auto', 'streamable-http', 'sse'] as const;
export const OAUTH_GRANTS = ['authorization_code', 'client_credentials', 'jwt_bearer', 'id_jag'] as const satisfies readonly OAuthGrant[];

const MAX_FIELD = 2048;
/** A 4096-bit RSA key in PEM is about 3.3 kB; a JWK of one about 3.2 kB. */
const MAX_KEY = 16_384;
const MAX_SCOPES = 50;
/** A compact JWS: three base64url parts. */
const COMPACT_JWT = /^[\w-]+\.[\w-]+\.[\w-]*$/;
// RFC 6749 §3.3: printable ASCII except space, double quote and backslash.
const SCOPE_NAME = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MAX_HEADERS = 50;
const MAX_HEADER_VALUE = 8192;
/** The longest timeout a session may ask for (the connect timeout has its own, smaller cap). */
export const MAX_SESSION_TIMEOUT_MS = 30 * 60_000;
/** Headers the transports own or that HTTP itself manages; a user value would break the exchange. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'upgrade',
  'keep-alive',
  'te',
  'trailer',
  'mcp-session-id',
  'mcp-protocol-version',
  'mcp-method',
  'mcp-name',
  'last-event-id',
]);

/** Absent, null and blank all mean "not given". */
const blankToUndefined = (value: string | null | undefined): string | undefined => (value ? value : undefined);

/** A one-line text field: trimmed, bounded, no control characters. */
function text(field: string) {
  return z
    .string({ error: `"${field}" must be a string.` })
    .trim()
    .max(MAX_FIELD, `"${field}" is longer than ${MAX_FIELD} characters.`)
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), `"${field}" contains a control character.`)
    .nullish()
    .transform(blankToUndefined);
}

/** A JWT given as text (an assertion, an ID token). */
function jwt(field: string) {
  const shape = `"${field}" must be a compact JWT (header.claims.signature).`;
  return z
    .string({ error: `"${field}" must be a JWT (a string).` })
    .trim()
    .refine((value) => value === '' || (value.length <= MAX_KEY && COMPACT_JWT.test(value)), shape)
    .nullish()
    .transform(blankToUndefined);
}

/** A private key as text (PEM has line breaks, so the one-line field rules do not apply). */
function privateKey(field: string) {
  return z
    .string({ error: `"${field}" must be a string: a PEM private key or a JWK as JSON.` })
    .trim()
    .max(MAX_KEY, `"${field}" is longer than ${MAX_KEY} characters.`)
    .refine(
      (value) => value === '' || /^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value) || value.startsWith('{'),
      `"${field}" must be a PEM private key or a JWK as JSON.`,
    )
    .nullish()
    .transform(blankToUndefined);
}

/** Scopes as a list or one space-separated string; each once, in order. */
export function scopeListSchema(field: string) {
  return z
    .union([z.string(), z.array(z.unknown())], { error: `"${field}" must be a list of scope names.` })
    .nullish()
    .transform((value, ctx): string[] => {
      const out: string[] = [];
      for (const part of typeof value === 'string' ? [value] : (value ?? [])) {
        if (typeof part !== 'string') {
          ctx.addIssue({ code: 'custom', message: `"${field}" must contain only strings.` });
          return z.NEVER;
        }
        for (const scope of part.split(/\s+/)) {
          if (scope === '') continue;
          if (!SCOPE_NAME.test(scope)) {
            ctx.addIssue({ code: 'custom', message: `"${scope}" is not a valid scope name (printable ASCII, no quotes or backslashes).` });
            return z.NEVER;
          }
          if (!out.includes(scope)) out.push(scope);
        }
      }
      if (out.length > MAX_SCOPES) {
        ctx.addIssue({ code: 'custom', message: `At most ${MAX_SCOPES} scopes can be requested.` });
        return z.NEVER;
      }
      return out;
    });
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

/** `id_jag`: the enterprise identity provider's token endpoint, the person's ID token, and this client there. */
function idpSchema(field: string) {
  const needs = `"${field}" needs tokenEndpoint, idToken and clientId.`;
  return z
    .object(
      {
        tokenEndpoint: text(`${field}.tokenEndpoint`),
        idToken: jwt(`${field}.idToken`),
        clientId: text(`${field}.clientId`),
        clientSecret: text(`${field}.clientSecret`),
      },
      {
        error: `"${field}" must be an object like {"tokenEndpoint": "https://idp.example/token", "idToken": "...", "clientId": "..."}.`,
      },
    )
    .transform(({ tokenEndpoint, idToken, clientId, clientSecret }, ctx) => {
      if (!tokenEndpoint || !idToken || !clientId) {
        ctx.addIssue({ code: 'custom', message: needs });
        return z.NEVER;
      }
      let url: URL;
      try {
        url = new URL(tokenEndpoint);
      } catch {
        ctx.addIssue({ code: 'custom', message: `"${field}.tokenEndpoint" is not a URL.` });
        return z.NEVER;
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        ctx.addIssue({ code: 'custom', message: `"${field}.tokenEndpoint" must be an https URL.` });
        return z.NEVER;
      }
      return { tokenEndpoint: url.href, idToken, clientId, ...(clientSecret ? { clientSecret } : {}) };
    })
    .nullish();
}

/**
 * The OAuth part of `auth` in `POST /api/sessions` (prefix `auth`) or the body of `POST /api/sessions/:id/auth/start`
 * (prefix `body`). The client credentials grant needs a client ID and a secret or key; a client ID metadata URL and a
 * client ID exclude each other; an assertion goes with jwt_bearer, an identity provider with id_jag. Other fields
 * (`type`, `token`) are ignored; `tolerate` is passed on for lib/oauth to check.
 */
export function oauthSettingsSchema(prefix: string) {
  const field = (name: string) => `${prefix}.${name}`;
  return z
    .object(
      {
        grant: z
          .enum(OAUTH_GRANTS, { error: `"${field('grant')}" must be one of ${OAUTH_GRANTS.join(', ')}.` })
          .nullish()
          .transform((grant) => grant ?? 'authorization_code'),
        clientId: text(field('clientId')),
        clientSecret: text(field('clientSecret')),
        clientKey: privateKey(field('clientKey')),
        clientKeyAlg: text(field('clientKeyAlg')),
        clientMetadataUrl: text(field('clientMetadataUrl')),
        assertion: jwt(field('assertion')),
        idp: idpSchema(field('idp')),
        scopes: scopeListSchema(field('scopes')),
        guided: z.boolean({ error: `"${field('guided')}" must be true or false.` }).optional(),
        tolerate: z.unknown().optional(),
      },
      { error: `"${prefix}" must be an object.` },
    )
    .superRefine((settings, ctx) => {
      const problem = oauthSettingsProblem(settings, field);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform(
      ({ grant, clientId, clientSecret, clientKey, clientKeyAlg, clientMetadataUrl, assertion, idp, scopes, guided, tolerate }) => ({
        grant,
        ...(clientId ? { clientId } : {}),
        ...(clientSecret ? { clientSecret } : {}),
        ...(clientKey ? { clientKey } : {}),
        ...(clientKeyAlg ? { clientKeyAlg } : {}),
        ...(clientMetadataUrl ? { clientMetadataUrl } : {}),
        ...(assertion ? { assertion } : {}),
        ...(idp ? { idp } : {}),
        scopes,
        guided: guided === true,
        ...(tolerate !== undefined ? { tolerate } : {}),
      }),
    );
}

/** The first rule between fields the settings break, in the order a person fixes them. */
function oauthSettingsProblem(
  settings: {
    grant: OAuthGrant;
    clientId?: string;
    clientSecret?: string;
    clientKey?: string;
    clientKeyAlg?: string;
    clientMetadataUrl?: string;
    assertion?: string;
    idp?: unknown;
  },
  field: (name: string) => string,
): string | undefined {
  const { grant, clientId, clientSecret, clientKey, clientKeyAlg, clientMetadataUrl, assertion, idp } = settings;
  if (clientKey && !clientId) return `A client key needs its client ID ("${field('clientId')}").`;
  if (clientKey && clientSecret) return 'Give either a client secret or a client key (private_key_jwt), not both.';
  if (clientKeyAlg && !clientKey) return `"${field('clientKeyAlg')}" needs "${field('clientKey')}".`;
  if (clientSecret && !clientId) return `A client secret needs its client ID ("${field('clientId')}").`;
  if (clientMetadataUrl) {
    const problem = clientMetadataUrlProblem(clientMetadataUrl);
    if (problem) return problem;
    if (clientId) return 'Give either a client ID or a client metadata URL (which is itself the client ID), not both.';
  }
  if (grant === 'client_credentials' && (!clientId || (!clientSecret && !clientKey)))
    return 'The client credentials grant needs a pre-registered client ID and client secret (or a client key, for private_key_jwt).';
  if (grant === 'jwt_bearer' && (!clientId || !assertion))
    return `The jwt_bearer grant needs "${field('clientId')}" and "${field('assertion')}" (the signed JWT to trade for a token).`;
  if (assertion && grant !== 'jwt_bearer') return `"${field('assertion')}" goes with the jwt_bearer grant.`;
  if (grant === 'id_jag' && (!clientId || !idp))
    return `The id_jag grant needs "${field('clientId')}" and "${field('idp')}" ({tokenEndpoint, idToken, clientId}).`;
  if (idp && grant !== 'id_jag') return `"${field('idp')}" goes with the id_jag grant.`;
  return undefined;
}

export type OAuthSettingsBody = z.output<ReturnType<typeof oauthSettingsSchema>>;

/** User headers: valid names, none the transport owns, each once (whatever its case), one-line string values. */
const headersSchema = z
  .record(z.string(), z.unknown(), { error: '"headers" must be an object of header names to string values.' })
  .transform((given, ctx) => {
    const entries = Object.entries(given);
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (entries.length > MAX_HEADERS) return fail(`At most ${MAX_HEADERS} headers can be set.`);
    const headers: Record<string, string> = {};
    const seen = new Set<string>();
    for (const [name, value] of entries) {
      const trimmed = name.trim();
      if (!HEADER_NAME.test(trimmed)) return fail(`"${trimmed}" is not a valid HTTP header name.`);
      const lower = trimmed.toLowerCase();
      if (RESERVED_HEADERS.has(lower)) return fail(`The ${trimmed} header is managed by the transport and cannot be set.`);
      if (seen.has(lower)) return fail(`The ${trimmed} header is set twice.`);
      seen.add(lower);
      if (typeof value !== 'string') return fail(`The value of header ${trimmed} must be a string.`);
      if (/[\r\n\0]/.test(value)) return fail(`The value of header ${trimmed} contains a line break or NUL character.`);
      if (value.length > MAX_HEADER_VALUE) return fail(`The value of header ${trimmed} is longer than ${MAX_HEADER_VALUE} characters.`);
      headers[trimmed] = value;
    }
    return headers;
  });

const AUTH_TYPES = ['none', 'bearer', 'oauth'] as const;

const bearerTokenSchema = z
  .unknown()
  .transform((token) => (typeof token === 'string' ? token.trim() : ''))
  .refine((token) => token !== '', 'A bearer token is required when "auth.type" is "bearer".')
  .refine((token) => !/[\s\0]/.test(token), 'The bearer token must not contain spaces or line breaks.');

export type AuthBody =
  { type: 'none'; tolerate?: unknown } | { type: 'bearer'; token: string } | { type: 'oauth'; settings: OAuthSettingsBody };

/** `auth`: none (OAuth may still start on a 401: `tolerate` says what it may go past), a bearer token, or OAuth. */
const authSchema = z
  .looseObject(
    { type: z.enum(AUTH_TYPES, { error: `"auth.type" must be one of ${AUTH_TYPES.join(', ')}.` }) },
    { error: '"auth" must be an object like {"type": "bearer", "token": "..."}.' },
  )
  .transform((auth, ctx): AuthBody => {
    const parsed =
      auth.type === 'bearer'
        ? bearerTokenSchema.safeParse(auth.token)
        : auth.type === 'oauth'
          ? oauthSettingsSchema('auth').safeParse(auth)
          : { success: true as const, data: undefined };
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    }
    if (auth.type === 'bearer') return { type: 'bearer', token: parsed.data as string };
    if (auth.type === 'oauth') return { type: 'oauth', settings: parsed.data as OAuthSettingsBody };
    return { type: 'none', ...(auth.tolerate !== undefined ? { tolerate: auth.tolerate } : {}) };
  });

/** A timeout in milliseconds: refused rather than clamped past `max`, so a caller learns the limit. */
export function timeoutSchema(field: string, max = MAX_SESSION_TIMEOUT_MS) {
  const duration = max % 60_000 === 0 ? `${max / 60_000} minutes` : `${max / 1000} seconds`;
  const message = `"${field}" must be a number of milliseconds between 100 and ${max} (${duration}).`;
  return z
    .number({ error: message })
    .min(100, message)
    .max(max, message)
    .transform(Math.floor)
    .nullish()
    .transform((value) => value ?? undefined);
}

/** `timeouts` and `wait`: what every kind of target takes. `maxConnectMs` is the server's connect cap. */
export function sessionCommonSchema(maxConnectMs: number) {
  return z.object({
    timeouts: z
      .object(
        {
          connectMs: timeoutSchema('timeouts.connectMs', maxConnectMs),
          requestMs: timeoutSchema('timeouts.requestMs'),
          answerMs: timeoutSchema('timeouts.answerMs'),
          requestMaxMs: timeoutSchema('timeouts.requestMaxMs'),
        },
        { error: '"timeouts" must be an object like {"connectMs": 15000, "requestMs": 60000}.' },
      )
      .optional(),
    wait: z.boolean({ error: '"wait" must be true or false.' }).optional(),
  });
}

/** `POST /api/sessions` with a URL target (`kind` absent or "url"). `url` is checked by lib/mcp (code invalid_url). */
export function urlTargetSchema(maxConnectMs: number) {
  return z
    .object(
      {
        kind: z.literal('url', { error: '"kind" must be "url" (the default) or "command" (a local stdio server).' }).optional(),
        url: z.unknown().optional(),
        transport: z.enum(TRANSPORT_CHOICES, { error: `"transport" must be one of ${TRANSPORT_CHOICES.join(', ')}.` }).default('auto'),
        headers: headersSchema.optional(),
        auth: authSchema.optional(),
      },
      { error: 'The body must be a JSON object like {"url": "https://example.com/mcp"}.' },
    )
    .extend(sessionCommonSchema(maxConnectMs).shape);
}

export type UrlTargetBody = z.output<ReturnType<typeof urlTargetSchema>>;
