// PUT /api/servers/:id: replace a saved server (same body as POST /api/servers). DELETE: forget it.
import { forgetSaved, updateSaved } from '@/lib/saved-servers';
import { fromError, json, readJson, readOwner } from '@/lib/sessions';
import { getSharedStore } from '@/lib/store';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

type Context = { params: Promise<{ id: string }> };

export async function PUT(request: Request, { params }: Context): Promise<Response> {
  try {
    const answer = await updateSaved(await getSharedStore(), readOwner(request) ?? '', (await params).id, await readJson(request));
    return json(answer.body, answer.status);
  } catch (error) {
    return fromError(error);
  }
}

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  try {
    const answer = await forgetSaved(await getSharedStore(), readOwner(request) ?? '', (await params).id);
    return json(answer.body, answer.status);
  } catch (error) {
    return fromError(error);
  }
}
