// GET /api/sessions/:id/log?format=json: the whole session log as a download.
import { toJsonExport } from '@/lib/trace';
import { errorResponse, findSession, notFound } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  const format = new URL(request.url).searchParams.get('format') ?? 'json';
  if (format !== 'json') return errorResponse('unsupported_format', `The log can be downloaded as format=json; "${format}" is not available yet.`, 400);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return new Response(JSON.stringify(toJsonExport(session.log)), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="mcpscope-${session.id.slice(0, 8)}-${stamp}.json"`,
      'Cache-Control': 'no-store',
    },
  });
}
