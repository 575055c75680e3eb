// The SDK's token fetcher (used for the grants without a redirect: client credentials, and jwt-bearer with an
// assertion) wants a provider object; this one answers only what such a token request needs, with the flow's
// client and the issuer it was checked against.
import type {
  AddClientAuthentication,
  DpopSession,
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthClientProvider,
} from '@modelcontextprotocol/client';
import { DEFAULT_CLIENT_NAME } from './client-metadata';

/** A grant's own parameters: `client_credentials` by default. */
export interface MachineGrant {
  grantType: string;
  params?: Record<string, string>;
}

export function machineProvider(
  client: { info: OAuthClientInformationMixed },
  issuer: string,
  clientName?: string,
  addClientAuthentication?: AddClientAuthentication,
  grant: MachineGrant = { grantType: 'client_credentials' },
  dpop?: DpopSession,
): OAuthClientProvider {
  return {
    ...(dpop ? { dpop: () => dpop } : {}),
    ...(addClientAuthentication ? { addClientAuthentication } : {}),
    get redirectUrl(): undefined {
      return undefined;
    },
    get clientMetadata(): OAuthClientMetadata {
      return { client_name: clientName ?? DEFAULT_CLIENT_NAME, redirect_uris: [], grant_types: [grant.grantType] };
    },
    clientInformation: () => ({ ...client.info, issuer }),
    tokens: () => undefined,
    saveTokens: () => undefined,
    redirectToAuthorization: () => {
      throw new Error('a grant without a person has no redirect');
    },
    saveCodeVerifier: () => undefined,
    codeVerifier: () => {
      throw new Error('a grant without a person has no code verifier');
    },
    prepareTokenRequest: (scope?: string) => {
      const params = new URLSearchParams({ grant_type: grant.grantType, ...grant.params });
      if (scope) params.set('scope', scope);
      return params;
    },
  };
}
