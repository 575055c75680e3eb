// The OAuth settings a person gives when connecting (or when starting OAuth later, or between guided steps). Their
// shape is the zod schema in lib/contract/sessions.ts (every complaint names the field); the names in `tolerate`
// are lib/oauth's to check.
import { clientMetadataUrlProblem, oauthSettingsSchema, scopeListSchema, type OAuthSettingsBody } from '../contract';
import { parseTolerateList, type TolerableCheck } from '../oauth';
import { SessionError } from './errors';
import { parseBody } from './parse-body';

export { clientMetadataUrlProblem };

export type OAuthSettings = Omit<OAuthSettingsBody, 'tolerate'> & {
  /** Checks refused by default that the person chose to go past for this session (see lib/oauth/tolerate). */
  tolerate?: TolerableCheck[];
};

export const DEFAULT_OAUTH_SETTINGS: OAuthSettings = { grant: 'authorization_code', scopes: [], guided: false };

function invalid(message: string): never {
  throw new SessionError('invalid_request', message);
}

/** `tolerate` of an API body: only the named checks, each complaint naming the field. */
export function parseTolerate(value: unknown, field: string): TolerableCheck[] {
  return parseTolerateList(value, (message) => invalid(message.replace(/^"tolerate"/, `"${field}"`)));
}

/** Scopes as a list or one space-separated string; each once, in order. */
export function parseScopeList(value: unknown, field = 'auth.scopes'): string[] {
  return parseBody(scopeListSchema(field), value);
}

/** Settings that passed the schema, with their `tolerate` names checked. */
export function withTolerate(settings: OAuthSettingsBody, prefix: string): OAuthSettings {
  const { tolerate, ...rest } = settings;
  return { ...rest, ...(tolerate !== undefined ? { tolerate: parseTolerate(tolerate, `${prefix}.tolerate`) } : {}) };
}

/**
 * The OAuth part of `auth` in `POST /api/sessions` or the body of `POST /api/sessions/:id/auth/start`
 * (lib/contract's `oauthSettingsSchema`).
 */
export function parseOAuthSettings(body: unknown, prefix = 'auth'): OAuthSettings {
  if (body === undefined || body === null) return { ...DEFAULT_OAUTH_SETTINGS };
  return withTolerate(parseBody(oauthSettingsSchema(prefix), body), prefix);
}
