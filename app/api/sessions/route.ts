// POST /api/sessions: connect to an MCP server. 201 with the session summary (connected, or
// auth_required), or an error with the id of the failed session whose log says what happened.
import { getConfig } from '@/lib/config';
import { fromError, getRegistry, json, readJson, resolveOwner } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request): Promise<Response> {
  try {
    const { ownerId, setCookie } = resolveOwner(request, getConfig().publicUrl.startsWith('https:'));
    const cookieHeader: Record<string, string> = setCookie ? { 'Set-Cookie': setCookie } : {};
    const outcome = await getRegistry().create(ownerId, await readJson(request));
    return outcome.ok ? json(outcome.summary, 201, cookieHeader) : json(outcome.body, outcome.status, cookieHeader);
  } catch (error) {
    return fromError(error);
  }
}
