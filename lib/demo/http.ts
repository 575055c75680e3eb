// The demo's HTTP face: one URL serving both protocol eras.
//
// `createMcpHandler` serves 2026-07-28 traffic (each request carries its own `_meta` envelope and gets a
// fresh server instance). Its default 2025 serving is a stateless per-request fallback, which answers
// GET/DELETE with 405 and cannot deliver `notifications/cancelled` to a running call (the notification
// arrives on another request, at another instance). So the handler runs modern-only (`legacy: 'reject'`)
// and 2025-era requests, told apart by the SDK's own `isLegacyRequest`, go to real stateful sessions.
//
// Served standalone on a loopback port, the demo is what a DNS-rebinding attack aims at (a web page whose
// name resolves to 127.0.0.1): `allowedHostnames` makes it refuse any other Host or Origin, with the SDK's
// own validators. Inside the app (/demo/mcp) the app's origin is whatever PUBLIC_URL says, so none is set.
import {
  createMcpHandler,
  hostHeaderValidationResponse,
  isLegacyRequest,
  localhostAllowedHostnames,
  originValidationResponse,
} from '@modelcontextprotocol/server';
import { createBookingStateCodec } from './booking';
import { LegacySessionRegistry, type LegacySessionLimits } from './legacy-sessions';
import { DemoLive } from './live';
import { DemoTaskStore } from './tasks';
import { createDemoServer } from './server';
import type { DemoServerOptions } from './types';

export interface DemoHandlerOptions extends DemoServerOptions {
  legacySessions?: Partial<LegacySessionLimits>;
  /** Out-of-band errors from the SDK (reporting only). */
  onError?: (error: Error) => void;
  /**
   * Host names (no port; IPv6 in brackets) the Host and Origin headers may name; anything else is refused
   * with 403. Unset: no check. `localhostAllowedHostnames()` is the list for a loopback port.
   */
  allowedHostnames?: string[];
}

/** The hostnames a demo served on a loopback port answers to (localhost, 127.0.0.1, [::1]). */
export function loopbackHostnames(): string[] {
  return localhostAllowedHostnames();
}

export interface DemoHandler {
  /** Serves one HTTP request (GET, POST or DELETE) at the demo endpoint. */
  handle(request: Request): Promise<Response>;
  /** Aborts in-flight 2026-07-28 exchanges and ends every 2025 session. */
  close(): Promise<void>;
  /** Number of live 2025-era sessions. */
  readonly legacySessionCount: number;
}

const DEFAULT_LIMITS: LegacySessionLimits = { maxSessions: 100, idleMs: 30 * 60 * 1000, retryMs: 2000 };

export function createDemoHandler(options: DemoHandlerOptions = {}): DemoHandler {
  const live = options.live ?? new DemoLive();
  const bookingState = options.bookingState ?? createBookingStateCodec();
  const tasks = options.tasks ?? new DemoTaskStore();
  const makeServer = () => createDemoServer({ onEvent: options.onEvent, live, bookingState, tasks });
  const modern = createMcpHandler(makeServer, { legacy: 'reject', onerror: options.onError });
  const legacy = new LegacySessionRegistry(makeServer, { ...DEFAULT_LIMITS, ...options.legacySessions });
  // 2026-07-28 clients hear about resource updates on their `subscriptions/listen` streams (the SDK's router
  // filters by the URIs each one asked for); 2025 sessions listen to `live` themselves (subscriptions.ts).
  const stopForwarding = live.onUpdate((uri) => modern.notify.resourceUpdated(uri));
  const allowed = options.allowedHostnames;
  return {
    async handle(request) {
      if (allowed) {
        const refused = hostHeaderValidationResponse(request, allowed) ?? originValidationResponse(request, allowed);
        if (refused) return refused;
      }
      if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: { allow: 'GET, POST, DELETE' } });
      return (await isLegacyRequest(request)) ? legacy.handle(request) : modern.fetch(request);
    },
    async close() {
      stopForwarding();
      tasks.close();
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
