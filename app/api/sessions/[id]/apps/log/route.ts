// POST /api/sessions/:id/apps/log {viewId, resourceUri, messages, notes?} → {recorded}: an MCP App's bridge
// messages (both directions) into the session log as `app.message` events, with findings (lib/apps).
import { recordBridgeBatch } from '@/lib/apps';
import { appLogRequestSchema } from '@/lib/contract';
import { parseBody, readJson, withSession } from '@/lib/sessions';
import { maskJsonCredentials } from '@/lib/trace';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withSession(async (session, request) => {
  const batch = parseBody(appLogRequestSchema, await readJson(request));
  const events = recordBridgeBatch(session.log, batch, { maskJson: (text) => maskJsonCredentials(text, session.secrets) });
  return { recorded: events.length };
});
