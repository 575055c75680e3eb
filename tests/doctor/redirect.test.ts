// The Doctor's redirect URI step against a real authorization server (the OAuth fixture: oidc-provider): the
// authorization request the flow would send, the first answer read and not followed, nothing authorized.
import { describe, expect, it } from 'vitest';
import { startChaosServer } from '@/e2e/fixtures';
import { CODELESS_CLIENT_ID, startOAuthFixture, type OAuthFixture } from '@/e2e/fixtures/oauth';
import { OAuthClientFlow, type PreRegisteredClient } from '@/lib/oauth';
import type { Store } from '@/lib/store';
import type { SecretSet, TraceLog } from '@/lib/trace';
import { tempStore, TEST_PUBLIC_ORIGIN, TEST_REDIRECT_URI } from '../oauth/helpers';
import { diagnose, step } from './helpers';
import { startedForSuite } from '../fixtures/suite';

/** The authorization requests the Doctor sent (GETs to the authorization endpoint), as recorded. */
function authorizationRequests(log: TraceLog, issuer: string): URL[] {
  return log
    .events()
    .flatMap((event) =>
      event.kind === 'http.request' && event.method === 'GET' && event.url.startsWith(`${issuer}/auth`) ? [new URL(event.url)] : [],
    );
}

const ts = startedForSuite(tempStore);

/** The states of the authorization requests flows saved as pending (the log shows them masked). */
const savedStates: string[] = [];

function flowFactory(fx: OAuthFixture, client?: PreRegisteredClient) {
  const store: Store = Object.create(ts().store, {
    savePendingAuthorization: {
      value: (pending: Parameters<Store['savePendingAuthorization']>[0]) => {
        savedStates.push(pending.state);
        return ts().store.savePendingAuthorization(pending);
      },
    },
  });
  return (log: TraceLog, secrets: SecretSet) =>
    new OAuthClientFlow({
      serverUrl: fx.mcpUrl,
      owner: 'doctor-owner',
      store,
      log,
      secrets,
      publicOrigin: TEST_PUBLIC_ORIGIN,
      ...(client ? { client } : {}),
    });
}

describe('redirect URI accepted', () => {
  const fx = startedForSuite(startOAuthFixture);

  it('after dynamic registration: the request goes out as the flow sends it, a login page answers, nothing is authorized', async () => {
    savedStates.length = 0;
    const { report, log } = await diagnose(fx().mcpUrl, { oauthFlow: flowFactory(fx()) });
    expect(report.outcome).toBe('auth_required');
    const redirect = step(report, 'redirect-uri');
    expect(redirect.status, redirect.seen.join('\n')).toBe('pass');
    expect(redirect.seen.join(' ')).toContain(`redirect_uri ${TEST_REDIRECT_URI}`);
    expect(redirect.seen.join(' ')).toMatch(/\(registered\)/);
    expect(redirect.seen.at(-1)).toMatch(/HTTP 30\d to .*\/interaction\/.*sign-in or consent page/);
    // The request the flow would send: PKCE S256, state, resource, mcpscope's callback.
    const [sent, ...more] = authorizationRequests(log, fx().issuer);
    expect(more).toEqual([]);
    expect(sent!.searchParams.get('code_challenge_method')).toBe('S256');
    expect(sent!.searchParams.get('code_challenge')).toBeTruthy();
    expect(sent!.searchParams.get('resource')).toBe(fx().mcpUrl);
    expect(sent!.searchParams.get('redirect_uri')).toBe(TEST_REDIRECT_URI);
    expect(sent!.searchParams.get('state')).toBeTruthy();
    expect(savedStates).toHaveLength(1);
    const state = savedStates[0]!;
    // Not followed into the login, no code exchanged, and the pending request (its verifier) is gone.
    expect(fx().events.filter((event) => event.kind === 'authorization' || event.kind === 'token')).toEqual([]);
    expect(fx().events.filter((event) => event.kind === 'registration')).toHaveLength(1);
    expect(await ts().store.takePendingAuthorization(state)).toBeUndefined();
    // Recorded like the other steps: its exchanges (registration and the authorization request) and its phase.
    const ids = new Set(redirect.exchangeIds);
    const exchanges = log.events().filter((event) => event.kind === 'http.request' && ids.has(event.exchangeId));
    expect(exchanges.some((event) => event.kind === 'http.request' && event.url.startsWith(`${fx().issuer}/auth`))).toBe(true);
    expect(exchanges.some((event) => event.kind === 'http.request' && event.method === 'POST' && /\/reg\b/.test(event.url))).toBe(true);
    const phase = log
      .events()
      .find((event) => event.kind === 'phase' && event.name === 'doctor:redirect-uri' && event.status !== 'started');
    expect(phase).toMatchObject({ status: 'ok' });
    expect(step(report, 'token-endpoint').status).toBe('pass');
  });

  it('with the pre-registered client whose redirect URIs include the callback', async () => {
    const { report } = await diagnose(fx().mcpUrl, { oauthFlow: flowFactory(fx(), { clientId: fx().preRegisteredClientId }) });
    const redirect = step(report, 'redirect-uri');
    expect(redirect.status, redirect.seen.join('\n')).toBe('pass');
    expect(redirect.seen[0]).toContain(`client ${fx().preRegisteredClientId} (pre-registered)`);
  });

  it('a client not allowed the code flow: back at the callback with an error, refused and named, the redirect URI said accepted', async () => {
    const { report } = await diagnose(fx().mcpUrl, { oauthFlow: flowFactory(fx(), { clientId: CODELESS_CLIENT_ID }) });
    expect(report.outcome).toBe('failed');
    expect(report.failedStep).toBe('redirect-uri');
    const redirect = step(report, 'redirect-uri');
    expect(redirect.code).toBe('authorization_request_refused');
    expect(redirect.seen).toContain('HTTP 303 back to the callback with an error');
    expect(redirect.seen.at(-1)).toMatch(/^error (invalid_request|unauthorized_client): .*response_type/);
    expect(redirect.advice).toContain(`came back to ${TEST_REDIRECT_URI}, so it accepts that redirect URI`);
    expect(redirect.advice).toContain(`the client ${CODELESS_CLIENT_ID} is allowed the authorization code flow`);
    expect(step(report, 'token-endpoint').status).toBe('skipped');
  });

  it('does not apply without a flow (the CLI)', async () => {
    const { report } = await diagnose(fx().mcpUrl);
    expect(step(report, 'redirect-uri').status).toBe('na');
    expect(report.outcome).toBe('auth_required');
  });
});

