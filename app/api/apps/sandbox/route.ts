// GET /api/apps/sandbox → {port}: where the MCP Apps sandbox proxy listens (scripts/start.mjs starts it on its own
// loopback port, lib/apps-sandbox), so views run on an origin that is not mcpscope's. 503 when it is not running.
import type { AppSandboxInfo } from '@/lib/contract';
import { errorResponse, json } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(): Response {
  const port = Number(process.env.MCPSCOPE_SANDBOX_PORT);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    return errorResponse(
      'unavailable',
      'The MCP Apps sandbox is not running: start mcpscope with npm start (scripts/start.mjs starts it).',
      503,
    );
  }
  const body: AppSandboxInfo = { port };
  return json(body);
}
