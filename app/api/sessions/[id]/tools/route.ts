// GET /api/sessions/:id/tools: the tools listed at connect ({tools, excluded?: {name: reason}}); ?refresh=1 lists them again.
import { getRegistry, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = withSession((session, request) => {
  const refresh = ['1', 'true'].includes(new URL(request.url).searchParams.get('refresh') ?? '');
  return getRegistry().toolList(session, refresh);
});
