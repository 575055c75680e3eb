import type { StoredTokens, TokenView } from '../store';
import { maskSecret } from '../trace';

/** A stored token as a person may see it: masked to the last 4 characters, with expiry and scopes. */
export function tokenView(tokens: StoredTokens, now: number): TokenView {
  const view: TokenView = {
    resource: tokens.resource,
    tokenType: tokens.tokenType,
    scopes: tokens.scopes,
    accessToken: maskSecret(tokens.accessToken),
    expired: tokens.expiresAt !== undefined && tokens.expiresAt <= now,
    updatedAt: tokens.updatedAt,
  };
  if (tokens.issuer) view.issuer = tokens.issuer;
  if (tokens.clientId) view.clientId = tokens.clientId;
  if (tokens.refreshToken) view.refreshToken = maskSecret(tokens.refreshToken);
  if (tokens.expiresAt !== undefined) view.expiresAt = tokens.expiresAt;
  return view;
}
