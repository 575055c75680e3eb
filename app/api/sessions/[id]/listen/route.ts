// subscriptions/listen on 2026-07-28 servers. GET → {listening, available}; POST {filter:
// {toolsListChanged?, promptsListChanged?, resourcesListChanged?, resourceSubscriptions?}} opens (or
// replaces) the stream → {listening: {requested, honored, since}}; DELETE closes it.
import { findSession, fromError, getListen, json, listen, notFound, readJson, stopListening } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  return json(getListen(session));
}

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    return json(await listen(session, await readJson(request)));
  } catch (error) {
    return fromError(error);
  }
}

export async function DELETE(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    return json(await stopListening(session));
  } catch (error) {
    return fromError(error);
  }
}
