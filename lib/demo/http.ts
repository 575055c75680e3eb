// The demo's HTTP face: one URL serving both protocol eras.
//
// `createMcpHandler` serves 2026-07-28 traffic (each request carries its own `_meta` envelope and gets a
// fresh server instance). Its default 2025 serving is a stateless per-request fallback, which answers
// GET/DELETE with 405 and cannot deliver `notifications/cancelled` to a running call (the notification
// arrives on another request, at another instance). So the handler runs modern-only (`legacy: 'reject'`)
// and 2025-era requests, told apart by the SDK's own `isLegacyRequest`, go to real stateful sessions.
import { createMcpHandler, isLegacyRequest } from '@modelcontextprotocol/server';
import { LegacySessionRegistry, type LegacySessionLimits } from './legacy-sessions';
import { createDemoServer } from './server';
import type { DemoServerOptions } from './types';

export interface DemoHandlerOptions extends DemoServerOptions {
  legacySessions?: Partial<LegacySessionLimits>;
  /** Out-of-band errors from the SDK (reporting only). */
  onError?: (error: Error) => void;
}

export interface DemoHandler {
  /** Serves one HTTP request (GET, POST or DELETE) at the demo endpoint. */
  handle(request: Request): Promise<Response>;
  /** Aborts in-flight 2026-07-28 exchanges and ends every 2025 session. */
  close(): Promise<void>;
  /** Number of live 2025-era sessions. */
  readonly legacySessionCount: number;
}

const DEFAULT_LIMITS: LegacySessionLimits = { maxSessions: 100, idleMs: 30 * 60 * 1000 };

export function createDemoHandler(options: DemoHandlerOptions = {}): DemoHandler {
  const makeServer = () => createDemoServer({ onEvent: options.onEvent });
  const modern = createMcpHandler(makeServer, { legacy: 'reject', onerror: options.onError });
  const legacy = new LegacySessionRegistry(makeServer, { ...DEFAULT_LIMITS, ...options.legacySessions });
  return {
    async handle(request) {
      if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: { allow: 'GET, POST, DELETE' } });
      return (await isLegacyRequest(request)) ? legacy.handle(request) : modern.fetch(request);
    },
    async close() {
      await Promise.all([modern.close(), legacy.closeAll()]);
    },
    get legacySessionCount() {
      return legacy.size;
    },
  };
}

let shared: DemoHandler | undefined;

/** The app's demo endpoint (`/demo/mcp`): one handler per process, so 2025 sessions survive between requests. */
export function handleDemoRequest(request: Request): Promise<Response> {
  shared ??= createDemoHandler();
  return shared.handle(request);
}
