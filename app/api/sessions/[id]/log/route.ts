// GET /api/sessions/:id/log?format=json|har: the whole session log as a download (docs/session-format.md).
import { errorResponse, withSession } from '@/lib/sessions';
import { MCPSCOPE_VERSION, sessionFileName } from '@/lib/shares';
import { toHar, toJsonExport } from '@/lib/trace';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const FORMATS = ['json', 'har'] as const;
type Format = (typeof FORMATS)[number];

export const GET = withSession((session, request) => {
  const format = new URL(request.url).searchParams.get('format') ?? 'json';
  if (!FORMATS.includes(format as Format)) {
    return errorResponse(
      'unsupported_format',
      `The log can be downloaded as format=json or format=har; "${format}" is not one of them.`,
      400,
    );
  }
  const meta = session.log.meta;
  const events = session.log.events();
  const body =
    format === 'har'
      ? toHar(meta, events, { creatorVersion: MCPSCOPE_VERSION })
      : toJsonExport({ meta, events: () => events }, new Date(), { mcpscopeVersion: MCPSCOPE_VERSION });
  const filename = sessionFileName(meta, format as Format);
  return new Response(JSON.stringify(body), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
});
