// The health of a connected session, from what the wire shows: a session can be "connected" in the registry
// while its server is dead (calls fail one by one, the standing stream is gone) or has forgotten it (restart:
// every request answers 400/404 for its session id). `decideHealth` is the one place that turns evidence into
// a state (pure, table-tested); `watchSessionHealth` reads the session log, feeds it, and records each change.
import type { SessionHealth, SessionHealthCode } from '../contract';
import type { TraceLog } from '../trace';
import type { HeaderList, TraceEvent } from '../trace/types';

/** One observation about the live connection, distilled from the log. */
export type HealthEvidence =
  /** A new connection was made (connect succeeded): whatever was wrong before is about the old one. */
  | { kind: 'connected' }
  /** An MCP request (POST) was answered with HTTP `status`; `sessionBound`: it carried the server's session id. */
  | { kind: 'answered'; status: number; sessionBound: boolean; body?: string }
  /** An MCP request got no answer at all (connection refused or reset, timeout). */
  | { kind: 'unreachable'; message: string }
  /** The standing stream (GET) opened (HTTP 2xx). */
  | { kind: 'stream_open' }
  /** The standing stream broke, or could not be opened again (`status` when the server answered). */
  | { kind: 'stream_lost'; message: string; status?: number; sessionBound: boolean; body?: string }
  /** A stdio server's process ended on its own: nothing on this connection can work again. */
  | { kind: 'process_exited'; message: string };

export const HEALTHY: SessionHealth = { status: 'ok' };

/** The server says it no longer knows the session id it gave: "Session not found", "No valid session ID". */
export function forgotSession(status: number, sessionBound: boolean, body: string | undefined): boolean {
  if (!sessionBound) return false;
  if (status === 404) return true;
  // 400 is what the SDKs' example servers answer for an unknown Mcp-Session-Id (the spec says 404); only when the
  // body talks about the session, so a 400 for bad arguments is not taken for a lost session.
  return status === 400 && /session/i.test(body ?? '');
}

const STREAM_STILL_LOST = 'The standing stream from the server was lost: server notifications cannot arrive until it opens again.';

// One failure is enough to say so: a dead server fails every request, and the next success says healthy again.
function degraded(current: SessionHealth, code: SessionHealthCode, reason: string, at: number): SessionHealth {
  const failures = (current.failures ?? 0) + (code === 'requests_failing' ? 1 : 0);
  // A lost stream and failing requests both say "degraded"; keep the first moment it went wrong.
  const since = current.status === 'degraded' ? (current.since ?? at) : at;
  const streamLost = current.streamLost === true || code === 'stream_lost';
  return { status: 'degraded', code, reason, since, failures, ...(streamLost ? { streamLost } : {}) };
}

/**
 * What the session's state is after `evidence`, given what it was. `session_lost` stays until a new connection
 * (nothing on the old server session can work again); `degraded` ends when requests succeed again and, if the
 * standing stream was lost, it opened again.
 */
export function decideHealth(current: SessionHealth, evidence: HealthEvidence, at: number): SessionHealth {
  if (evidence.kind === 'connected') return HEALTHY;
  if (current.status === 'session_lost') return current;
  switch (evidence.kind) {
    case 'process_exited':
      return { status: 'session_lost', code: 'process_exited', reason: evidence.message, since: at };
    case 'answered': {
      if (forgotSession(evidence.status, evidence.sessionBound, evidence.body)) {
        return {
          status: 'session_lost',
          code: 'session_not_found',
          reason: `The server answered HTTP ${evidence.status} for its own session id: it no longer knows this session (it restarted, or expired it).`,
          since: at,
        };
      }
      if (evidence.status >= 500)
        return degraded(current, 'requests_failing', `The server answers requests with HTTP ${evidence.status}.`, at);
      // Any other answer means the server is there and knows the session (a 4xx is about that one request).
      if (current.status === 'ok') return current;
      if (current.streamLost)
        return { status: 'degraded', code: 'stream_lost', reason: STREAM_STILL_LOST, since: current.since ?? at, streamLost: true };
      return HEALTHY;
    }
    case 'unreachable':
      return degraded(current, 'requests_failing', `Requests to the server fail: ${evidence.message}`, at);
    case 'stream_open':
      // The server accepted the session's stream: it is there and knows the session.
      return current.status === 'ok' ? current : HEALTHY;
    case 'stream_lost':
      if (evidence.status !== undefined && forgotSession(evidence.status, evidence.sessionBound, evidence.body)) {
        return decideHealth(current, { kind: 'answered', status: evidence.status, sessionBound: true, body: evidence.body }, at);
      }
      return degraded(current, 'stream_lost', `The standing stream from the server was lost: ${evidence.message}`, at);
  }
}

/** A short label for the header, and whether Reconnect helps. */
export function healthLabel(health: SessionHealth): string {
  switch (health.status) {
    case 'ok':
      return 'connected';
    case 'degraded':
      return 'degraded';
    case 'session_lost':
      return health.code === 'process_exited' ? 'process exited' : 'session gone';
  }
}

interface Watched {
  method: string;
  purpose: string;
  sessionBound: boolean;
  status?: number;
}

function header(headers: HeaderList, name: string): string | undefined {
  return headers.find(([n]) => n === name)?.[1];
}

function carriesSession(method: string, url: string, headers: HeaderList): boolean {
  if (header(headers, 'mcp-session-id') !== undefined) return true;
  // Legacy HTTP+SSE: the session is the endpoint's `sessionId` query parameter.
  if (method !== 'POST') return false;
  try {
    return new URL(url).searchParams.has('sessionId');
  } catch {
    return false;
  }
}

