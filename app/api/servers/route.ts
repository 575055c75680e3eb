// GET /api/servers: this browser's saved servers (header and env values never included). POST: save one from the
// connect form, `{name, target, keepSecrets?}`.
import { listSaved, saveFromForm } from '@/lib/saved-servers';
import { readJson, withOwner } from '@/lib/sessions';
import { getSharedStore } from '@/lib/store';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = withOwner(async (ownerId) => ({ body: { servers: await listSaved(await getSharedStore(), ownerId) }, status: 200 }));

export const POST = withOwner(async (ownerId, request) => saveFromForm(await getSharedStore(), ownerId, await readJson(request)));
