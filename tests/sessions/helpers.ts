import { startOAuthFixture, type OAuthFixture, type OAuthFixtureOptions } from '@/e2e/fixtures/oauth';
import { readConfig } from '@/lib/config';
import { SessionRegistry } from '@/lib/sessions';
import { startedForSuite } from '../fixtures/suite';
import { tempStore } from '../oauth/helpers';

/**
 * For the enclosing suite: an OAuth fixture started with `options`, a temporary store and a session registry
 * that keeps its tokens there; all stopped after the suite. Read each through its function, in a test or hook.
 */
export function registryOnOAuthFixture(options?: OAuthFixtureOptions): {
  fx: () => OAuthFixture;
  registry: () => SessionRegistry;
} {
  const suite = startedForSuite(async () => {
    const fx = await startOAuthFixture(options);
    const ts = await tempStore();
    const registry = new SessionRegistry({ config: readConfig({}), store: async () => ts.store });
    const close = async () => {
      await registry.shutdown();
      await fx.close();
      await ts.close();
    };
    return { fx, registry, close };
  });
  return { fx: () => suite().fx, registry: () => suite().registry };
}
