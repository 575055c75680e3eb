// POST /api/sessions/:id/share: stores a redacted copy of the session log and answers 201 {shareId, url}.
import { findSession, json, notFound, readJson, readOwner } from '@/lib/sessions';
import { createShare, shareErrorResponse, shareUrl, type ShareCreatedBody } from '@/lib/shares';
import { getSharedStore } from '@/lib/store';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  const owner = readOwner(request);
  if (!session || !owner) return notFound();
  try {
    const body = await readJson(request);
    const store = await getSharedStore();
    const created = await createShare(store, {
      owner,
      meta: session.log.meta,
      events: session.log.events(),
      body,
      secrets: session.secrets,
    });
    const answer: ShareCreatedBody = { ...created, url: shareUrl(request, created.shareId) };
    return json(answer, 201);
  } catch (error) {
    return shareErrorResponse(error);
  }
}
