// The saved-servers API's logic on a real store (SQLite in a temp dir) and a real session registry: no header or env
// value in any answer, per-entry problems on import, placeholders on export, and connecting through the registry's
// launch policy.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';
import type { ImportServersResponse, SavedServerView } from '@/lib/contract';
import { connectSaved, exportSaved, forgetSaved, importConfig, listSaved, saveFromForm, updateSaved } from '@/lib/saved-servers';
import { SessionRegistry } from '@/lib/sessions';
import { tempStore, type TestStore } from '../oauth/helpers';

const OWNER = 'owner-aaaaaaaaaaaaaaaaaaaaaa';
const OTHER = 'owner-bbbbbbbbbbbbbbbbbbbbbb';
const SECRET = 'sk-live-0123456789abcdef0123';
const SAMPLES = path.join(__dirname, '../servers/samples');

let ts: TestStore;
beforeEach(async () => {
  ts = await tempStore();
});
afterEach(async () => {
  await ts.close();
});

describe('saved servers service', () => {
  it('saves from the form, lists without any header or env value, scoped to the owner', async () => {
    const saved = await saveFromForm(ts.store, OWNER, {
      name: 'api',
      target: { kind: 'url', url: 'https://api.example.com/mcp', headers: { Authorization: `Bearer ${SECRET}` } },
      keepSecrets: true,
    });
    expect(saved.status).toBe(201);
    const command = await saveFromForm(ts.store, OWNER, {
      name: 'local',
      target: { kind: 'command', command: 'node', args: ['server.js', '--api-key', SECRET], env: { TOKEN: SECRET } },
    });
    expect(command.status).toBe(201);
    const list = await listSaved(ts.store, OWNER);
    expect(JSON.stringify(list)).not.toContain(SECRET);
    expect(JSON.stringify(saved.body)).not.toContain(SECRET);
    const [api, local] = list as [SavedServerView, SavedServerView];
    expect(api).toMatchObject({ name: 'api', secretsKept: true, needs: [], target: { kind: 'url', headerNames: ['Authorization'] } });
    expect(local).toMatchObject({
      name: 'local',
      secretsKept: false,
      withheld: { headers: [], env: ['TOKEN'] },
      needs: [{ field: 'env', name: 'TOKEN', reason: 'withheld' }],
      target: { kind: 'command', envNames: ['TOKEN'], args: ['server.js', '--api-key', '••••'] },
    });
    expect(await listSaved(ts.store, OTHER)).toEqual([]);
    expect((await forgetSaved(ts.store, OTHER, api.id)).status).toBe(404);
  });

  it('refuses a bad target with the problem, and a rename onto a taken name', async () => {
    const bad = await saveFromForm(ts.store, OWNER, { name: 'x', target: { kind: 'url', url: 'javascript:alert(1)' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_request' } });
    const a = await saveFromForm(ts.store, OWNER, { name: 'a', target: { kind: 'url', url: 'https://a.example/mcp' } });
    await saveFromForm(ts.store, OWNER, { name: 'b', target: { kind: 'url', url: 'https://b.example/mcp' } });
    const id = (a.body as SavedServerView).id;
    const taken = await updateSaved(ts.store, OWNER, id, { name: 'b', target: { kind: 'url', url: 'https://a.example/mcp' } });
    expect(taken).toMatchObject({ status: 409, body: { error: { code: 'name_taken' } } });
    const renamed = await updateSaved(ts.store, OWNER, id, { name: 'c', target: { kind: 'url', url: 'https://c.example/mcp' } });
    expect(renamed.status).toBe(200);
    expect((await listSaved(ts.store, OWNER)).map((s) => [s.name, s.target.kind === 'url' && s.target.url])).toEqual([
      ['b', 'https://b.example/mcp'],
      ['c', 'https://c.example/mcp'],
    ]);
  });

  it('imports each client sample: a preview saves nothing, then the entries are saved, problems by entry', async () => {
    for (const file of fs.readdirSync(SAMPLES)) {
      const text = fs.readFileSync(path.join(SAMPLES, file), 'utf8');
      const preview = await importConfig(ts.store, OWNER, { text, preview: true });
      const body = preview.body as ImportServersResponse;
      expect(body.servers.length, file).toBeGreaterThan(0);
      expect(body.saved).toBeUndefined();
      expect(await listSaved(ts.store, OWNER)).toEqual([]);
      const imported = await importConfig(ts.store, OWNER, { text });
      const saved = (imported.body as ImportServersResponse).saved ?? [];
      expect(saved.map((s) => s.name).sort(), file).toEqual(body.servers.map((s) => s.name).sort());
      for (const server of await listSaved(ts.store, OWNER)) await forgetSaved(ts.store, OWNER, server.id);
    }
    const broken = await importConfig(ts.store, OWNER, {
      text: JSON.stringify({ mcpServers: { good: { url: 'https://ok.example/mcp' }, bad: { url: 'file:///etc/passwd' } } }),
    });
    const body = broken.body as ImportServersResponse;
    expect(body.saved?.map((s) => s.name)).toEqual(['good']);
    expect(body.problems).toEqual([expect.objectContaining({ entry: 'bad', severity: 'error' })]);
  });

  it('exports with placeholders unless kept values are asked for', async () => {
    await saveFromForm(ts.store, OWNER, {
      name: 'api',
      target: { kind: 'url', url: 'https://api.example.com/mcp', headers: { Authorization: `Bearer ${SECRET}` } },
      keepSecrets: true,
    });
    for (const format of ['claude-desktop', 'cursor', 'vscode', 'claude-code'] as const) {
      const snippet = await exportSaved(ts.store, OWNER, { format });
      expect(snippet.status).toBe(200);
      expect(JSON.stringify(snippet.body), format).not.toContain(SECRET);
    }
    const kept = await exportSaved(ts.store, OWNER, { format: 'cursor', keepSecrets: true });
    expect(JSON.stringify(kept.body)).toContain(SECRET);
    expect((await exportSaved(ts.store, OTHER, { format: 'cursor' })).status).toBe(404);
  });

  it('connects only with the withheld values filled, and a command only with the launch token', async () => {
    const registry = new SessionRegistry({ config: readConfig({}), store: async () => ts.store });
    try {
      const saved = await saveFromForm(ts.store, OWNER, {
        name: 'local',
        target: { kind: 'command', command: process.execPath, args: ['-e', ''], env: { TOKEN: SECRET } },
      });
      const id = (saved.body as SavedServerView).id;
      const missing = await connectSaved(ts.store, registry, OWNER, id, {}, {});
      expect(missing).toMatchObject({
        status: 400,
        body: { error: { code: 'values_missing' }, missing: [{ field: 'env', name: 'TOKEN' }] },
      });
      const noToken = await connectSaved(ts.store, registry, OWNER, id, { env: { TOKEN: SECRET } }, {});
      expect(noToken).toMatchObject({ status: 403, body: { error: { code: 'launch_token_invalid' } } });
      expect(registry.countFor(OWNER)).toBe(0);
      // Not a connect: nothing is remembered about how it went.
      expect((await listSaved(ts.store, OWNER))[0]?.lastOutcome).toBeUndefined();
      expect((await connectSaved(ts.store, registry, OTHER, id, {}, {})).status).toBe(404);
    } finally {
      await registry.shutdown();
    }
  });
});
