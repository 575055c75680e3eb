// POST /api/sessions/:id/auth/refresh: "Refresh now": trade the refresh token for a new access token at once.
// Answers RefreshTokenResponse (the new token, masked); 409 when the session has no OAuth token or no refresh token.
import type { RefreshTokenResponse } from '@/lib/contract';
import { findSession, fromError, json, notFound } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

type Context = { params: Promise<{ id: string }> };

export async function POST(request: Request, { params }: Context): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    return json({ token: await session.auth.refreshNow() } satisfies RefreshTokenResponse);
  } catch (error) {
    return fromError(error);
  }
}
