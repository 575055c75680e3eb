// Finding the authorization server: protected resource metadata (RFC 9728), then authorization server
// metadata (RFC 8414 / OpenID discovery), then the 2025-03-26 default endpoints when there is none. Each URL
// tried is its own phase, so the timeline shows the whole walk. Hand-written rather than the SDK's
// discover* helpers because those loop internally (no phase per URL), stop at a failing `resource_metadata`
// URL instead of falling through to the well-known ones, and reject metadata whose `issuer` differs from the
// URL it came from, which real servers do (seed 004): that is reported here as a warning instead.
// Every URL the metadata names is checked against lib/url-policy before anything uses it: an authorization
// endpoint is where the browser is sent, so a `javascript:` one would run on mcpscope's origin.
import { checkResourceAllowed, type AuthorizationServerMetadata, type OAuthProtectedResourceMetadata } from '@modelcontextprotocol/client';
import {
  authorizationServerMetadataUrls,
  bearerChallenge,
  canonicalResourceUrl,
  fallbackEndpoints,
  protectedResourceMetadataUrls,
  type BearerChallenge,
  type MetadataKind,
} from './decisions';
import { checkServerUrl, UNSAFE_URL_CODE, type HttpRule } from '../url-policy';
import { OAuthFlowError } from './errors';
import { maskUrl } from '../trace';
import type { FlowRuntime } from './runtime';
import { isJsonObject } from '../json';

export interface DiscoveryResult {
  serverUrl: string;
  /** The `resource` indicator to send: the metadata's `resource` when it names this server, else the canonical server URL. */
  resource: string;
  /** Parsed `WWW-Authenticate` challenge that started the flow, if any. */
  challenge: BearerChallenge;
  resourceMetadata?: OAuthProtectedResourceMetadata;
  resourceMetadataUrl?: string;
  /** The authorization server URL the metadata was looked up for. */
  authorizationServerUrl: string;
  /** The issuer to key clients and tokens by (the metadata's `issuer`, else the server URL). */
  issuer: string;
  /** Undefined when no metadata exists (2025-03-26 defaults in `endpoints`). */
  metadata?: AuthorizationServerMetadata;
  metadataUrl?: string;
  metadataKind: MetadataKind | 'fallback';
  endpoints: { authorization: string; token: string; registration?: string };
}

type Probe<T> = { found: T } | { missing: true } | { invalid: OAuthFlowError };

const METADATA_HEADERS = { accept: 'application/json' };

/**
 * The URL-valued members of authorization server metadata (RFC 8414 §2, OpenID Connect Discovery §3): the ones
 * mcpscope uses and the ones it may show or use later. `issuer` is an identifier, checked like them.
 */
const METADATA_URL_FIELDS = [
  'issuer',
  'authorization_endpoint',
  'token_endpoint',
  'registration_endpoint',
  'jwks_uri',
  'userinfo_endpoint',
  'revocation_endpoint',
  'introspection_endpoint',
  'end_session_endpoint',
  'device_authorization_endpoint',
  'pushed_authorization_request_endpoint',
  'backchannel_authentication_endpoint',
  'service_documentation',
  'op_policy_uri',
  'op_tos_uri',
] as const;

/**
 * The URL if the policy allows it; else a finding in the log and an `unsafe_url` error: a URL of the server's
 * choosing that a browser would be sent to (or mcpscope would fetch) must be https (http where `http` allows).
 */
export function requireSafeUrl(runtime: Pick<FlowRuntime, 'finding'>, value: unknown, what: string, http: HttpRule): string {
  const verdict = checkServerUrl(value, { what, http });
  if (verdict.ok) return value as string;
  const message = `${verdict.message} The authorization flow stops here: mcpscope never sends a browser to, or fetches, such a URL.`;
  runtime.finding('error', UNSAFE_URL_CODE, message);
  throw new OAuthFlowError('unsafe_url', message);
}

