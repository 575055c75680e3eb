// Auth in the browser: prompts for a session waiting for authorization, the guided OAuth steps, the tokens
// screen, and the move to the public origin. Talks to the auth API only; never sees a token in clear.
export { AuthPrompt } from './AuthPrompt';
export { GuidedFlow } from './GuidedFlow';
export { PublicOriginRedirect } from './PublicOriginRedirect';
export { TokensScreen, relativeTime } from './TokensScreen';
export { destinationAfterConnect, forgetSessionTokens, forgetTokens, getAuthStatus, getGuided, listTokens, runGuided, startAuth } from './api';
