import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { POST as createSession } from '@/app/api/sessions/route';
import type { FixtureServer } from '@/e2e/fixtures/types';
import { getRegistry } from '@/lib/sessions';
import { getSharedStore } from '@/lib/store';
import { apiRequest } from '../fixtures/helpers';

/** A session created through POST /api/sessions on a fixture server, and the owner cookie it answered with. */
export interface RouteSession<S extends FixtureServer> {
  server: S;
  sessionId: string;
  cookie: string;
}

/**
 * For the file: a fresh data directory as MCPSCOPE_DATA_DIR, the fixture server `start` gives, and one session on
 * it created through POST /api/sessions (at `base`, by a new owner). After the file the sessions, the server and
 * the shared store are stopped, the directory removed and MCPSCOPE_DATA_DIR put back.
 */
export function sessionThroughRoutes<S extends FixtureServer>(
  dirPrefix: string,
  base: string,
  start: () => Promise<S>,
): () => RouteSession<S> {
  const previousDir = process.env.MCPSCOPE_DATA_DIR;
  let dataDir: string | undefined;
  let server: S | undefined;
  let created: RouteSession<S> | undefined;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), dirPrefix));
    process.env.MCPSCOPE_DATA_DIR = dataDir;
    server = await start();
    const response = await createSession(apiRequest(`${base}/api/sessions`, 'POST', { url: server.url }, null));
    expect(response.status).toBe(201);
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
    const sessionId = ((await response.json()) as { id: string }).id;
    created = { server, sessionId, cookie };
  });
  afterAll(async () => {
    await getRegistry().shutdown();
    await server?.close();
    await (await getSharedStore()).close();
    process.env.MCPSCOPE_DATA_DIR = previousDir;
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return () => {
    if (!created) throw new Error('the session was read before it was created');
    return created;
  };
}
