// subscriptions/listen on 2026-07-28 servers. GET → {listening, available}; POST {filter:
// {toolsListChanged?, promptsListChanged?, resourcesListChanged?, resourceSubscriptions?}} opens (or
// replaces) the stream → {listening: {requested, honored, since}}; DELETE closes it.
import { getListen, listen, readJson, stopListening, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = withSession((session) => getListen(session));

export const POST = withSession(async (session, request) => listen(session, await readJson(request)));

export const DELETE = withSession((session) => stopListening(session));
