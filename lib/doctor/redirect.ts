// The Doctor's "redirect URI acceptance" step: the authorization request the flow would send (its client, PKCE S256,
// state, resource, mcpscope's callback as redirect_uri), and the authorization server's first answer, not followed:
// a sign-in or consent page, or straight back to the callback, means accepted; an error page, or the callback with
// an error, means refused. The request is discarded afterwards (its state and PKCE verifier deleted), so nothing is
// authorized and a code the server may have sent can never be exchanged.
import { isJsonObject } from '../json';
import { callbackParamsFromUrl, OAuthFlowError, type ClientIdentity, type OAuthClientFlow } from '../oauth';
import { maskUrl, type SecretSet } from '../trace';
import type { DoctorStep } from './types';

type Verdict = Pick<DoctorStep, 'status' | 'seen'> & { advice?: string; code?: string };

/** Errors that name the redirect URI itself (RFC 7591 §3.2.2; GitHub's). */
const REDIRECT_ERRORS = new Set(['invalid_redirect_uri', 'redirect_uri_mismatch']);
/** How much of a page is read to judge it. */
const MAX_PAGE_CHARS = 64 * 1024;
const MENTIONS_REDIRECT = /redirect[ _-]?ur[il]/i;
const SAYS_REFUSED = /invalid|mismatch|not (?:allowed|registered|valid|permitted|match)|does not match|unknown|unregistered/i;

export interface RedirectProbeInput {
  /** The flow the session connects with: its client (pre-registered, metadata document, registered) is used. */
  flow: OAuthClientFlow;
  /** The 401's WWW-Authenticate, for a flow that has not discovered yet. */
  challenge: string | undefined;
  /** The recording fetch of the step. */
  send: typeof fetch;
  secrets: SecretSet;
  timeoutMs: number;
}

