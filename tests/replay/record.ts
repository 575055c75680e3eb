// Records a session the way the app does (lib/mcp's engine into a TraceLog) and writes its JSON export: the
// recordings the replay tests start from.
import fs from 'node:fs';
import { toJsonExport, type SessionExport } from '@/lib/trace';
import { connectLogged } from '../fixtures/connect';

export const SESSION_REQUESTS: Array<[string, Record<string, unknown> | undefined]> = [
  ['tools/call', { name: 'greet', arguments: { name: 'Ada' } }],
  ['tools/call', { name: 'stamp', arguments: {} }],
  ['resources/list', undefined],
  ['resources/read', { uri: 'note://readme' }],
  ['prompts/list', undefined],
  ['prompts/get', { name: 'review', arguments: { code: 'x = 1' } }],
];

/** Connects to `url`, sends the session's requests and returns the export (written to `file` when given). */
export async function recordSession(url: string, file?: string): Promise<SessionExport> {
  const { log, connection } = await connectLogged(url, { sessionId: 'recorded' });
  try {
    for (const [method, params] of SESSION_REQUESTS) {
      const outcome = await connection.request(method, params);
      if ('error' in outcome) throw new Error(`${method} failed while recording: ${outcome.error.message}`);
    }
  } finally {
    await connection.close();
  }
  const exported = toJsonExport(log);
  if (file) fs.writeFileSync(file, JSON.stringify(exported));
  return exported;
}
