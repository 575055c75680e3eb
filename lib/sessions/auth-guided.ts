// Guided OAuth: the same flow as the automatic one, one step at a time. Before each step the person sees the
// requests it will send (secrets masked) and may change the scopes or the client; after it, the exchanges it
// made (from the session log) and what it learned. The steps are OAuthClientFlow's own methods.
import type {
  GuidedSettings,
  GuidedState,
  GuidedStep,
  GuidedStepId,
  GuidedStepRequest,
  OAuthGrant,
  PlannedRequest,
  StepExchange,
} from '../contract';
import {
  chooseClientAuth,
  chooseClientIdentity,
  clientMetadataUrlFor,
  protectedResourceMetadataUrls,
  bearerChallenge,
  type OAuthClientFlow,
  type TolerableCheck,
} from '../oauth';
import { isJwtValuedName, maskSecret, type TraceEvent } from '../trace';
import { clientMetadataUrlProblem, parseScopeList, parseTolerate } from './auth-settings';
import { findFlowError, isMachineGrant, type GuidedProgress, type GuidedRecord, type SessionAuth } from './auth';
import { SessionError } from './errors';
import { guidedStepRequestSchema } from '../contract';
import { parseBody } from './validate';

export const GUIDED_STEP_TITLES: Record<GuidedStepId, string> = {
  discovery: 'Discover the authorization server',
  client: 'Choose the client identity',
  authorize: 'Authorize in the browser',
  token: 'Request the token',
  connect: 'Connect with the token',
};

const MAX_BODY_CHARS = 4000;
const HIDDEN = '•••• (stays on the server)';

export function guidedStepsFor(grant: OAuthGrant): GuidedStepId[] {
  return isMachineGrant(grant) ? ['discovery', 'client', 'token', 'connect'] : ['discovery', 'client', 'authorize', 'token', 'connect'];
}

/**
 * The step that can run next: the first one not done (a failed one can be run again). The token step of the
 * authorization code grant waits for the browser to come back with a code.
 */
export function nextGuidedStep(
  steps: readonly GuidedStepId[],
  done: ReadonlySet<GuidedStepId>,
  opts: { grant: OAuthGrant; callbackReceived: boolean },
): { next?: GuidedStepId; waitingFor?: GuidedStepId } {
  for (const step of steps) {
    if (done.has(step)) continue;
    if (step === 'token' && opts.grant === 'authorization_code' && !opts.callbackReceived) return { waitingFor: step };
    return { next: step };
  }
  return {};
}

/** Steps after `step` in the run: they depend on it, so running it again drops them. */
export function stepsAfter(steps: readonly GuidedStepId[], step: GuidedStepId): GuidedStepId[] {
  const index = steps.indexOf(step);
  return index < 0 ? [] : steps.slice(index + 1);
}

// -------------------------------------------------------------------------------------------------
// Input

export function parseGuidedStepRequest(body: unknown): GuidedStepRequest {
  const { step, settings: given } = parseBody(guidedStepRequestSchema, body);
  if (!given) return { step };
  const settings: NonNullable<GuidedStepRequest['settings']> = {};
  if (given.grant !== undefined) settings.grant = given.grant;
  if (given.tolerate !== undefined) settings.tolerate = parseTolerate(given.tolerate, 'settings.tolerate');
  for (const key of ['clientId', 'clientSecret', 'clientMetadataUrl'] as const) if (given[key] !== undefined) settings[key] = given[key];
  if (settings.clientMetadataUrl) {
    const problem = clientMetadataUrlProblem(settings.clientMetadataUrl);
    if (problem) throw new SessionError('invalid_request', problem);
  }
  if (given.scopes !== undefined) settings.scopes = parseScopeList(given.scopes, 'settings.scopes');
  return { step, settings };
}

// -------------------------------------------------------------------------------------------------
// State

function progressOf(auth: SessionAuth): GuidedProgress {
  if (!auth.guided) {
    throw new SessionError('invalid_request', 'This session does not run OAuth in guided mode; start it with "guided": true.');
  }
  return auth.guided;
}

