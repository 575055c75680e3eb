// GET /api/stdio: whether this mcpscope may start local stdio servers, and the launch token this browser's page
// sends with one (lib/stdio/policy.ts). A same-origin JSON answer: another site's page cannot read it.
import { getConfig } from '@/lib/config';
import { getSecuritySettings } from '@/lib/security';
import { fromError, json, resolveOwner } from '@/lib/sessions';
import { decideStdio, stdioAvailability } from '@/lib/stdio';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request): Promise<Response> {
  try {
    const config = getConfig();
    const { ownerId, setCookie } = resolveOwner(request, config.publicUrl.startsWith('https:'));
    const decision = decideStdio(config.stdioEnabled, config.security ?? getSecuritySettings());
    return json(stdioAvailability(decision, ownerId), 200, {
      ...(setCookie ? { 'Set-Cookie': setCookie } : {}),
      // Not for other origins' eyes, nor for any cache.
      'Cross-Origin-Resource-Policy': 'same-origin',
      Vary: 'Cookie',
    });
  } catch (error) {
    return fromError(error);
  }
}
