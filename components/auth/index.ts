// Auth in the browser: prompts for a session waiting for authorization, the guided OAuth steps, the tokens
// screen, a session's Authorization panel, and the move to the public origin. Talks to the auth API only; never sees a token in clear.
export { AuthPrompt } from './AuthPrompt';
export { GuidedFlow } from './GuidedFlow';
export { PublicOriginRedirect } from './PublicOriginRedirect';
export { SessionAuthPanel } from './SessionAuthPanel';
export { TokensScreen } from './TokensScreen';
export { preciseRelativeTime, relativeTime } from './time';
export {
  authorizeAgain,
  destinationAfterConnect,
  followDestination,
  forgetSessionTokens,
  forgetTokens,
  getAuthStatus,
  getGuided,
  listTokens,
  refreshSessionToken,
  runGuided,
  startAuth,
} from './api';
export type { ConnectDestination } from './api';
export { JwtView, RequestJwts, requestJwts, signatureLine } from './JwtView';
