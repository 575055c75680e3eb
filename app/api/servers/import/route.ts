// POST /api/servers/import: `{text, preview?, keepSecrets?, names?}`: the servers of an mcp.json-style file, each
// problem by entry; saved unless a preview.
import { importConfig } from '@/lib/saved-servers';
import { readJson, withOwner } from '@/lib/sessions';
import { getSharedStore } from '@/lib/store';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withOwner(async (ownerId, request) => importConfig(await getSharedStore(), ownerId, await readJson(request)));
