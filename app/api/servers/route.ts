// GET /api/servers: this browser's saved servers (header and env values never included). POST: save one from the
// connect form, `{name, target, keepSecrets?}`.
import { getConfig } from '@/lib/config';
import { listSaved, saveFromForm } from '@/lib/saved-servers';
import { fromError, json, readJson, resolveOwner } from '@/lib/sessions';
import { getSharedStore } from '@/lib/store';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request): Promise<Response> {
  try {
    const { ownerId, setCookie } = resolveOwner(request, getConfig().publicUrl.startsWith('https:'));
    return json({ servers: await listSaved(await getSharedStore(), ownerId) }, 200, setCookie ? { 'Set-Cookie': setCookie } : {});
  } catch (error) {
    return fromError(error);
  }
}

export async function POST(request: Request): Promise<Response> {
  try {
    const { ownerId, setCookie } = resolveOwner(request, getConfig().publicUrl.startsWith('https:'));
    const answer = await saveFromForm(await getSharedStore(), ownerId, await readJson(request));
    return json(answer.body, answer.status, setCookie ? { 'Set-Cookie': setCookie } : {});
  } catch (error) {
    return fromError(error);
  }
}
