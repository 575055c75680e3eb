// POST /api/sessions/:id/share: stores a redacted copy of the session log and answers 201 {shareId, url}.
import { json, readJson, withSession } from '@/lib/sessions';
import { createShare, shareErrorResponse, shareUrl, type ShareCreatedBody } from '@/lib/shares';
import { getSharedStore } from '@/lib/store';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withSession(
  async (session, request) => {
    const created = await createShare(await getSharedStore(), {
      owner: session.ownerId,
      meta: session.log.meta,
      events: session.log.events(),
      body: await readJson(request),
      secrets: session.secrets,
    });
    return json({ ...created, url: shareUrl(request, created.shareId) } satisfies ShareCreatedBody, 201);
  },
  { onError: shareErrorResponse },
);
