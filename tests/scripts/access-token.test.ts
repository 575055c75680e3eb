// What `npm start` prints about the access token (scripts/access-token.mjs, used by scripts/start.mjs).
import { describe, expect, it } from 'vitest';
import { accessTokenSetup } from '@/scripts/access-token.mjs';

const OPEN_AT = 'https://scope.example.com';

describe('accessTokenSetup', () => {
  // Issue 12: the token was printed to the log even when the operator set it.
  it('never prints a token the operator set, in any mode that needs one', () => {
    const operatorToken = 'operator-chosen-token-Zq81';
    for (const [env, host] of [
      [{ MCPSCOPE_ACCESS_TOKEN: operatorToken }, '0.0.0.0'],
      [{ MCPSCOPE_ACCESS_TOKEN: operatorToken, MCPSCOPE_MODE: 'hosted' }, '127.0.0.1'],
      [{ MCPSCOPE_ACCESS_TOKEN: operatorToken, MCPSCOPE_REQUIRE_TOKEN: '1' }, '127.0.0.1'],
    ] as const) {
      const setup = accessTokenSetup(env, host, OPEN_AT);
      expect(setup.needsToken).toBe(true);
      expect(setup.generatedToken).toBeUndefined();
      const printed = setup.messages.join('\n');
      expect(printed).not.toContain(operatorToken);
      expect(printed).not.toContain(encodeURIComponent(operatorToken));
      expect(printed).not.toContain('Zq81');
      expect(printed).toContain('MCPSCOPE_ACCESS_TOKEN');
    }
  });

  it('generates a token when none is set and prints it once, in the link to open', () => {
    const setup = accessTokenSetup({}, '0.0.0.0', OPEN_AT);
    expect(setup.generatedToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const links = setup.messages.filter((m) => m.includes(setup.generatedToken!));
    expect(links).toEqual([`mcpscope: open ${OPEN_AT}/?token=${setup.generatedToken} (or send Authorization: Bearer <token>)`]);
    expect(accessTokenSetup({}, '0.0.0.0', OPEN_AT).generatedToken).not.toBe(setup.generatedToken);
  });

  it('says nothing and makes nothing on loopback in local mode', () => {
    expect(accessTokenSetup({}, '127.0.0.1', OPEN_AT)).toEqual({ needsToken: false, messages: [] });
    expect(accessTokenSetup({ MCPSCOPE_ACCESS_TOKEN: 'x' }, 'localhost', OPEN_AT)).toEqual({ needsToken: false, messages: [] });
    expect(accessTokenSetup({ MCPSCOPE_MODE: 'hosted', MCPSCOPE_REQUIRE_TOKEN: '0' }, '::1', OPEN_AT).needsToken).toBe(false);
  });
});
