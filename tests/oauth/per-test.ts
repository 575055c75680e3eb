import { afterEach, beforeEach } from 'vitest';
import { startOAuthFixture, type OAuthFixture, type OAuthFixtureOptions } from '@/e2e/fixtures/oauth';
import { tempStore, type TestStore } from './helpers';

/**
 * For the tests of a file that each want their own OAuth fixture: the returned function starts one with `options`
 * and a temporary store, and gives both; after each test, what it started is closed.
 */
export function oauthPerTest(): (options: OAuthFixtureOptions) => Promise<{ fx: OAuthFixture; ts: TestStore }> {
  let fx: OAuthFixture | undefined;
  let ts: TestStore | undefined;
  afterEach(async () => {
    await fx?.close();
    await ts?.close();
    fx = undefined;
    ts = undefined;
  });
  return async (options) => {
    fx = await startOAuthFixture(options);
    ts = await tempStore();
    return { fx, ts };
  };
}

/** A temporary store opened before each test of the enclosing suite and closed after it; read it in a test. */
export function tempStorePerTest(): () => TestStore {
  let ts: TestStore | undefined;
  beforeEach(async () => {
    ts = await tempStore();
  });
  afterEach(async () => {
    await ts?.close();
    ts = undefined;
  });
  return () => {
    if (ts === undefined) throw new Error('the temporary store was read outside a test');
    return ts;
  };
}