export async function discover(
  runtime: FlowRuntime,
  serverUrl: string,
  wwwAuthenticate?: string | null,
  http: HttpRule = 'allow',
): Promise<DiscoveryResult> {
  const challenge = bearerChallenge(wwwAuthenticate);
  const resourceStep = await findResourceMetadata(runtime, serverUrl, wwwAuthenticate);
  let resource = canonicalResourceUrl(serverUrl);
  let authorizationServerUrl = new URL(serverUrl).origin;
  const result: Partial<DiscoveryResult> = { serverUrl, challenge };

  if (resourceStep) {
    const { metadata, url } = resourceStep;
    result.resourceMetadata = metadata;
    result.resourceMetadataUrl = url;
    if (typeof metadata.resource === 'string' && metadata.resource) {
      if (checkResourceAllowed({ requestedResource: serverUrl, configuredResource: metadata.resource })) {
        resource = metadata.resource;
      } else {
        // A token for another resource must not be asked for on this server's behalf (RFC 8707).
        runtime.enforce(
          'resource_mismatch',
          { expected: resource, received: metadata.resource },
          `The protected resource metadata at ${url} describes ${maskUrl(metadata.resource, runtime.secrets)}, not ${maskUrl(serverUrl, runtime.secrets)}`,
          `mcpscope uses ${resource} as the resource indicator`,
        );
      }
    }
    const servers = metadata.authorization_servers ?? [];
    if (servers.length > 0) {
      authorizationServerUrl = requireSafeUrl(
        runtime,
        servers[0],
        `The first of the protected resource metadata's authorization_servers (at ${url})`,
        http,
      );
      for (const [index, other] of servers.entries()) {
        if (index === 0) continue;
        const verdict = checkServerUrl(other, { what: `authorization_servers[${index}]`, http });
        if (!verdict.ok)
          runtime.finding('warning', UNSAFE_URL_CODE, `${verdict.message} mcpscope uses the first authorization server only.`);
      }
      if (servers.length > 1) {
        runtime.finding(
          'info',
          'several_authorization_servers',
          `The server names ${servers.length} authorization servers; mcpscope uses the first, ${servers[0]}.`,
        );
      }
    } else {
      runtime.finding(
        'warning',
        'no_authorization_servers',
        `The protected resource metadata at ${url} names no authorization_servers; assuming the authorization server lives at ${authorizationServerUrl}.`,
      );
    }
  } else {
    runtime.finding(
      'info',
      'no_resource_metadata',
      `The server publishes no protected resource metadata (RFC 9728); assuming its authorization server lives at its origin, ${authorizationServerUrl} (2025-03-26 behaviour).`,
    );
  }
  result.resource = resource;
  result.authorizationServerUrl = authorizationServerUrl;

  const serverStep = await findAuthorizationServerMetadata(runtime, authorizationServerUrl, http);
  if (serverStep) {
    const { metadata, url, kind } = serverStep;
    result.metadata = metadata;
    result.metadataUrl = url;
    result.metadataKind = kind;
    result.issuer = metadata.issuer;
    result.endpoints = {
      authorization: metadata.authorization_endpoint,
      token: metadata.token_endpoint,
      ...(metadata.registration_endpoint ? { registration: metadata.registration_endpoint } : {}),
    };
  } else {
    const fallback = fallbackEndpoints(authorizationServerUrl);
    runtime.finding(
      'warning',
      'no_authorization_server_metadata',
      `No authorization server metadata at ${authorizationServerUrl} (neither RFC 8414 nor OpenID discovery); using the 2025-03-26 default endpoints ${fallback.authorization}, ${fallback.token} and ${fallback.registration}.`,
    );
    result.metadataKind = 'fallback';
    result.issuer = authorizationServerUrl;
    result.endpoints = { authorization: fallback.authorization, token: fallback.token, registration: fallback.registration };
  }
  return result as DiscoveryResult;
}

async function findResourceMetadata(
  runtime: FlowRuntime,
  serverUrl: string,
  wwwAuthenticate: string | null | undefined,
): Promise<{ metadata: OAuthProtectedResourceMetadata; url: string } | undefined> {
  for (const url of protectedResourceMetadataUrls(serverUrl, wwwAuthenticate)) {
    // Only the challenge's resource_metadata can be of the server's choosing; the well-known URLs share the
    // server URL's origin, which the target policy already let through.
    const verdict = checkServerUrl(url, { what: 'The resource_metadata URL in the WWW-Authenticate challenge' });
    if (!verdict.ok) {
      runtime.finding('warning', UNSAFE_URL_CODE, `${verdict.message} mcpscope looks at the well-known URLs instead.`);
      continue;
    }
    const probe = await probeJson(runtime, 'oauth:resource-metadata', url, (json) => validateResourceMetadata(runtime, json));
    if ('found' in probe) return { metadata: probe.found, url };
  }
  return undefined;
}

async function findAuthorizationServerMetadata(
  runtime: FlowRuntime,
  authorizationServerUrl: string,
  http: HttpRule,
): Promise<{ metadata: AuthorizationServerMetadata; url: string; kind: MetadataKind } | undefined> {
  const candidates = authorizationServerMetadataUrls(authorizationServerUrl);
  let unusable: OAuthFlowError | undefined;
  for (const [index, { url, kind }] of candidates.entries()) {
    const probe = await probeJson(runtime, 'oauth:server-metadata', url, (json) =>
      validateServerMetadata(runtime, json, authorizationServerUrl, http),
    );
    if ('invalid' in probe) unusable ??= probe.invalid;
    if (!('found' in probe)) continue;
    if (kind === 'oidc' && candidates.slice(0, index).some((c) => c.kind === 'oauth')) {
      runtime.finding(
        'info',
        'oidc_discovery_only',
        `The authorization server publishes OpenID Connect discovery (${url}) but no RFC 8414 metadata; mcpscope uses the OpenID document.`,
      );
    }
    return { metadata: probe.found, url, kind };
  }
  // A document that exists but cannot be used is not the same as no document: the defaults would be a guess.
  if (unusable) throw unusable;
  return undefined;
}