/** The run as the person sees it: each step's status, the plan of the next one, the outcome of those done. */
export async function guidedState(auth: SessionAuth): Promise<GuidedState> {
  const progress = progressOf(auth);
  const flow = await auth.ensureFlow();
  const grant = auth.settings.grant;
  const steps = guidedStepsFor(grant);
  const done = new Set(steps.filter((s) => progress.records.get(s)?.status === 'done'));
  const { next, waitingFor } = progress.finished
    ? {}
    : nextGuidedStep(steps, done, { grant, callbackReceived: Boolean(auth.heldCallback) });
  const views: GuidedStep[] = [];
  for (const id of steps) {
    const record = progress.records.get(id);
    const view: GuidedStep = { id, title: GUIDED_STEP_TITLES[id], status: record?.status ?? 'pending' };
    if (record) describeRecord(view, record, auth);
    if (id === next) {
      view.status = record?.status === 'failed' ? 'failed' : 'ready';
      Object.assign(view, await planStep(auth, flow, id));
    } else if (id === waitingFor) {
      view.status = 'waiting';
      view.explanation = auth.authorizationUrl
        ? 'Waiting for the browser to come back from the authorization server with a code: open the authorization URL.'
        : 'Waiting for the authorize step.';
    }
    views.push(view);
  }
  const settings: GuidedSettings = {
    grant,
    ...flow.settings,
    scopes: auth.settings.scopes,
    ...(flow.clientIdentity ? { clientAuthMethod: flow.clientIdentity.authMethod } : {}),
    ...(auth.settings.tolerate?.length ? { tolerated: [...auth.settings.tolerate] } : {}),
  };
  if (flow.discovered) {
    try {
      const choice = await flow.scopeChoice();
      if (settings.scopes.length === 0) settings.scopes = choice.scopes;
      settings.scopeSource = choice.source;
    } catch {
      // scopes are only a default here
    }
  }
  return {
    sessionId: auth.sessionId,
    serverUrl: auth.shownUrl(auth.serverUrl),
    redirectUri: flow.redirectUri,
    steps: views,
    ...(next ? { next } : {}),
    settings,
    ...(auth.authorizationUrl && !progress.finished ? { authorizationUrl: auth.authorizationUrl } : {}),
    callbackReceived: Boolean(auth.heldCallback),
    finished: progress.finished,
  };
}

function describeRecord(view: GuidedStep, record: GuidedRecord, auth: SessionAuth): void {
  if (record.outcome) view.outcome = record.outcome;
  if (record.error) view.error = record.error;
  if (record.refusal) view.refusal = record.refusal;
  if (record.facts) view.facts = record.facts;
  const events = auth.log.events(record.fromSeq);
  view.exchanges = exchangesBetween(events, record.toSeq);
  const jwts = events.flatMap((event) => (event.kind === 'finding' && event.jwt && event.seq <= record.toSeq ? [event.jwt] : []));
  if (jwts.length > 0) view.jwts = jwts;
}

/** The HTTP exchanges recorded in a seq range, already masked by the log. */
export function exchangesBetween(events: readonly TraceEvent[], toSeq: number): StepExchange[] {
  const byId = new Map<string, StepExchange>();
  for (const event of events) {
    if (event.seq > toSeq) break;
    if (event.kind === 'http.request') {
      const exchange: StepExchange = { method: event.method, url: event.url };
      const jwtHeaders = event.headers.filter(([name]) => isJwtValuedName(name));
      if (jwtHeaders.length > 0) exchange.jwtHeaders = jwtHeaders;
      if (event.body?.encoding === 'utf8' && event.body.text) exchange.requestBody = clip(event.body.text);
      byId.set(event.exchangeId, exchange);
    } else if (event.kind === 'http.response') {
      const exchange = byId.get(event.exchangeId);
      if (exchange) exchange.status = event.status;
    } else if (event.kind === 'http.end') {
      const exchange = byId.get(event.exchangeId);
      if (!exchange) continue;
      if (event.body?.encoding === 'utf8' && event.body.text) exchange.responseBody = clip(event.body.text);
      if (event.error) exchange.error = event.error.message;
    }
  }
  return [...byId.values()];
}

function clip(text: string): string {
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text;
}

// -------------------------------------------------------------------------------------------------
// Plans: what each step will send

