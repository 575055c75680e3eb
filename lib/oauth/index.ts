// The OAuth client the server side runs for MCP servers: decisions (pure), discovery, the flow, a fetch that
// carries and renews the token. Server-only (node:crypto, AsyncLocalStorage); tokens live in lib/store.
export {
  parseWwwAuthenticate,
  bearerChallenge,
  protectedResourceMetadataUrls,
  authorizationServerMetadataUrls,
  fallbackEndpoints,
  parseScopes,
  chooseScopes,
  unionScopes,
  chooseClientAuth,
  registrationAuthMethod,
  canUseClientMetadataDocument,
  chooseClientIdentity,
  redirectUriFor,
  canonicalResourceUrl,
  isExpiring,
} from './decisions';
export type { AuthChallenge, BearerChallenge, MetadataKind, ScopeSource, ClientAuthMethod, ClientChoice } from './decisions';
export { OAuthClientFlow } from './flow';
export type { OAuthFlowOptions, PreRegisteredClient, ClientSource, ClientIdentity, AuthorizationRequest, CallbackParams } from './flow';
export type { DiscoveryResult } from './discovery';
export { authorizedFetch, watchAuthChallenges, TOKEN_EXPIRED_RPC_CODE } from './authorized-fetch';
export type { BearerTokenSource, AuthChallengeSeen, Rediscovery } from './authorized-fetch';
export { followAuthorizationRedirects, callbackParamsFromUrl } from './follow';
export type { RedirectWalk, FollowOptions } from './follow';
export { CLIENT_METADATA_PATH, clientMetadataDocument, clientMetadataUrlFor } from './client-metadata';
export { TOLERABLE_CHECKS, TOLERABLE_CHECK_NAMES, isTolerableCheck, parseTolerateList, untolerableReason } from './tolerate';
export type { TolerableCheck, CheckRefusal } from './tolerate';
export { OAuthFlowError, isOAuthFlowError, readOAuthErrorBody, explainOAuthError } from './errors';
export type { OAuthFlowErrorCode, OAuthFlowErrorDetails, OAuthErrorBody } from './errors';
