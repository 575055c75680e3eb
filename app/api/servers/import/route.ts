// POST /api/servers/import: `{text, preview?, keepSecrets?, names?}`: the servers of an mcp.json-style file, each
// problem by entry; saved unless a preview.
import { getConfig } from '@/lib/config';
import { importConfig } from '@/lib/saved-servers';
import { fromError, json, readJson, resolveOwner } from '@/lib/sessions';
import { getSharedStore } from '@/lib/store';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request): Promise<Response> {
  try {
    const { ownerId, setCookie } = resolveOwner(request, getConfig().publicUrl.startsWith('https:'));
    const answer = await importConfig(await getSharedStore(), ownerId, await readJson(request));
    return json(answer.body, answer.status, setCookie ? { 'Set-Cookie': setCookie } : {});
  } catch (error) {
    return fromError(error);
  }
}
