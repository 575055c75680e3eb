// The process's one MockHost (kept on globalThis: Next may load a route module more than once), hosted-ness from
// lib/security's settings. Its mocks close when the process ends (their sockets are the process's).
import { getSecuritySettings } from '../security';
import { MockHost } from './hosting';

const KEY = Symbol.for('mcpscope.mockHost');

export function getMockHost(): MockHost {
  const holder = globalThis as unknown as Record<symbol, MockHost | undefined>;
  holder[KEY] ??= new MockHost({ hosted: () => getSecuritySettings().mode === 'hosted' });
  return holder[KEY];
}
