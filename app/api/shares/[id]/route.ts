// GET /api/shares/:id: the shared, redacted log (a session export plus `share`), for anyone with the link.
// DELETE /api/shares/:id: the browser that made the link deletes it; the link then says so.
import { getMockHost } from '@/lib/mock';
import { json, readOwner } from '@/lib/sessions';
import { deleteShare, readShare, shareErrorResponse } from '@/lib/shares';
import { getSharedStore } from '@/lib/store';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

type Context = { params: Promise<{ id: string }> };

// Shared logs are for the people given the link, not for search engines or caches in between.
const PRIVATE = { 'X-Robots-Tag': 'noindex, nofollow', 'Referrer-Policy': 'no-referrer' };

export async function GET(request: Request, { params }: Context): Promise<Response> {
  try {
    const document = await readShare(await getSharedStore(), (await params).id, readOwner(request));
    return json(document, 200, PRIVATE);
  } catch (error) {
    return shareErrorResponse(error);
  }
}

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  try {
    const id = (await params).id;
    await deleteShare(await getSharedStore(), id, readOwner(request));
    // A deleted link is not served as a mock any longer either.
    await getMockHost().stop(id, readOwner(request) ?? '');
    return json({ deleted: true, shareId: id });
  } catch (error) {
    return shareErrorResponse(error);
  }
}
