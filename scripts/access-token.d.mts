export interface AccessTokenSetup {
  needsToken: boolean;
  /** Set when mcpscope made the token for this run (none was configured). */
  generatedToken?: string;
  /** What `npm start` prints; a configured token never appears in them. */
  messages: string[];
}

export function accessTokenSetup(env: Readonly<Record<string, string | undefined>>, host: string, openAt: string): AccessTokenSetup;
