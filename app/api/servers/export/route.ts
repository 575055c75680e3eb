// POST /api/servers/export: `{format, ids?, keepSecrets?}`: the snippet one client wants, values as placeholders
// unless `keepSecrets` (and only those the person kept).
import { exportSaved } from '@/lib/saved-servers';
import { fromError, json, readJson, readOwner } from '@/lib/sessions';
import { getSharedStore } from '@/lib/store';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request): Promise<Response> {
  try {
    const answer = await exportSaved(await getSharedStore(), readOwner(request) ?? '', await readJson(request));
    return json(answer.body, answer.status);
  } catch (error) {
    return fromError(error);
  }
}
