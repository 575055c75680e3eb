// GET /api/sessions/:id/tools: the tools listed at connect ({tools, excluded?: {name: reason}}); ?refresh=1 lists them again.
import { findSession, fromError, getRegistry, json, notFound } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  const refresh = ['1', 'true'].includes(new URL(request.url).searchParams.get('refresh') ?? '');
  try {
    return json(await getRegistry().toolList(session, refresh));
  } catch (error) {
    return fromError(error);
  }
}
