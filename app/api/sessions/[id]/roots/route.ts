// GET /api/sessions/:id/roots → {roots}. PUT {roots: [{uri: "file:///…", name?}]} replaces the list the
// server gets on roots/list, and sends notifications/roots/list_changed when connected.
import { getRoots, readJson, setRoots, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = withSession((session) => getRoots(session));

export const PUT = withSession(async (session, request) => setRoots(session, await readJson(request)));
