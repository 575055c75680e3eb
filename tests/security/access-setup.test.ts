// What `npm start` does and prints about the access token (lib/security/access-setup.ts, used by scripts/start.mjs).
import { describe, expect, it } from 'vitest';
import { accessTokenSetup } from '@/lib/security/access-setup';
import { readSecuritySettings } from '@/lib/security/settings';

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
      const setup = accessTokenSetup({ ...env, HOST: host }, OPEN_AT);
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
    const setup = accessTokenSetup({ HOST: '0.0.0.0' }, OPEN_AT);
    expect(setup.generatedToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const links = setup.messages.filter((m) => m.includes(setup.generatedToken!));
    expect(links).toEqual([`mcpscope: open ${OPEN_AT}/?token=${setup.generatedToken} (or send Authorization: Bearer <token>)`]);
    expect(accessTokenSetup({ HOST: '0.0.0.0' }, OPEN_AT).generatedToken).not.toBe(setup.generatedToken);
  });

  it('says nothing and makes nothing on loopback in local mode', () => {
    expect(accessTokenSetup({ HOST: '127.0.0.1' }, OPEN_AT)).toEqual({ needsToken: false, messages: [] });
    expect(accessTokenSetup({ MCPSCOPE_ACCESS_TOKEN: 'x', HOST: 'localhost' }, OPEN_AT)).toEqual({ needsToken: false, messages: [] });
    expect(accessTokenSetup({ MCPSCOPE_MODE: 'hosted', MCPSCOPE_REQUIRE_TOKEN: '0', HOST: '::1' }, OPEN_AT).needsToken).toBe(false);
  });

  // Issue 15: the start script had its own copy of the policy, and the two disagreed. With `MCPSCOPE_MODE=Hosted`
  // on loopback every request got 503 access_token_unset (no token was generated); with `HOST=app.localhost` a
  // token was generated and printed that no request needed.
  it('needs a token exactly when the requests will', () => {
    const hosts = ['127.0.0.1', 'localhost', 'app.localhost', '::1', '[::1]', '0.0.0.0', '::', '192.168.1.20', 'scope.example.com'];
    const modes = [undefined, 'hosted', 'Hosted', 'LOCAL', 'local', 'nonsense'];
    const requires = [undefined, '1', 'true', '0', 'false'];
    let cases = 0;
    for (const HOST of hosts) {
      for (const MCPSCOPE_MODE of modes) {
        for (const MCPSCOPE_REQUIRE_TOKEN of requires) {
          const env = { HOST, MCPSCOPE_MODE, MCPSCOPE_REQUIRE_TOKEN };
          const setup = accessTokenSetup(env, OPEN_AT);
          const settings = readSecuritySettings(env);
          expect(setup.needsToken, JSON.stringify(env)).toBe(settings.requireToken);
          // Whenever requests need a token, after `npm start` there is one (configured or generated).
          if (settings.requireToken) expect(setup.generatedToken, JSON.stringify(env)).toBeDefined();
          cases += 1;
        }
      }
    }
    expect(cases).toBe(hosts.length * modes.length * requires.length);
    expect(accessTokenSetup({ HOST: '127.0.0.1', MCPSCOPE_MODE: 'Hosted' }, OPEN_AT).generatedToken).toBeDefined();
    expect(accessTokenSetup({ HOST: 'app.localhost' }, OPEN_AT)).toEqual({ needsToken: false, messages: [] });
  });

  it('takes a configured token as the requests do (surrounding spaces do not make a second token)', () => {
    const setup = accessTokenSetup({ HOST: '0.0.0.0', MCPSCOPE_ACCESS_TOKEN: '  set-by-operator  ' }, OPEN_AT);
    expect(setup.generatedToken).toBeUndefined();
    expect(readSecuritySettings({ HOST: '0.0.0.0', MCPSCOPE_ACCESS_TOKEN: '  set-by-operator  ' }).accessToken).toBe('set-by-operator');
  });
});