async function planStep(auth: SessionAuth, flow: OAuthClientFlow, id: GuidedStepId): Promise<Pick<GuidedStep, 'explanation' | 'planned'>> {
  switch (id) {
    case 'discovery':
      return planDiscovery(auth);
    case 'client':
      return planClient(auth, flow);
    case 'authorize':
      return planAuthorize(flow);
    case 'token':
      return planToken(auth, flow);
    case 'connect':
      return planConnect(auth, flow);
  }
}

function planDiscovery(auth: SessionAuth): Pick<GuidedStep, 'explanation' | 'planned'> {
  const www = auth.challenge?.wwwAuthenticate ?? null;
  const named = bearerChallenge(www).resourceMetadata;
  const urls = protectedResourceMetadataUrls(auth.serverUrl, www);
  const planned: PlannedRequest[] = urls.map((url, index) => ({
    method: 'GET',
    url: auth.shownUrl(url),
    headers: [['accept', 'application/json']],
    note:
      index === 0 && named
        ? 'Named by the resource_metadata parameter of the 401 WWW-Authenticate header (RFC 9728).'
        : 'Well-known protected resource metadata URL; tried when the previous one has nothing.',
  }));
  planned.push({
    method: 'GET',
    url: '<authorization server>/.well-known/oauth-authorization-server',
    note: 'Then the metadata of the authorization server the resource names: RFC 8414 first, then OpenID discovery (openid-configuration, path inserted, then appended). Without any, the 2025-03-26 default endpoints at the server origin.',
  });
  return {
    explanation: www
      ? `The server answered 401 with WWW-Authenticate: ${www}`
      : 'No WWW-Authenticate challenge was seen, so discovery starts from the well-known URLs.',
    planned,
  };
}

async function planClient(auth: SessionAuth, flow: OAuthClientFlow): Promise<Pick<GuidedStep, 'explanation' | 'planned'>> {
  const d = flow.discovered;
  if (!d) return { explanation: 'Discovery has to run first.' };
  const settings = flow.settings;
  const methods = d.metadata?.token_endpoint_auth_methods_supported;
  const configured = settings.clientId || settings.clientMetadataUrl;
  const remembered = configured ? undefined : await (await auth.store()).getClient(d.issuer, flow.redirectUri);
  // The same decision the flow makes when the step runs.
  const choice = chooseClientIdentity({
    ...(settings.clientId ? { preRegistered: { clientId: settings.clientId, hasSecret: settings.hasClientSecret } } : {}),
    ...(settings.clientMetadataUrl ? { givenMetadataUrl: settings.clientMetadataUrl } : {}),
    ...(remembered ? { remembered: { clientId: remembered.clientId, authMethod: remembered.authMethod } } : {}),
    ownMetadataUrl: clientMetadataUrlFor(auth.publicUrl),
    ...(d.metadata?.client_id_metadata_document_supported !== undefined
      ? { metadataDocumentSupported: d.metadata.client_id_metadata_document_supported }
      : {}),
    ...(d.endpoints.registration ? { registrationEndpoint: d.endpoints.registration } : {}),
  });
  switch (choice.kind) {
    case 'pre-registered':
      return {
        explanation: `No request: use the pre-registered client ${choice.clientId}${choice.hasSecret ? ' with its secret' : ' (public, no secret)'}; it authenticates at the token endpoint with ${chooseClientAuth(methods, choice.hasSecret)}.`,
      };
    case 'metadata-document':
      return choice.given
        ? {
            explanation: `No request: the client ID is the URL of its metadata document, ${choice.url}; the authorization server fetches it.`,
          }
        : {
            explanation: `No request: the authorization server accepts client ID metadata documents, so the client ID is mcpscope's own, ${choice.url}.`,
          };
    case 'remembered':
      return {
        explanation: `No request: reuse client ${choice.clientId}, registered earlier at ${d.issuer} for ${flow.redirectUri} (${choice.authMethod}). Enter a client ID to use another one.`,
      };
    case 'needs-pre-registration':
      return {
        explanation: `${d.issuer} offers neither dynamic client registration nor client ID metadata documents: register mcpscope there with the redirect URI ${flow.redirectUri} and enter its client ID.`,
      };
    case 'register':
      break;
  }
  return {
    explanation:
      'Dynamic client registration (RFC 7591): the authorization server creates a client for mcpscope, remembered for next time.',
    planned: [
      {
        method: 'POST',
        url: choice.endpoint,
        headers: [['content-type', 'application/json']],
        body: JSON.stringify(flow.registrationRequest(), null, 2),
      },
    ],
  };
}