function bodyText(event: Extract<TraceEvent, { kind: 'http.end' }>): string | undefined {
  return event.body && event.body.encoding === 'utf8' ? event.body.text.slice(0, 2_000) : undefined;
}

export interface HealthWatchOptions {
  /** Called after each change, with the state before it. */
  onChange: (health: SessionHealth, previous: SessionHealth) => void;
  now?: () => number;
}

const FINDING: Record<SessionHealth['status'], { severity: 'info' | 'warning' | 'error'; code: string } | undefined> = {
  ok: { severity: 'info', code: 'connection_recovered' },
  degraded: { severity: 'warning', code: 'connection_degraded' },
  session_lost: { severity: 'error', code: 'server_session_gone' },
};

/**
 * Watches the session log for evidence about the live connection; returns the function that stops. Only
 * exchanges made while connected count (the handshake's own failures are the connect's story), and never one
 * mcpscope ended itself (disconnect, cancel).
 */
export function watchSessionHealth(log: TraceLog, options: HealthWatchOptions): { stop: () => void; current: () => SessionHealth } {
  const now = options.now ?? Date.now;
  const exchanges = new Map<string, Watched>();
  let health: SessionHealth = HEALTHY;
  let connected = false;
  const connectPhases = new Set<string>();

  const apply = (evidence: HealthEvidence) => {
    const next = decideHealth(health, evidence, now());
    const previous = health;
    health = next;
    if (next.status === previous.status && next.code === previous.code) return;
    // The change is recorded where every view reads from: the log (Findings, Timeline markers).
    const finding = FINDING[next.status];
    // A 404 for the session id is already named by the wire findings (lib/mcp/findings-wire.ts, server_session_lost).
    // A process that exited is named by lib/stdio's own `process_exited` finding, with its last stderr lines.
    const namedAlready =
      (next.status === 'session_lost' && 'status' in evidence && evidence.status === 404) || evidence.kind === 'process_exited';
    if (finding && evidence.kind !== 'connected' && !namedAlready) {
      const message =
        next.status === 'ok'
          ? 'The server answers again: the session is healthy.'
          : `${next.status === 'degraded' ? 'The session is degraded' : 'The server session is gone'}: ${next.reason ?? ''} Reconnect starts a new MCP session; the log carries on.`;
      log.finding(finding.severity, finding.code, message);
    }
    options.onChange(next, previous);
  };

  const stop = log.subscribe((event) => {
    switch (event.kind) {
      case 'phase':
        if (event.name === 'connect' && event.status === 'started') {
          connectPhases.add(event.phaseId);
          connected = false;
        } else if (event.name === 'connect' && connectPhases.has(event.phaseId)) {
          connectPhases.delete(event.phaseId);
          if (event.status === 'ok') {
            connected = true;
            exchanges.clear();
            apply({ kind: 'connected' });
          }
        } else if (event.name === 'disconnect' && event.status === 'started') {
          connected = false;
        }
        return;
      case 'stdio.process':
        if (event.state === 'exited' && !event.stopped && connected) {
          const how = event.signal ? `was ended by signal ${event.signal}` : `exited with code ${event.code ?? '?'}`;
          const tail = event.stderrTail?.slice(-3) ?? [];
          apply({
            kind: 'process_exited',
            message: `The server process ${how}.${tail.length > 0 ? ` Its last stderr lines: ${tail.map((line) => `"${line}"`).join(' / ')}` : ''}`,
          });
        }
        return;
      case 'http.request':
        if (!connected || (event.purpose !== 'mcp' && event.purpose !== 'mcp-stream')) return;
        if (event.method === 'DELETE') return;
        exchanges.set(event.exchangeId, {
          method: event.method,
          purpose: event.purpose,
          sessionBound: carriesSession(event.method, event.url, event.headers),
        });
        // A session's log may hold millions of exchanges; only open ones are kept.
        if (exchanges.size > 2_000) exchanges.delete(exchanges.keys().next().value!);
        return;
      case 'http.response': {
        const exchange = exchanges.get(event.exchangeId);
        if (!exchange) return;
        exchange.status = event.status;
        if (exchange.method === 'GET' && event.status >= 200 && event.status < 300) apply({ kind: 'stream_open' });
        return;
      }
      case 'http.end': {
        const exchange = exchanges.get(event.exchangeId);
        if (!exchange) return;
        exchanges.delete(event.exchangeId);
        if (event.aborted || !connected) return;
        const stream = exchange.method === 'GET';
        if (stream) {
          // 405: the server offers no standing stream, which is allowed; a clean end is the server rotating it.
          if (exchange.status === 405) return;
          if (event.error)
            apply({
              kind: 'stream_lost',
              message: event.error.message,
              sessionBound: exchange.sessionBound,
              ...(exchange.status !== undefined ? { status: exchange.status } : {}),
            });
          else if (exchange.status !== undefined && exchange.status >= 400) {
            apply({
              kind: 'stream_lost',
              message: `HTTP ${exchange.status}`,
              status: exchange.status,
              sessionBound: exchange.sessionBound,
              body: bodyText(event),
            });
          }
          return;
        }
        if (exchange.status === undefined) {
          if (event.error) apply({ kind: 'unreachable', message: event.error.message });
          return;
        }
        apply({ kind: 'answered', status: exchange.status, sessionBound: exchange.sessionBound, body: bodyText(event) });
        return;
      }
      default:
        return;
    }
  });
  return { stop, current: () => health };
}
