// The SDK's token fetcher (used for the client credentials grant) wants a provider object; this one answers
// only what a client_credentials request needs, with the flow's client and the issuer it was checked against.
import type { AddClientAuthentication, OAuthClientInformationMixed, OAuthClientMetadata, OAuthClientProvider } from '@modelcontextprotocol/client';
import { DEFAULT_CLIENT_NAME } from './client-metadata';

export function machineProvider(
  client: { info: OAuthClientInformationMixed },
  issuer: string,
  clientName?: string,
  addClientAuthentication?: AddClientAuthentication,
): OAuthClientProvider {
  return {
    ...(addClientAuthentication ? { addClientAuthentication } : {}),
    get redirectUrl(): undefined {
      return undefined;
    },
    get clientMetadata(): OAuthClientMetadata {
      return { client_name: clientName ?? DEFAULT_CLIENT_NAME, redirect_uris: [], grant_types: ['client_credentials'] };
    },
    clientInformation: () => ({ ...client.info, issuer }),
    tokens: () => undefined,
    saveTokens: () => undefined,
    redirectToAuthorization: () => {
      throw new Error('the client credentials grant has no redirect');
    },
    saveCodeVerifier: () => undefined,
    codeVerifier: () => {
      throw new Error('the client credentials grant has no code verifier');
    },
    prepareTokenRequest: (scope?: string) => {
      const params = new URLSearchParams({ grant_type: 'client_credentials' });
      if (scope) params.set('scope', scope);
      return params;
    },
  };
}
