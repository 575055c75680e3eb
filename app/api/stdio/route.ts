// GET /api/stdio: whether this mcpscope may start local stdio servers, and the launch token this browser's page
// sends with one (lib/stdio/policy.ts). A same-origin JSON answer: another site's page cannot read it.
import { getConfig } from '@/lib/config';
import { getSecuritySettings } from '@/lib/security';
import { json, withOwner } from '@/lib/sessions';
import { decideStdio, stdioAvailability } from '@/lib/stdio';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = withOwner((ownerId) => {
  const config = getConfig();
  const decision = decideStdio(config.stdioEnabled, config.security ?? getSecuritySettings());
  // Not for other origins' eyes, nor for any cache.
  return json(stdioAvailability(decision, ownerId), 200, { 'Cross-Origin-Resource-Policy': 'same-origin', Vary: 'Cookie' });
});
