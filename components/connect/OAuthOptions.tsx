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
  /** jwt_bearer: the assertion (a workload identity token). */
  assertion: string;
  /** id_jag: the identity provider's token endpoint, the person's ID token, this client there. */
  idpTokenEndpoint: string;
  idpIdToken: string;
  idpClientId: string;
  idpClientSecret: string;
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
  assertion: '',
  idpTokenEndpoint: '',
  idpIdToken: '',
  idpClientId: '',
  idpClientSecret: '',
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
  if (key && !/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key) && !key.startsWith('{'))
    return 'The private key must be PEM or a JWK (JSON).';
  if (state.grant === 'jwt_bearer' && (!state.clientId.trim() || !state.assertion.trim()))
    return 'The jwt-bearer grant needs a client ID and the assertion (a JWT).';
  if (
    state.grant === 'id_jag' &&
    (!state.clientId.trim() || !state.idpTokenEndpoint.trim() || !state.idpIdToken.trim() || !state.idpClientId.trim())
  ) {
    return "Enterprise-managed authorization needs the client ID here, and the identity provider's token endpoint, the ID token and the client ID there.";
  }
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
    ...(state.grant === 'jwt_bearer' && state.assertion.trim() ? { assertion: state.assertion.trim() } : {}),
    ...(state.grant === 'id_jag'
      ? {
          idp: {
            tokenEndpoint: state.idpTokenEndpoint.trim(),
            idToken: state.idpIdToken.trim(),
            clientId: state.idpClientId.trim(),
            ...(state.idpClientSecret.trim() ? { clientSecret: state.idpClientSecret.trim() } : {}),
          },
        }
      : {}),
    ...(scopes.length > 0 ? { scopes } : {}),
    ...(state.guided ? { guided: true } : {}),
  };
}

/** A multi-line credential (a key, a JWT): sent to the mcpscope server once, never shown back. */
function SecretText({
  label,
  testId,
  placeholder,
  value,
  onChange,
}: {
  label: string;
  testId: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label className="col-span-2">
      <span className="field-label">{label}</span>
      <textarea
        className="input-mono h-14 resize-y"
        data-testid={testId}
        aria-label={label}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </label>
  );
}

/** The two clients a form names: at the authorization server, and (ID-JAG) at the identity provider. */
const CLIENTS = {
  server: {
    id: 'clientId',
    secret: 'clientSecret',
    idLabel: 'Client ID',
    idTestId: 'oauth-client-id',
    idPlaceholder: 'automatic (registration)',
    secretLabel: 'Client secret',
    secretAriaLabel: 'Client secret',
    secretTestId: 'oauth-client-secret',
  },
  idp: {
    id: 'idpClientId',
    secret: 'idpClientSecret',
    idLabel: 'Client ID at the identity provider',
    idTestId: 'oauth-idp-client-id',
    idPlaceholder: undefined,
    secretLabel: 'Its secret',
    secretAriaLabel: 'Client secret at the identity provider',
    secretTestId: 'oauth-idp-client-secret',
  },
} as const;

/** A client's ID and its secret side by side. */
function ClientIdAndSecret({
  client,
  value,
  set,
}: {
  client: keyof typeof CLIENTS;
  value: OAuthFormState;
  set: (patch: Partial<OAuthFormState>) => void;
}) {
  const fields = CLIENTS[client];
  return (
    <>
      <Field
        label={fields.idLabel}
        mono
        data-testid={fields.idTestId}
        placeholder={fields.idPlaceholder}
        value={value[fields.id]}
        onChange={(event) => set({ [fields.id]: event.target.value })}
      />
      <div>
        <span className="field-label">{fields.secretLabel}</span>
        <SecretInput
          data-testid={fields.secretTestId}
          aria-label={fields.secretAriaLabel}
          placeholder="optional"
          value={value[fields.secret]}
          onChange={(event) => set({ [fields.secret]: event.target.value })}
        />
      </div>
    </>
  );
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
              <option value="jwt_bearer">JWT bearer: workload identity (SEP-1933)</option>
              <option value="id_jag">Enterprise-managed: ID-JAG (SEP-990)</option>
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
          <ClientIdAndSecret client="server" value={value} set={set} />
          {value.grant === 'jwt_bearer' && (
            <SecretText
              label="Assertion"
              testId="oauth-assertion"
              placeholder="the workload's identity token (a JWT): traded for an access token, kept on the server"
              value={value.assertion}
              onChange={(assertion) => set({ assertion })}
            />
          )}
          {value.grant === 'id_jag' && (
            <>
              <Field
                label="Identity provider token endpoint"
                mono
                fieldClassName="col-span-2"
                data-testid="oauth-idp-token-endpoint"
                placeholder="https://idp.example.com/oauth2/token"
                value={value.idpTokenEndpoint}
                onChange={(event) => set({ idpTokenEndpoint: event.target.value })}
              />
              <ClientIdAndSecret client="idp" value={value} set={set} />
              <SecretText
                label="ID token"
                testId="oauth-idp-id-token"
                placeholder="the person's ID token from the identity provider (a JWT): exchanged there for an ID-JAG, kept on the server"
                value={value.idpIdToken}
                onChange={(idpIdToken) => set({ idpIdToken })}
              />
            </>
          )}
          <SecretText
            label="Client private key"
            testId="oauth-client-key"
            placeholder="optional, instead of a secret: PEM (-----BEGIN PRIVATE KEY-----) or a JWK; signs private_key_jwt assertions (RFC 7523)"
            value={value.clientKey}
            onChange={(clientKey) => set({ clientKey })}
          />
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
            Redirect URI:{' '}
            <span className="font-mono text-muted" data-testid="oauth-redirect-uri">
              {redirectUri}
            </span>{' '}
            (register this one with pre-registered clients)
          </div>
        </div>
      )}
    </div>
  );
}