describe('redirect URI refused', () => {
  // The pre-registered client knows only another callback: the authorization server must refuse ours.
  const fx = startedForSuite(() => startOAuthFixture({ redirectUris: ['https://mcpscope.elsewhere.example/callback'] }));

  it('stops at the step, names the refusal and says what to register', async () => {
    const { report, log } = await diagnose(fx().mcpUrl, { oauthFlow: flowFactory(fx(), { clientId: fx().preRegisteredClientId }) });
    expect(report.outcome).toBe('failed');
    expect(report.failedStep).toBe('redirect-uri');
    const redirect = step(report, 'redirect-uri');
    expect(redirect.status).toBe('fail');
    expect(redirect.code).toBe('redirect_uri_refused');
    expect(redirect.seen.join('\n')).toMatch(/HTTP 400, application\/json: an error page/);
    expect(redirect.seen.join('\n')).toContain('error invalid_redirect_uri');
    expect(redirect.advice).toContain(`Add ${TEST_REDIRECT_URI} to the redirect URIs of the client ${fx().preRegisteredClientId}`);
    expect(redirect.advice).toContain('PUBLIC_URL');
    expect(step(report, 'token-endpoint').status).toBe('skipped');
    expect(report.summary).toContain('Redirect URI acceptance');
    const phase = log
      .events()
      .find((event) => event.kind === 'phase' && event.name === 'doctor:redirect-uri' && event.status !== 'started');
    expect(phase).toMatchObject({ status: 'failed', error: { code: 'redirect_uri_refused' } });
    expect(authorizationRequests(log, fx().issuer)).toHaveLength(1);
    expect(fx().events.filter((event) => event.kind === 'token')).toEqual([]);
  });
});

describe('an authorization server that approves at once (chaos /token-html)', () => {
  const chaos = startedForSuite(startChaosServer);

  it('straight back to the callback with a code: accepted, the code not exchanged nor shown; the run goes on to the token step', async () => {
    const url = chaos().url('/token-html');
    const { report, log } = await diagnose(url, {
      oauthFlow: (flowLog, secrets) =>
        new OAuthClientFlow({
          serverUrl: url,
          owner: 'doctor-owner',
          store: ts().store,
          log: flowLog,
          secrets,
          publicOrigin: TEST_PUBLIC_ORIGIN,
        }),
    });
    const redirect = step(report, 'redirect-uri');
    expect(redirect.status, redirect.seen.join('\n')).toBe('pass');
    expect(redirect.seen.at(-1)).toMatch(/^HTTP 302 straight back to the callback with a code/);
    expect(redirect.seen.join(' ')).not.toMatch(/chaos-code-/);
    // The made-up code of the token step is the only one a token endpoint saw.
    const tokenRequests = log
      .events()
      .filter((event) => event.kind === 'http.request' && event.method === 'POST' && event.url.endsWith('/as/token'));
    expect(tokenRequests).toHaveLength(1);
    expect(JSON.stringify(log.events())).not.toMatch(/chaos-code-/);
    expect(step(report, 'token-endpoint')).toMatchObject({ status: 'fail', code: 'oauth_html_response' });
    expect(report.failedStep).toBe('token-endpoint');
  });
});
