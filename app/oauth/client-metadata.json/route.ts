// GET /oauth/client-metadata.json: mcpscope's client ID metadata document. Authorization servers that support
// them fetch this URL (it is the client ID), so no registration is needed; they can only reach it when the public
// URL is https, which is when the flow uses it.
import { getConfig } from '@/lib/config';
import { clientMetadataDocument } from '@/lib/oauth';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(): Response {
  return new Response(JSON.stringify(clientMetadataDocument(getConfig().publicUrl), null, 2), {
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=300' },
  });
}
