// Issue 12, "Medium and low": secrets in the server URL (`?api_key=`, `?access_token=`, `?secret=`) and in JSON
// bodies (`secret`, `token`, `Password`, a numeric `password`, `sessionToken`, a short secret echoed back) must not
// reach anything mcpscope hands out: the session summary, the summary event and the events stream, the JSON export,
// the HAR file, the handshake script, a share. Attacked through the real routes, against a real SDK server that
// echoes what it is sent; the server must still get the real URL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as createSession } from '@/app/api/sessions/route';
import { GET as getSession } from '@/app/api/sessions/[id]/route';
import { GET as events } from '@/app/api/sessions/[id]/events/route';
import { GET as download } from '@/app/api/sessions/[id]/log/route';
import { POST as rpc } from '@/app/api/sessions/[id]/rpc/route';
import { POST as share } from '@/app/api/sessions/[id]/share/route';
import { GET as readShare } from '@/app/api/shares/[id]/route';
import { getRegistry, ownerFromCookieHeader } from '@/lib/sessions';
import { getSharedStore } from '@/lib/store';
import { buildHandshakeScript, parseJsonExport, toolCallSnippet } from '@/lib/trace';
import { apiRequest } from '../fixtures/helpers';
import { refusedUrl, startSilentServer, startStatefulServer, startUnauthorizedServer, type TestServer } from '../mcp/servers';

const BASE = 'http://localhost:3998';
const URL_SECRETS = {
  api_key: 'AKIAurlsecret0000A1',
  access_token: 'urltoken-7d1f2e3a4b5c',
  secret: 'urlsecret-9e8d7c6b5a',
};
const BODY_SECRETS = {
  secret: 'bodysecret-4e5f6a7b8c',
  token: 'bodytoken-1a2b3c4d5e',
  Password: 'BodyPassword-77x',
  sessionToken: 'sess-0f1e2d3c4b5a',
};
/** A numeric password and a 4-digit PIN: short enough for the old rules to leave them alone. */
const NUMERIC_PASSWORD = 904417;
const PIN = '8421';

let dataDir: string;
let server: TestServer;
const extraServers: TestServer[] = [];
let sessionId: string;
let cookie: string;
let serverUrl: string;
const previousDir = process.env.MCPSCOPE_DATA_DIR;

const params = (id: string) => ({ params: Promise.resolve({ id }) });

function request(method: string, pathname: string, body?: unknown, withCookie: string | null = cookie): Request {
  return apiRequest(`${BASE}${pathname}`, method, body, withCookie);
}

function expectNoSecret(what: string, text: string): void {
  for (const value of [...Object.values(URL_SECRETS), ...Object.values(BODY_SECRETS)]) {
    expect(text, `${what} shows ${value}`).not.toContain(value);
    expect(text, `${what} shows ${value} percent-encoded`).not.toContain(encodeURIComponent(value));
  }
  expect(text, `${what} shows the numeric password`).not.toMatch(new RegExp(`(?<![0-9])${NUMERIC_PASSWORD}(?![0-9])`));
  expect(text, `${what} shows the PIN`).not.toMatch(new RegExp(`(?<![0-9A-Za-z])${PIN}(?![0-9A-Za-z])`));
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-secrets-'));
  process.env.MCPSCOPE_DATA_DIR = dataDir;
  server = await startStatefulServer();
  serverUrl = `${server.url}?api_key=${URL_SECRETS.api_key}&profile=dev&access_token=${URL_SECRETS.access_token}&secret=${URL_SECRETS.secret}`;
  const response = await createSession(request('POST', '/api/sessions', { url: serverUrl }, null));
  expect(response.status).toBe(201);
  cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  const created = (await response.json()) as { id: string; url: string };
  sessionId = created.id;
  expectNoSecret('the create answer', JSON.stringify(created));

  // A tool call whose arguments carry secrets under every spelling the old rules missed; the echo tool sends the
  // text (with the PIN and the numeric password in it) back.
  const call = await rpc(
    request('POST', `/api/sessions/${sessionId}/rpc`, {
      method: 'tools/call',
      params: {
        name: 'echo',
        arguments: {
          text: `pin ${PIN}, password ${NUMERIC_PASSWORD}, ${BODY_SECRETS.sessionToken}`,
          ...BODY_SECRETS,
          password: NUMERIC_PASSWORD,
          pin: PIN,
        },
      },
    }),
    params(sessionId),
  );
  expect(call.status).toBe(200);
  // The answer to the caller is the server's own: the person asked for it.
  expect(JSON.stringify(await call.json())).toContain(PIN);
});