async function planAuthorize(flow: OAuthClientFlow): Promise<Pick<GuidedStep, 'explanation' | 'planned'>> {
  const d = flow.discovered;
  const client = flow.clientIdentity;
  if (!d || !client) return { explanation: 'Discovery and the client step have to run first.' };
  const choice = await flow.scopeChoice();
  const params: Array<[string, string]> = [
    ['response_type', 'code'],
    ['client_id', client.clientId],
    ['redirect_uri', flow.redirectUri],
    ['scope', choice.scopes.join(' ') || '(none: the server decides)'],
    ['state', '(32 random bytes, single use, valid 10 minutes)'],
    ['code_challenge', '(SHA-256 of a fresh code verifier, which stays on the server)'],
    ['code_challenge_method', 'S256'],
    ['resource', d.resource],
  ];
  return {
    explanation:
      'mcpscope builds the authorization URL and keeps the code verifier; your browser opens the URL, you sign in and consent, and the authorization server sends the browser back to the redirect URI with a code. Edit the scopes first if you want others.',
    planned: [{ method: 'GET', url: d.endpoints.authorization, params, note: 'Sent by your browser, not by mcpscope.' }],
  };
}

async function planToken(auth: SessionAuth, flow: OAuthClientFlow): Promise<Pick<GuidedStep, 'explanation' | 'planned'>> {
  const d = flow.discovered;
  const client = flow.clientIdentity;
  if (!d || !client) return { explanation: 'Discovery and the client step have to run first.' };
  const params: Array<[string, string]> = [];
  const headers: Array<[string, string]> = [['content-type', 'application/x-www-form-urlencoded']];
  let explanation: string;
  const planned: PlannedRequest[] = [];
  if (auth.settings.grant === 'client_credentials') {
    const scopes = auth.settings.scopes.length > 0 ? auth.settings.scopes : (await flow.scopeChoice()).scopes;
    params.push(['grant_type', 'client_credentials']);
    if (scopes.length > 0) params.push(['scope', scopes.join(' ')]);
    params.push(['resource', d.resource]);
    explanation = 'The client credentials grant: the client authenticates itself and gets a token for itself, no person involved.';
  } else if (auth.settings.grant === 'jwt_bearer' || auth.settings.grant === 'id_jag') {
    const idp = auth.settings.idp;
    if (auth.settings.grant === 'id_jag' && idp) {
      planned.push({
        method: 'POST',
        url: idp.tokenEndpoint,
        params: [
          ['grant_type', 'urn:ietf:params:oauth:grant-type:token-exchange'],
          ['requested_token_type', 'urn:ietf:params:oauth:token-type:id-jag'],
          ['audience', d.metadata?.issuer ?? d.issuer],
          ['resource', d.resource],
          ['subject_token', HIDDEN],
          ['subject_token_type', 'urn:ietf:params:oauth:token-type:id_token'],
          ['client_id', idp.clientId],
          ...(idp.clientSecret ? ([['client_secret', HIDDEN]] as Array<[string, string]>) : []),
        ],
        headers: [['content-type', 'application/x-www-form-urlencoded']],
        note: "First, at the person's identity provider: the ID token for an ID-JAG (RFC 8693 token exchange).",
      });
    }
    params.push(
      ['grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
      ['assertion', auth.settings.grant === 'id_jag' ? '(the ID-JAG from the first request)' : HIDDEN],
    );
    if (auth.settings.scopes.length > 0) params.push(['scope', auth.settings.scopes.join(' ')]);
    params.push(['resource', d.resource]);
    explanation =
      auth.settings.grant === 'id_jag'
        ? "Enterprise-managed authorization (SEP-990): the person's ID token is exchanged at their identity provider for an ID-JAG, which the jwt-bearer grant trades for an access token. No browser."
        : "The jwt-bearer grant (RFC 7523): a workload's identity token is traded for an access token (SEP-1933). No person involved; a refusal is not retried.";
  } else {
    const held = auth.heldCallback;
    if (held?.error) {
      return {
        explanation: `The authorization server sent back an error instead of a code: ${held.error}${held.errorDescription ? ` (${held.errorDescription})` : ''}. Running this step reports it; run the authorize step again to retry.`,
      };
    }
    params.push(
      ['grant_type', 'authorization_code'],
      ['code', held?.code ? maskSecret(held.code) : '(from the callback)'],
      ['code_verifier', HIDDEN],
    );
    params.push(['redirect_uri', flow.redirectUri], ['resource', d.resource]);
    explanation =
      'Trades the authorization code for tokens. The state of the callback was checked against the pending request; the code verifier proves this is the client that started it (PKCE).';
  }
  if (client.authMethod === 'client_secret_basic') headers.push(['authorization', 'Basic ••••']);
  else params.push(['client_id', client.clientId]);
  if (client.authMethod === 'client_secret_post') params.push(['client_secret', HIDDEN]);
  let note = `Client authentication: ${client.authMethod}.`;
  if (client.authMethod === 'private_key_jwt') {
    params.push(
      ['client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'],
      [
        'client_assertion',
        `(a JWT signed now with the client's private key: iss = sub = ${client.clientId}, aud = ${d.metadata?.issuer ?? d.issuer}, 5 minutes, a unique jti)`,
      ],
    );
    note += ' The assertion is masked in the log; the client_assertion finding shows it decoded.';
  }
  const dpop = await flow.dpopPlan();
  if (dpop) {
    headers.push(['dpop', `(a proof signed now with mcpscope's ${dpop.alg} key ${dpop.thumbprint}: htm POST, htu the token endpoint)`]);
    note += ' The server wants DPoP-bound tokens: the token is bound to that key (RFC 9449).';
  }
  planned.push({ method: 'POST', url: d.endpoints.token, params, headers, note });
  return { explanation, planned };
}

async function planConnect(auth: SessionAuth, flow: OAuthClientFlow): Promise<Pick<GuidedStep, 'explanation' | 'planned'>> {
  const token = flow.discovered ? await flow.tokenStatus() : undefined;
  return {
    explanation:
      'Connects to the MCP server again, now with the access token; the handshake shows on the timeline. From here on the token is refreshed before it expires, and once more when the server says it expired.',
    planned: [
      {
        method: 'POST',
        url: auth.shownUrl(auth.serverUrl),
        headers: [
          ...(token?.tokenType.toLowerCase() === 'dpop'
            ? ([
                ['authorization', `DPoP ${token.accessToken}`],
                ['dpop', "(a fresh proof for each request: htm, htu, ath = the token's hash, signed with the key the token is bound to)"],
              ] as Array<[string, string]>)
            : ([['authorization', `Bearer ${token?.accessToken ?? '••••'}`]] as Array<[string, string]>)),
          ['content-type', 'application/json'],
          ['accept', 'application/json, text/event-stream'],
        ],
        note: "The first request of the handshake (initialize, or server/discover on 2026-07-28 servers), with the session's custom headers.",
      },
    ],
  };
}

// -------------------------------------------------------------------------------------------------
// Running a step

/**
 * Applies the settings, runs `request.step` (the next one, or one done before, which drops those after it), and
 * records its outcome. `connect` reconnects the session with its token and says how that went. Failures are
 * recorded on the step, not thrown: the state shows them.
 */
export async function runGuidedStep(
  auth: SessionAuth,
  request: GuidedStepRequest,
  connect: () => Promise<{ ok: boolean; message: string }>,
): Promise<GuidedState> {
  const progress = progressOf(auth);
  if (progress.finished)
    throw new SessionError('invalid_request', 'The guided flow has finished: the session is connected with its token.');
  const flow = await auth.ensureFlow();
  applySettings(auth, flow, progress, request.settings);
  const grant = auth.settings.grant;
  const steps = guidedStepsFor(grant);
  if (!steps.includes(request.step)) {
    throw new SessionError('invalid_request', `The ${grant} grant has no "${request.step}" step; its steps are ${steps.join(', ')}.`);
  }
  const done = new Set(steps.filter((s) => progress.records.get(s)?.status === 'done'));
  const { next, waitingFor } = nextGuidedStep(steps, done, { grant, callbackReceived: Boolean(auth.heldCallback) });
  if (request.step !== next && !done.has(request.step)) {
    const why =
      waitingFor === request.step
        ? 'it waits for the browser to come back from the authorization server'
        : `the next step is "${next ?? waitingFor ?? 'none'}"`;
    throw new SessionError('invalid_request', `The "${request.step}" step cannot run yet: ${why}.`);
  }
  for (const later of [request.step, ...stepsAfter(steps, request.step)]) progress.records.delete(later);

  const fromSeq = auth.log.lastSeq;
  const record: GuidedRecord = { status: 'done', fromSeq, toSeq: fromSeq };
  try {
    const result = await runStep(auth, flow, request.step, connect);
    record.outcome = result.outcome;
    if (result.facts) record.facts = result.facts;
    if (result.failed) {
      record.status = 'failed';
      record.error = result.failed;
    }
  } catch (error) {
    const flowError = findFlowError(error);
    record.status = 'failed';
    record.error = flowError
      ? { code: flowError.code, message: flowError.message }
      : { code: (error as { code?: string }).code ?? 'step_failed', message: error instanceof Error ? error.message : String(error) };
    if (flowError?.refusal) {
      record.refusal = { ...flowError.refusal };
      auth.refusal = { ...flowError.refusal };
    }
    auth.error = record.error;
  }
  record.toSeq = auth.log.lastSeq;
  progress.records.set(request.step, record);
  return guidedState(auth);
}

interface StepResult {
  outcome: string;
  facts?: Array<[string, string]>;
  failed?: { code: string; message: string };
}

async function runStep(
  auth: SessionAuth,
  flow: OAuthClientFlow,
  step: GuidedStepId,
  connect: () => Promise<{ ok: boolean; message: string }>,
): Promise<StepResult> {
  switch (step) {
    case 'discovery': {
      const d = await flow.discover({ wwwAuthenticate: auth.challenge?.wwwAuthenticate ?? null });
      const facts: Array<[string, string]> = [
        ['resource', d.resource],
        ['authorization server', d.issuer],
        [
          'metadata',
          d.metadataUrl
            ? `${d.metadataUrl} (${d.metadataKind === 'oidc' ? 'OpenID discovery' : 'RFC 8414'})`
            : 'none: 2025-03-26 default endpoints',
        ],
        ['authorization endpoint', d.endpoints.authorization],
        ['token endpoint', d.endpoints.token],
        ['registration endpoint', d.endpoints.registration ?? '(none)'],
      ];
      if (d.resourceMetadataUrl) facts.unshift(['resource metadata', d.resourceMetadataUrl]);
      const supported = d.resourceMetadata?.scopes_supported;
      if (supported?.length) facts.push(['scopes supported', supported.join(' ')]);
      const methods = d.metadata?.token_endpoint_auth_methods_supported;
      if (methods?.length) facts.push(['client authentication', methods.join(', ')]);
      return { outcome: `Found ${d.issuer}`, facts };
    }
    case 'client': {
      const identity = await flow.ensureClient();
      return {
        outcome: `Client ${identity.clientId} (${describeSource(identity.source)})`,
        facts: [
          ['client_id', identity.clientId],
          ['token endpoint authentication', identity.authMethod],
          ['secret', identity.hasSecret ? 'yes (stays on the server)' : 'none (public client)'],
        ],
      };
    }
    case 'authorize': {
      auth.heldCallback = undefined;
      const request = await flow.startAuthorization();
      auth.authorizationUrl = request.authorizationUrl;
      auth.needed = 'authorize';
      return {
        outcome: 'Authorization URL ready: open it to sign in.',
        facts: [
          ['scopes', request.scopes.join(' ') || '(none)'],
          ['redirect_uri', request.redirectUri],
          ['valid until', new Date(request.expiresAt).toISOString()],
        ],
      };
    }
    case 'token': {
      const view = isMachineGrant(auth.settings.grant)
        ? await auth.runMachineGrant(flow, auth.settings.scopes)
        : await exchangeHeldCode(auth, flow);
      auth.usesTokens = true;
      auth.clearNeed();
      const facts: Array<[string, string]> = [
        ['access token', view.accessToken],
        ['token type', view.tokenType],
        ['scopes', view.scopes.join(' ') || '(none)'],
        ['expires', view.expiresAt !== undefined ? new Date(view.expiresAt).toISOString() : '(not said)'],
        ['refresh token', view.refreshToken ?? '(none)'],
      ];
      const dpop = view.tokenType.toLowerCase() === 'dpop' ? await flow.dpopPlan() : undefined;
      if (dpop) facts.push(['bound to (DPoP)', `mcpscope's ${dpop.alg} key, thumbprint ${dpop.thumbprint}`]);
      return { outcome: `Access token ${view.accessToken} issued`, facts };
    }
    case 'connect': {
      auth.guided!.finished = true;
      const outcome = await connect();
      if (!outcome.ok) {
        auth.guided!.finished = false;
        return { outcome: outcome.message, failed: { code: 'connect_failed', message: outcome.message } };
      }
      return { outcome: outcome.message };
    }
  }
}

async function exchangeHeldCode(auth: SessionAuth, flow: OAuthClientFlow) {
  const held = auth.heldCallback;
  if (!held) throw new SessionError('invalid_request', 'No authorization code yet: open the authorization URL first.');
  // The code is single use: whatever happens, it is not offered again.
  auth.heldCallback = undefined;
  return flow.handleCallback(held);
}

function describeSource(source: string): string {
  switch (source) {
    case 'pre-registered':
      return 'pre-registered';
    case 'remembered':
      return 'registered earlier, reused';
    case 'registered':
      return 'registered just now';
    case 'metadata-document':
      return 'client ID metadata document';
    default:
      return source;
  }
}

function applySettings(auth: SessionAuth, flow: OAuthClientFlow, progress: GuidedProgress, settings: GuidedStepRequest['settings']): void {
  if (!settings) return;
  if (settings.tolerate) {
    const already = new Set(auth.settings.tolerate ?? []);
    // The same "continue anyway" as outside guided mode: a checks_tolerated finding, then each mismatch one.
    auth.tolerate((settings.tolerate as TolerableCheck[]).filter((check) => !already.has(check)));
    auth.refusal = undefined;
  }
  const steps = guidedStepsFor(auth.settings.grant);
  const drop = (from: GuidedStepId) => {
    for (const s of [from, ...stepsAfter(steps, from)]) progress.records.delete(s);
  };
  if (settings.grant && settings.grant !== auth.settings.grant) {
    auth.settings.grant = settings.grant;
    drop('authorize');
    progress.records.delete('token');
  }
  const clientChanged =
    (settings.clientId !== undefined && (settings.clientId || undefined) !== auth.settings.clientId) ||
    (settings.clientSecret !== undefined && (settings.clientSecret || undefined) !== auth.settings.clientSecret) ||
    (settings.clientMetadataUrl !== undefined && (settings.clientMetadataUrl || undefined) !== auth.settings.clientMetadataUrl);
  if (clientChanged) {
    const clientId = settings.clientId !== undefined ? settings.clientId || undefined : auth.settings.clientId;
    let clientSecret = settings.clientSecret !== undefined ? settings.clientSecret || undefined : auth.settings.clientSecret;
    if (!clientId) clientSecret = undefined;
    const clientMetadataUrl =
      settings.clientMetadataUrl !== undefined ? settings.clientMetadataUrl || undefined : auth.settings.clientMetadataUrl;
    if (clientId && clientMetadataUrl) {
      throw new SessionError(
        'invalid_request',
        'Give either a client ID or a client metadata URL (which is itself the client ID), not both.',
      );
    }
    auth.settings = {
      ...auth.settings,
      ...{ clientId, clientSecret, clientMetadataUrl },
    };
    flow.configure({
      client: clientId ? { clientId, ...(clientSecret ? { clientSecret } : {}) } : null,
      clientMetadataUrl: clientMetadataUrl ?? null,
    });
    drop('client');
  }
  if (auth.settings.grant === 'client_credentials' && (!auth.settings.clientId || !auth.settings.clientSecret)) {
    // Said now rather than at the token step.
    auth.error = { code: 'client_required', message: 'The client credentials grant needs a client ID and a client secret.' };
  }
  if (settings.scopes !== undefined) {
    const same = settings.scopes.join(' ') === auth.settings.scopes.join(' ');
    auth.settings.scopes = [...settings.scopes];
    flow.configure({ scopes: settings.scopes.length > 0 ? settings.scopes : null });
    if (!same && progress.records.has('authorize')) drop('authorize');
  }
}
