// POST /api/sessions/:id/apps/log {viewId, resourceUri, messages, notes?} → {recorded}: an MCP App's bridge
// messages (both directions) into the session log as `app.message` events, with findings (lib/apps).
import { recordBridgeBatch } from '@/lib/apps';
import { appLogRequestSchema } from '@/lib/contract';
import { errorResponse, findSession, fromError, json, notFound, readJson } from '@/lib/sessions';
import { maskJsonCredentials } from '@/lib/trace';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    const parsed = appLogRequestSchema.safeParse(await readJson(request));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return errorResponse(
        'invalid_request',
        `The bridge log is malformed: ${issue ? `${issue.path.join('.') || 'body'} ${issue.message}` : 'unknown shape'}.`,
      );
    }
    const events = recordBridgeBatch(session.log, parsed.data, { maskJson: (text) => maskJsonCredentials(text, session.secrets) });
    return json({ recorded: events.length });
  } catch (error) {
    return fromError(error);
  }
}
