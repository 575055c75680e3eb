'use client';

import type { CreateSessionRequest, OAuthGrant } from '@/lib/contract';
import { CheckField, Field } from './Field';
import { SecretInput } from './SecretInput';

/** The OAuth part of the connect form, as typed. */
export interface OAuthFormState {
  enabled: boolean;
  grant: OAuthGrant;
  clientId: string;
  clientSecret: string;
  /** PEM or JWK: private_key_jwt instead of a secret. */
  clientKey: string;
  /** Space-separated; empty lets the flow choose (the server's challenge, then scopes_supported). */
  scopes: string;
  clientMetadataUrl: string;
  guided: boolean;
}

export const EMPTY_OAUTH_FORM: OAuthFormState = {
  enabled: false,
  grant: 'authorization_code',
  clientId: '',
  clientSecret: '',
  clientKey: '',
  scopes: '',
  clientMetadataUrl: '',
  guided: false,
};

/** What would make the server refuse the settings, said before sending them. */
export function oauthFormProblem(state: OAuthFormState): string | undefined {
  if (!state.enabled) return undefined;
  const secret = state.clientSecret.trim();
  const key = state.clientKey.trim();
  if (state.grant === 'client_credentials' && (!state.clientId.trim() || (!secret && !key))) {
    return 'The client credentials grant needs a client ID and a client secret or private key.';
  }
  if (secret && !state.clientId.trim()) return 'A client secret needs its client ID.';
  if (key && !state.clientId.trim()) return 'A private key needs its client ID.';
  if (key && secret) return 'Give either a client secret or a private key, not both.';
  if (key && !/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key) && !key.startsWith('{')) return 'The private key must be PEM or a JWK (JSON).';
  const metadataUrl = state.clientMetadataUrl.trim();
  if (metadataUrl) {
    if (state.clientId.trim()) return 'Give either a client ID or a client metadata URL, not both.';
    if (!/^https:\/\/[^/]+\/.+/.test(metadataUrl)) return 'The client metadata URL must be an https URL with a path.';
  }
  return undefined;
}

export function oauthAuthRequest(state: OAuthFormState): NonNullable<CreateSessionRequest['auth']> {
  const scopes = state.scopes.split(/\s+/).filter(Boolean);
  return {
    type: 'oauth',
    grant: state.grant,
    ...(state.clientId.trim() ? { clientId: state.clientId.trim() } : {}),
    ...(state.clientSecret.trim() ? { clientSecret: state.clientSecret.trim() } : {}),
    ...(state.clientKey.trim() ? { clientKey: state.clientKey.trim() } : {}),
    ...(state.clientMetadataUrl.trim() ? { clientMetadataUrl: state.clientMetadataUrl.trim() } : {}),
    ...(scopes.length > 0 ? { scopes } : {}),
    ...(state.guided ? { guided: true } : {}),
  };
}

export function OAuthOptions({
  value,
  onChange,
  redirectUri,
}: {
  value: OAuthFormState;
  onChange: (next: OAuthFormState) => void;
  redirectUri: string;
}) {
  const set = (patch: Partial<OAuthFormState>) => onChange({ ...value, ...patch });
  return (
    <div className="rounded border border-line" data-testid="oauth-options">
      <CheckField
        className="px-3 py-2"
        testId="connect-oauth"
        checked={value.enabled}
        onChange={(enabled) => set({ enabled })}
        hint="Without it, mcpscope still starts OAuth by itself when the server answers 401. Tokens stay on the mcpscope server, encrypted."
      >
        <span className="font-medium">Connect with OAuth</span>
      </CheckField>
      {value.enabled && (
        <div className="grid grid-cols-2 gap-x-3 gap-y-2.5 border-t border-line px-3 pt-2.5 pb-3">
          <label>
            <span className="field-label">Grant</span>
            <select
              className="input"
              data-testid="oauth-grant"
              value={value.grant}
              onChange={(event) => set({ grant: event.target.value as OAuthGrant })}
            >
              <option value="authorization_code">Authorization code + PKCE</option>
              <option value="client_credentials">Client credentials (machine)</option>
            </select>
          </label>
          <Field
            label="Scopes"
            mono
            data-testid="oauth-scopes"
            placeholder="from the server"
            value={value.scopes}
            onChange={(event) => set({ scopes: event.target.value })}
          />
          <Field
            label="Client ID"
            mono
            data-testid="oauth-client-id"
            placeholder="automatic (registration)"
            value={value.clientId}
            onChange={(event) => set({ clientId: event.target.value })}
          />
          <div>
            <span className="field-label">Client secret</span>
            <SecretInput
              data-testid="oauth-client-secret"
              aria-label="Client secret"
              placeholder="optional"
              value={value.clientSecret}
              onChange={(event) => set({ clientSecret: event.target.value })}
            />
          </div>
          <label className="col-span-2">
            <span className="field-label">Client private key</span>
            <textarea
              className="input-mono h-16 resize-y"
              data-testid="oauth-client-key"
              aria-label="Client private key"
              autoComplete="off"
              spellCheck={false}
              placeholder="optional, instead of a secret: PEM (-----BEGIN PRIVATE KEY-----) or a JWK; signs private_key_jwt assertions (RFC 7523)"
              value={value.clientKey}
              onChange={(event) => set({ clientKey: event.target.value })}
            />
          </label>
          <Field
            label="Client metadata URL"
            mono
            fieldClassName="col-span-2"
            data-testid="oauth-client-metadata-url"
            placeholder="https://… a client ID metadata document (instead of a client ID)"
            value={value.clientMetadataUrl}
            onChange={(event) => set({ clientMetadataUrl: event.target.value })}
          />
          <CheckField
            className="col-span-2"
            testId="oauth-guided"
            checked={value.guided}
            onChange={(guided) => set({ guided })}
            hint="One request at a time: see what each step will send, edit the scopes or the client, and read the answer before the next."
          >
            Guided mode
          </CheckField>
          <div className="col-span-2 text-[11px] text-faint">
            Redirect URI: <span className="font-mono text-muted" data-testid="oauth-redirect-uri">{redirectUri}</span>{' '}
            (register this one with pre-registered clients)
          </div>
        </div>
      )}
    </div>
  );
}