/**
 * GETs one metadata URL as a phase: `ok` when found and valid, `skipped` when the server has nothing there
 * (any 4xx), `failed` for answers that are there but unusable (reported as `invalid`, so the caller can try
 * the next URL and still refuse to guess if none works). An unreachable server ends the walk.
 */
async function probeJson<T>(runtime: FlowRuntime, name: string, url: string, validate: (json: unknown) => T): Promise<Probe<T>> {
  let outcome: Probe<T> = { missing: true };
  try {
    await runtime.step(name, url, { code: 'discovery_failed', what: `Reading ${url} failed`, url }, async ({ phase }) => {
      const response = await runtime.fetch(url, { headers: METADATA_HEADERS, redirect: 'follow' });
      if (response.status >= 400 && response.status < 500) {
        await response.body?.cancel().catch(() => undefined);
        phase.skip(`HTTP ${response.status}: nothing here`);
        return;
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw new OAuthFlowError('discovery_failed', `${url} answered HTTP ${response.status}.`, { status: response.status });
      }
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new OAuthFlowError('discovery_failed', `${url} answered HTTP ${response.status} but not with JSON.`);
      }
      outcome = { found: validate(json) };
      phase.ok('found');
    });
  } catch (err) {
    // Recorded as a failed phase already; a later URL may still have what we need.
    if (!(err instanceof OAuthFlowError)) throw err;
    if (err.code === 'network_error') throw err;
    return { invalid: err };
  }
  return outcome;
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

function validateResourceMetadata(runtime: FlowRuntime, json: unknown): OAuthProtectedResourceMetadata {
  if (!isJsonObject(json)) throw new OAuthFlowError('discovery_failed', 'The protected resource metadata is not a JSON object.');
  if (json.authorization_servers !== undefined && !stringArray(json.authorization_servers)) {
    throw new OAuthFlowError(
      'discovery_failed',
      'The protected resource metadata has an authorization_servers value that is not a list of URLs.',
    );
  }
  if (typeof json.resource !== 'string') {
    runtime.finding(
      'warning',
      'resource_metadata_without_resource',
      'The protected resource metadata has no "resource" (RFC 9728 requires it).',
    );
  }
  return json as OAuthProtectedResourceMetadata;
}

function validateServerMetadata(runtime: FlowRuntime, json: unknown, expectedIssuer: string, http: HttpRule): AuthorizationServerMetadata {
  if (!isJsonObject(json)) throw new OAuthFlowError('discovery_failed', 'The authorization server metadata is not a JSON object.');
  for (const key of ['issuer', 'authorization_endpoint', 'token_endpoint'] as const) {
    if (typeof json[key] !== 'string' || !json[key]) {
      throw new OAuthFlowError('discovery_failed', `The authorization server metadata has no "${key}".`);
    }
  }
  // Optional members may be absent (or null, which some servers send); any string there must be a safe URL.
  for (const key of METADATA_URL_FIELDS) {
    if (typeof json[key] === 'string') requireSafeUrl(runtime, json[key], `The authorization server metadata's ${key}`, http);
  }
  const metadata = { ...json } as Record<string, unknown>;
  if (!stringArray(metadata.response_types_supported)) {
    runtime.finding(
      'warning',
      'metadata_without_response_types',
      'The authorization server metadata lacks response_types_supported (required); assuming "code".',
    );
    metadata.response_types_supported = ['code'];
  }
  const challengeMethods = stringArray(metadata.code_challenge_methods_supported);
  if (!challengeMethods) {
    runtime.finding(
      'warning',
      'pkce_support_not_advertised',
      'The authorization server metadata does not list code_challenge_methods_supported; MCP requires PKCE, so mcpscope sends S256 anyway.',
    );
  } else if (!challengeMethods.includes('S256')) {
    throw new OAuthFlowError(
      'unsupported_server',
      `The authorization server supports PKCE methods ${challengeMethods.join(', ') || '(none)'} but not S256, which MCP requires.`,
    );
  }
  const issuer = String(metadata.issuer);
  if (!sameIssuer(issuer, expectedIssuer)) {
    runtime.enforce(
      'issuer_mismatch',
      { expected: expectedIssuer, received: issuer },
      `The metadata found for ${expectedIssuer} says its issuer is ${issuer}`,
      `mcpscope continues with ${issuer}'s endpoints`,
    );
  }
  return metadata as unknown as AuthorizationServerMetadata;
}

function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}
