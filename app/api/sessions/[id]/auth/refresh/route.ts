// POST /api/sessions/:id/auth/refresh: "Refresh now": trade the refresh token for a new access token at once.
// Answers RefreshTokenResponse (the new token, masked); 409 when the session has no OAuth token or no refresh token.
import type { RefreshTokenResponse } from '@/lib/contract';
import { withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withSession(async (session) => ({ token: await session.auth.refreshNow() }) satisfies RefreshTokenResponse);
