// Client ID metadata documents: the client's `client_id` is an https URL serving its own metadata, so an
// authorization server that supports them needs no registration. The app serves this document at
// CLIENT_METADATA_PATH when its public URL is https.
import type { OAuthClientMetadata } from '@modelcontextprotocol/client';
import { redirectUriFor } from './decisions';

export const CLIENT_METADATA_PATH = '/oauth/client-metadata.json';
export const DEFAULT_CLIENT_NAME = 'mcpscope';

export function clientMetadataUrlFor(publicOrigin: string): string {
  return `${new URL(publicOrigin).origin}${CLIENT_METADATA_PATH}`;
}

/** What the app should answer at `clientMetadataUrlFor(publicOrigin)` (as application/json). */
export function clientMetadataDocument(
  publicOrigin: string,
  clientName = DEFAULT_CLIENT_NAME,
): OAuthClientMetadata & { client_id: string } {
  const origin = new URL(publicOrigin).origin;
  return {
    client_id: clientMetadataUrlFor(origin),
    client_name: clientName,
    client_uri: origin,
    redirect_uris: [redirectUriFor(origin)],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
}
