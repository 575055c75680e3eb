// Whether this run needs the access token, and what `npm start` says about it (lib/security/settings.ts decides
// the same way when requests arrive). A token mcpscope generates is printed once, in the link to open: nobody else
// knows it. A token the operator set is never printed: they have it, and logs are read by more people than the
// operator (CI output, journald, a shared terminal).
import { randomBytes } from 'node:crypto';

/**
 * @param {Readonly<Record<string, string | undefined>>} env
 * @param {string} host the address the server binds
 * @param {string} openAt the origin people open
 * @returns {{ needsToken: boolean, generatedToken?: string, messages: string[] }}
 */
export function accessTokenSetup(env, host, openAt) {
  const loopback = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i.test(host);
  const requireEnv = env.MCPSCOPE_REQUIRE_TOKEN;
  const hosted = env.MCPSCOPE_MODE === 'hosted' || (!loopback && env.MCPSCOPE_MODE !== 'local');
  const needsToken = !loopback || requireEnv === '1' || requireEnv === 'true' || (hosted && requireEnv !== '0' && requireEnv !== 'false');
  if (!needsToken) return { needsToken, messages: [] };
  if (env.MCPSCOPE_ACCESS_TOKEN) {
    return {
      needsToken,
      messages: [`mcpscope: the access token is required here; open ${openAt}/?token=<MCPSCOPE_ACCESS_TOKEN> (or send Authorization: Bearer <token>).`],
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
