// What `npm start` does about the access token before it serves anything. It asks the same policy the
// requests are judged by (`readSecuritySettings`), so the start script and the request check cannot disagree:
// whenever requests will need a token and none is configured, one is generated here for this run.
// A generated token is printed once, in the link to open: nobody else knows it. A token the operator set is
// never printed: they have it, and logs are read by more people than the operator (CI output, journald, a
// shared terminal).
import { randomBytes } from 'node:crypto';
import { readSecuritySettings } from './settings';

type Env = Readonly<Record<string, string | undefined>>;

export interface AccessTokenSetup {
  needsToken: boolean;
  /** Set when mcpscope made the token for this run (none was configured). */
  generatedToken?: string;
  /** What `npm start` prints; a configured token never appears in them. */
  messages: string[];
}

/** `env` is the environment the server will run with (HOST, PORT, MCPSCOPE_*); `openAt` the origin people open. */
export function accessTokenSetup(env: Env, openAt: string): AccessTokenSetup {
  const settings = readSecuritySettings(env);
  const needsToken = settings.requireToken;
  if (!needsToken) return { needsToken, messages: [] };
  if (settings.accessToken) {
    return {
      needsToken,
      messages: [
        `mcpscope: the access token is required here; open ${openAt}/?token=<MCPSCOPE_ACCESS_TOKEN> (or send Authorization: Bearer <token>).`,
      ],
    };
  }
  const generatedToken = randomBytes(24).toString('base64url');
  return {
    needsToken,
    generatedToken,
    messages: [
      'mcpscope: an access token is required here; generated one for this run (set MCPSCOPE_ACCESS_TOKEN to choose your own).',
      `mcpscope: open ${openAt}/?token=${encodeURIComponent(generatedToken)} (or send Authorization: Bearer <token>)`,
    ],
  };
}
