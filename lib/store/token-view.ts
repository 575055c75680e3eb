import { maskSecret } from '../trace';
import type { StoredTokens, TokenView } from './types';

/**
 * A stored token as a person may see it: masked to the last 4 characters, with expiry and scopes. The one place
 * a token becomes showable, so the token list, the flow and a session's auth status can never disagree on it.
 */
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
