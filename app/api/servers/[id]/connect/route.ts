// POST /api/servers/:id/connect: a session for a saved server, `{headers?, env?}` filling what was not kept. Answers
// like POST /api/sessions; a command needs the x-mcpscope-launch header like any launch (lib/stdio/policy.ts).
import { STDIO_LAUNCH_HEADER } from '@/lib/contract';
import { connectSaved } from '@/lib/saved-servers';
import { clientOfHeaders, getSecuritySettings } from '@/lib/security';
import { fromError, getRegistry, json, prefersRespondAsync, readJson, readOwner } from '@/lib/sessions';
import { getSharedStore } from '@/lib/store';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const answer = await connectSaved(
      await getSharedStore(),
      getRegistry(),
      readOwner(request) ?? '',
      (await params).id,
      await readJson(request),
      {
        respondAsync: prefersRespondAsync(request.headers.get('prefer')),
        clientAddress: clientOfHeaders(request.headers, getSecuritySettings().trustedProxies),
        launchToken: request.headers.get(STDIO_LAUNCH_HEADER),
      },
    );
    const summary = answer.body as { id?: unknown; state?: unknown };
    const headers: Record<string, string> =
      answer.status === 202 && typeof summary.id === 'string' ? { Location: `/api/sessions/${encodeURIComponent(summary.id)}` } : {};
    return json(answer.body, answer.status, headers);
  } catch (error) {
    return fromError(error);
  }
}
