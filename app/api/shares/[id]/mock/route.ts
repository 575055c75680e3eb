// GET|POST|DELETE /api/shares/:id/mock: the share served as an MCP server by this mcpscope, on 127.0.0.1 (lib/mock).
// Only the browser that made the share may start, see or stop it; a hosted instance serves none (403 mock_unavailable).
// GET {mock: {url, sseUrl, startedAt, requests} | null, available, reason?}; POST starts (or returns the running one);
// DELETE stops it.
import { getMockHost, MockHostError } from '@/lib/mock';
import { readRecordingFile } from '@/lib/replay';
import { errorResponse, json, readOwner } from '@/lib/sessions';
import { readShare, shareErrorResponse } from '@/lib/shares';
import { getSharedStore } from '@/lib/store';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

type Context = { params: Promise<{ id: string }> };

/** The share as its owner sees it; a share another browser made is "not found" here, as for deleting it. */
async function ownedShare(request: Request, id: string) {
  const owner = readOwner(request);
  const document = await readShare(await getSharedStore(), id, owner);
  if (!owner || !document.share.owned)
    throw new MockHostError('mock_not_found', 'Only the person who made this share can serve it as a mock.', 404);
  return { owner, document };
}

function failure(error: unknown): Response {
  if (error instanceof MockHostError) return errorResponse(error.code, error.message, error.status);
  return shareErrorResponse(error);
}

function shown(mock: { url: string; sseUrl: string; startedAt: number; requests: number; key: string } | undefined) {
  return mock ? { shareId: mock.key, url: mock.url, sseUrl: mock.sseUrl, startedAt: mock.startedAt, requests: mock.requests } : null;
}

export async function GET(request: Request, { params }: Context): Promise<Response> {
  try {
    const id = (await params).id;
    const { owner } = await ownedShare(request, id);
    const host = getMockHost();
    const reason = host.unavailable();
    return json({ mock: shown(host.get(id, owner)), available: !reason, ...(reason ? { reason } : {}) });
  } catch (error) {
    return failure(error);
  }
}

export async function POST(request: Request, { params }: Context): Promise<Response> {
  try {
    const id = (await params).id;
    const { owner, document } = await ownedShare(request, id);
    const mock = await getMockHost().start(id, owner, async () => readRecordingFile(document, 'the shared session'));
    return json({ mock: shown(mock) }, 201);
  } catch (error) {
    return failure(error);
  }
}

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  try {
    const id = (await params).id;
    const { owner } = await ownedShare(request, id);
    await getMockHost().stop(id, owner);
    return json({ mock: null });
  } catch (error) {
    return failure(error);
  }
}
