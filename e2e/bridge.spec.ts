import { test, expect, type APIRequestContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatCommandLine } from '@/lib/contract';
import { startChildServer } from './fixtures/child-server';
import type { FixtureServer } from './fixtures/types';
import { connectTo } from './helpers';

// Real stdio servers from npm reached over HTTP through supergateway, a common stdio-to-HTTP bridge from npm: the
// official memory server over Streamable HTTP, the official filesystem server over legacy HTTP+SSE (through the
// UI), and nothing of theirs left running once the bridge stops.

const ROOT = path.resolve(__dirname, '..');
const GATEWAY = path.join(__dirname, 'fixtures/supergateway.mjs');
const FILESYSTEM = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
const MEMORY = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');

/** The processes whose command line holds `needle` (a test's own temp dir names its server). */
function processesWith(needle: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(needle) && !line.includes('ps -eo'));
}

async function bridge(stdio: string, output: 'streamableHttp' | 'sse', extra: string[] = []): Promise<FixtureServer> {
  return startChildServer({
    name: `supergateway (${output})`,
    entry: GATEWAY,
    args: ['--stdio', stdio, '--outputTransport', output, '--logLevel', 'none', ...extra],
    endpoint: output === 'sse' ? '/sse' : '/mcp',
  });
}

async function call(api: APIRequestContext, id: string, name: string, args: Record<string, unknown>): Promise<string> {
  const response = await api.post(`/api/sessions/${id}/rpc`, { data: { method: 'tools/call', params: { name, arguments: args } } });
  expect(response.status()).toBe(200);
  return JSON.stringify(await response.json());
}

test('the official memory server over Streamable HTTP through supergateway: creates entities, reads them back', async ({ request }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcpscope-e2e-bridge-'));
  const file = path.join(dir, 'memory.jsonl');
  // supergateway runs the command through a shell: the variable is set there, for the server only.
  const server = await bridge(`MEMORY_FILE_PATH=${file} ${formatCommandLine(process.execPath, [MEMORY])}`, 'streamableHttp', [
    '--stateful',
  ]);
  try {
    const created = await request.post('/api/sessions', { data: { url: server.url, transport: 'streamable-http' } });
    expect(created.status(), await created.text()).toBe(201);
    const session = (await created.json()) as { id: string; state: string; transport: string; server: { name: string } };
    expect(session.state).toBe('connected');
    expect(session.server.name).toMatch(/memory/i);
    await call(request, session.id, 'create_entities', {
      entities: [{ name: 'bridge', entityType: 'test', observations: ['reached over HTTP through supergateway'] }],
    });
    expect(await call(request, session.id, 'read_graph', {})).toContain('reached over HTTP through supergateway');
    expect(readFileSync(file, 'utf8')).toContain('bridge');
    await request.delete(`/api/sessions/${session.id}`);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the official filesystem server over legacy HTTP+SSE through supergateway, from the connect form; nothing left once the bridge stops', async ({
  page,
}) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcpscope-e2e-bridge-fs-'));
  writeFileSync(path.join(dir, 'hello.txt'), 'hello through a bridge\n');
  const server = await bridge(formatCommandLine(process.execPath, [FILESYSTEM, dir]), 'sse');
  try {
    await connectTo(page, server.url, 'sse');
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    await expect(page.getByTestId('era-badge')).toHaveAttribute('data-era', 'legacy-sse');
    const id = decodeURIComponent(page.url().split('/inspect/')[1]!);
    expect(await call(page.request, id, 'read_text_file', { path: path.join(dir, 'hello.txt') })).toContain('hello through a bridge');
    await page.getByTestId('tab-tools').click();
    await expect(page.getByTestId('tool-item-list_allowed_directories')).toBeVisible();
    expect(processesWith(dir).length).toBeGreaterThan(0);
    await page.getByTestId('disconnect').click();
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'closed');
  } finally {
    await server.close();
  }
  await expect.poll(() => processesWith(dir)).toEqual([]);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
});