afterAll(async () => {
  await getRegistry().shutdown();
  await server.close();
  for (const extra of extraServers) await extra.close();
  await (await getSharedStore()).close();
  process.env.MCPSCOPE_DATA_DIR = previousDir;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('secrets in the server URL and in bodies', () => {
  it('connects with the real URL: the server got every query value', () => {
    const first = server.seen.find((seen) => seen.method === 'POST');
    expect(first?.path).toContain(`api_key=${URL_SECRETS.api_key}`);
    expect(first?.path).toContain(`secret=${URL_SECRETS.secret}`);
  });

  it('GET /api/sessions/:id shows the URL with credential values masked, the rest as typed', async () => {
    const summary = (await (await getSession(request('GET', `/api/sessions/${sessionId}`), params(sessionId))).json()) as { url: string };
    expectNoSecret('the summary', JSON.stringify(summary));
    expect(summary.url).toBe(`${server.url}?api_key=••••00A1&profile=dev&access_token=••••4b5c&secret=••••6b5a`);
  });

  it('the events stream (trace and summary events) never carries them', async () => {
    const response = await events(request('GET', `/api/sessions/${sessionId}/events`), params(sessionId));
    const reader = response.body!.getReader();
    let text = '';
    // The replay of the whole log, then the summary: read until both are in.
    const deadline = Date.now() + 5000;
    while (
      !(text.includes('event: summary') && text.includes('"method":"tools/call"') && text.includes('pin ••••')) &&
      Date.now() < deadline
    ) {
      const read = await reader.read();
      if (read.done) break;
      text += new TextDecoder().decode(read.value);
    }
    await reader.cancel();
    expect(text).toContain('event: summary');
    expect(text).toContain('pin ••••');
    expectNoSecret('the events stream', text);
  });

  it('the JSON export (metadata included) and the HAR (page title included) never carry them', async () => {
    const json = await (await download(request('GET', `/api/sessions/${sessionId}/log?format=json`), params(sessionId))).text();
    expectNoSecret('the JSON export', json);
    const exported = parseJsonExport(JSON.parse(json));
    expect(exported.meta.serverUrl).toContain('api_key=••••00A1');
    // The echo came back, masked where it quoted a secret.
    expect(json).toContain('pin ••••, password ••••');
    const har = await (await download(request('GET', `/api/sessions/${sessionId}/log?format=har`), params(sessionId))).text();
    expectNoSecret('the HAR', har);
    expect((JSON.parse(har) as { log: { pages: Array<{ title: string }> } }).log.pages[0]!.title).toContain('api_key=••••00A1');
  });

  it('the handshake script and the tool-call snippet ask for them instead', async () => {
    const session = getRegistry().get(ownerFromCookieHeader(cookie)!, sessionId)!;
    const script = buildHandshakeScript(session.log.events(), { meta: session.log.meta });
    expectNoSecret('the handshake script', script.script);
    expect(script.variables.map((v) => v.name)).toEqual(expect.arrayContaining(['API_KEY', 'ACCESS_TOKEN', 'SECRET']));
    const snippet = toolCallSnippet({ serverUrl: session.url, transport: 'auto', toolName: 'echo' });
    expectNoSecret('the snippet', snippet);
    expect(snippet).toContain('url.searchParams.set("api_key", env("API_KEY"))');
  });

  it('a failed connect says why without them, in its answer, its summary and its log', async () => {
    const unauthorized = await startUnauthorizedServer();
    const silent = await startSilentServer();
    extraServers.push(unauthorized, silent);
    for (const target of [await refusedUrl(), unauthorized.url, silent.url]) {
      const url = `${target}?api_key=${URL_SECRETS.api_key}&secret=${URL_SECRETS.secret}`;
      const response = await createSession(request('POST', '/api/sessions', { url, timeouts: { connectMs: 1500 } }, cookie));
      const answer = await response.text();
      expectNoSecret(`the answer for ${target}`, answer);
      const id =
        (JSON.parse(answer) as { id?: string; sessionId?: string }).id ?? (JSON.parse(answer) as { sessionId?: string }).sessionId!;
      const summary = await (await getSession(request('GET', `/api/sessions/${id}`), params(id))).text();
      expectNoSecret(`the summary for ${target}`, summary);
      const log = await (await download(request('GET', `/api/sessions/${id}/log?format=json`), params(id))).text();
      expectNoSecret(`the log for ${target}`, log);
    }
  });

  it('a share never carries them, with or without query masking', async () => {
    for (const body of [{}, { maskQuery: true }]) {
      const created = await share(request('POST', `/api/sessions/${sessionId}/share`, body), params(sessionId));
      expect(created.status).toBe(201);
      const { shareId } = (await created.json()) as { shareId: string };
      const text = await (await readShare(request('GET', `/api/shares/${shareId}`, undefined, null), params(shareId))).text();
      expectNoSecret('the share', text);
    }
  });
});
