// GET /api/tokens: the tokens this browser holds (masked, with expiry and scopes). DELETE [?resource=]: forget
// one server's tokens, or all of them.
import { getSharedStore } from '@/lib/store';
import { errorResponse, fromError, json, readOwner } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request): Promise<Response> {
  const owner = readOwner(request);
  if (!owner) return json({ tokens: [] });
  try {
    const store = await getSharedStore();
    return json({ tokens: await store.listTokens(owner) });
  } catch (error) {
    return fromError(error);
  }
}

export async function DELETE(request: Request): Promise<Response> {
  const owner = readOwner(request);
  if (!owner) return json({ forgotten: 0 });
  const resource = new URL(request.url).searchParams.get('resource');
  if (resource !== null && resource.trim() === '')
    return errorResponse('invalid_request', '"resource" must name a server (or be left out to forget every token).', 400);
  try {
    const store = await getSharedStore();
    return json({ forgotten: await store.forgetTokens(owner, resource ?? undefined) });
  } catch (error) {
    return fromError(error);
  }
}