export async function redirectUriAcceptance(input: RedirectProbeInput): Promise<Verdict> {
  const { flow } = input;
  let request;
  try {
    if (!flow.discovered) await flow.discover({ wwwAuthenticate: input.challenge ?? null, why: 'the Connection Doctor' });
    request = await flow.startAuthorization();
  } catch (error) {
    if (!(error instanceof OAuthFlowError)) throw error;
    if (error.code === 'client_required') {
      return {
        status: 'warn',
        code: 'client_required',
        seen: [`no client to send an authorization request with: ${error.message}`],
        advice: `Register mcpscope at the authorization server with the redirect URI ${flow.redirectUri} and give its client ID (Connect with OAuth), then run the Doctor again.`,
      };
    }
    return {
      status: 'fail',
      code: error.code,
      seen: [error.message],
      ...(error.code === 'registration_failed'
        ? {
            advice: `The authorization server refused to register mcpscope (its redirect URI is ${flow.redirectUri}): allow that redirect URI in its registration policy, or register a client by hand and give its client ID. ${PUBLIC_URL_ADVICE}`,
          }
        : {}),
    };
  }
  const identity = flow.clientIdentity as ClientIdentity;
  const redirectUri = request.redirectUri;
  const seen = [
    `client ${identity.clientId} (${identity.source}); redirect_uri ${redirectUri}; PKCE S256, state, resource ${flow.resource ?? '(none)'}`,
  ];
  const shown = (url: URL | string) => clip(maskUrl(typeof url === 'string' ? url : url.href, input.secrets));
  /** `atCallback`: the server sent the browser back to the callback with the error, so it knows the redirect URI. */
  const refused = (error: string | undefined, description: string | undefined, line: string, atCallback = false): Verdict => {
    const aboutRedirect = (error !== undefined && REDIRECT_ERRORS.has(error)) || MENTIONS_REDIRECT.test(description ?? '');
    const what = error ? `error ${error}${description ? `: ${clip(description)}` : ''}` : description ? clip(description) : undefined;
    const advice = aboutRedirect
      ? registerAdvice(identity, redirectUri)
      : atCallback
        ? `The authorization server came back to ${redirectUri}, so it accepts that redirect URI, but refused the request itself: check that the client ${identity.clientId} is allowed the authorization code flow (response type "code", with PKCE) and the scopes and resource asked for.`
        : `The authorization server answered with an error instead of a sign-in page; a client it does not know, or a redirect URI not registered for it, is the usual cause. ${registerAdvice(identity, redirectUri)}`;
    return {
      status: 'fail',
      code: aboutRedirect ? 'redirect_uri_refused' : 'authorization_request_refused',
      seen: [...seen, line, ...(what ? [what] : [])],
      advice,
    };
  };
  try {
    const response = await input.send(request.authorizationUrl, {
      method: 'GET',
      redirect: 'manual',
      headers: { accept: 'text/html,application/xhtml+xml' },
      signal: AbortSignal.timeout(input.timeoutMs),
    });
    const status = response.status;
    const location = status >= 300 && status < 400 ? response.headers.get('location') : null;
    if (location) {
      await response.body?.cancel().catch(() => undefined);
      let next: URL;
      try {
        next = new URL(location, request.authorizationUrl);
      } catch {
        return refused(undefined, undefined, `HTTP ${status} to a Location that is not a URL: ${clip(location)}`);
      }
      const target = new URL(redirectUri);
      if (next.origin === target.origin && next.pathname === target.pathname) {
        const params = callbackParamsFromUrl(next);
        // Useless without the verifier (deleted below), but a code is still not shown.
        if (params.code) input.secrets.add(params.code);
        if (params.error)
          return refused(params.error, params.errorDescription ?? undefined, `HTTP ${status} back to the callback with an error`, true);
        return {
          status: 'pass',
          seen: [
            ...seen,
            `HTTP ${status} straight back to the callback${params.code ? ' with a code (consent given before)' : ''}: the redirect URI is accepted; the code is not exchanged`,
          ],
        };
      }
      // Some servers send the browser to their own error page, with the error in its query.
      const error = next.searchParams.get('error');
      if (error) return refused(error, next.searchParams.get('error_description') ?? undefined, `HTTP ${status} to ${shown(next)}`);
      return {
        status: 'pass',
        seen: [
          ...seen,
          `HTTP ${status} to ${shown(next)}: a sign-in or consent page (not followed), so the request and its redirect URI are accepted`,
        ],
      };
    }
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const text = (await response.text()).slice(0, MAX_PAGE_CHARS);
    const line = `HTTP ${status}, ${type || 'no content type'}`;
    const body = errorBody(text);
    if (status >= 500) {
      return {
        status: 'fail',
        code: 'authorization_endpoint_error',
        seen: [...seen, `${line}: the authorization endpoint failed`, ...(body.error ? [`error ${body.error}`] : [])],
      };
    }
    if (status >= 400) return refused(body.error, body.description ?? pageText(text), `${line}: an error page`);
    const page = pageText(text);
    if (body.error) return refused(body.error, body.description, `${line}: an error in the answer`);
    if (page && MENTIONS_REDIRECT.test(page) && SAYS_REFUSED.test(page))
      return refused(undefined, page, `${line}: a page about the redirect URI`);
    return {
      status: 'pass',
      seen: [...seen, `${line}: a page shown at the authorization endpoint (sign-in or consent), so the request is accepted`],
    };
  } finally {
    await flow.discardAuthorization(request.state).catch(() => undefined);
  }
}

const PUBLIC_URL_ADVICE =
  'Behind a proxy or on another address, set PUBLIC_URL to the address people open mcpscope at: the redirect URI is <PUBLIC_URL>/callback.';

function registerAdvice(identity: ClientIdentity, redirectUri: string): string {
  const fix =
    identity.source === 'pre-registered'
      ? `add ${redirectUri} to the redirect URIs of the client ${identity.clientId} at the authorization server`
      : identity.source === 'metadata-document'
        ? `list ${redirectUri} in the redirect_uris of the client ID metadata document ${identity.clientId}`
        : `make the authorization server's registration accept the redirect URI ${redirectUri} for its registered client ${identity.clientId}`;
  return `${fix[0]!.toUpperCase()}${fix.slice(1)}. ${PUBLIC_URL_ADVICE}`;
}

/** An OAuth error in a JSON body (RFC 6749 §5.2 shape), if the body is one. */
function errorBody(text: string): { error?: string; description?: string } {
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isJsonObject(parsed) || typeof parsed.error !== 'string') return {};
    return {
      error: parsed.error,
      ...(typeof parsed.error_description === 'string' ? { description: parsed.error_description } : {}),
    };
  } catch {
    return {};
  }
}

/** A page's visible words, roughly (scripts, styles and tags dropped: hidden inputs name redirect_uri on login pages). */
function pageText(text: string): string | undefined {
  const words = text
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return words === '' ? undefined : words;
}

function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
