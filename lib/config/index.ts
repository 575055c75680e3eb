// Server configuration from the environment, read once per process. Every knob has a default so a
// fresh checkout runs with no setup; see the README's Configuration section for the list.
// The settings file, not the security door: config stays free of node:dns and the guarded fetch.
import { getHeapStatistics } from 'node:v8';
import { readSecuritySettings, type SecuritySettings } from '../security/settings';
import { DEFAULT_TRACE_LIMITS, type TraceLimits } from '../trace/types';

export interface AppConfig {
  host: string;
  port: number;
  /** Local stdio servers may be started (MCPSCOPE_STDIO=0 turns them off everywhere; lib/stdio/policy.ts decides). */
  stdioEnabled: boolean;
  /** The origin people reach mcpscope at (OAuth redirect URIs and share links are built from it). */
  publicUrl: string;
  dataDir: string;
  sessionIdleMinutes: number;
  logLimits: Pick<TraceLimits, 'maxEvents' | 'maxBytes'>;
  /** Most memory the logs of all live sessions may hold together (estimated bytes); see `defaultLogBudget`. */
  logBudgetBytes: number;
  /** Server notifications kept per method past a burst; the rest are counted in `notifications_folded` findings. */
  notificationLimits: Pick<TraceLimits, 'notificationRate' | 'notificationBurst'>;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** The most one request may take in all, even while the server reports progress. */
  requestMaxMs: number;
  /** How long a server's request (elicitation, sampling) waits for the person before it is answered with an error. */
  answerTimeoutMs: number;
  /** Live sessions one browser (owner cookie) may hold at once. */
  maxSessionsPerOwner: number;
  /** Live (connected or connecting) sessions one client address may hold at once, whatever its cookies. */
  maxSessionsPerAddress: number;
  /** Sessions one client address may have connecting at once (handshakes waiting for their server). */
  maxConnectingPerAddress: number;
  /** Live sessions the whole process may hold at once; when full, the client holding the most gives way first. */
  maxSessionsTotal: number;
  /** Access rules, target policy and limits (lib/security). */
  security: SecuritySettings;
}

type Env = Record<string, string | undefined>;

/**
 * The longest a connect may wait for its server (default and per-session `timeouts.connectMs` alike): a session
 * connecting to a server that never answers holds a slot of its client's and of the process's until then.
 */
export const MAX_CONNECT_TIMEOUT_MS = 2 * 60_000;

/** A positive integer from the environment; a malformed value falls back to the default rather than crashing boot. */
function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

function text(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  return raw ? raw : fallback;
}

/**
 * Server notifications a live session's log keeps per method: a burst of 10,000 (a tool that reports a big job
 * as it goes stays whole), then 100 a second: more than a person reads, enough to see that they keep coming,
 * and far below what a flooding server sends (thousands a second, each kept one costing ~1 KB of memory);
 * the rest are counted.
 */
export const DEFAULT_NOTIFICATION_LIMITS: Pick<TraceLimits, 'notificationRate' | 'notificationBurst'> = {
  notificationRate: 100,
  notificationBurst: 10_000,
};

/**
 * The default memory budget for session logs: a quarter of this process's JavaScript heap limit, at most
 * 512 MB. The heap limit is the hard ceiling (past it Node dies of out-of-memory), and the logs are not the
 * only tenant: Next.js, the SDK clients, request buffers and exports (an export is a few copies of a log) need
 * the rest. A quarter of Node's default limit is 512 MB to 1 GB on machines with 2 GB of RAM or more, so the cap
 * is what a typical 1–2 GB container can afford; a smaller heap (`--max-old-space-size=1024`) gets 256 MB.
 */
export function defaultLogBudget(heapLimitBytes: number = getHeapStatistics().heap_size_limit): number {
  return Math.min(512 * 1024 * 1024, Math.floor(heapLimitBytes / 4));
}

/** Parses a configuration from an environment; exported for tests, the app calls `getConfig()`. */
export function readConfig(env: Env): AppConfig {
  const port = positiveInt(env, 'PORT', 3000);
  return {
    host: text(env, 'HOST', '127.0.0.1'),
    port,
    stdioEnabled: !['0', 'false', 'off', 'no'].includes((env.MCPSCOPE_STDIO ?? '').trim().toLowerCase()),
    // The port the app serves on: `PORT=4000 npm start` is opened (and OAuth comes back) at localhost:4000.
    publicUrl: text(env, 'PUBLIC_URL', `http://localhost:${port}`).replace(/\/+$/, ''),
    dataDir: text(env, 'MCPSCOPE_DATA_DIR', '.data'),
    sessionIdleMinutes: positiveInt(env, 'MCPSCOPE_SESSION_IDLE_MINUTES', 30),
    logLimits: {
      maxEvents: positiveInt(env, 'MCPSCOPE_LOG_MAX_EVENTS', DEFAULT_TRACE_LIMITS.maxEvents),
      maxBytes: positiveInt(env, 'MCPSCOPE_LOG_MAX_BYTES', DEFAULT_TRACE_LIMITS.maxBytes),
    },
    logBudgetBytes: positiveInt(env, 'MCPSCOPE_LOG_BUDGET_BYTES', defaultLogBudget()),
    notificationLimits: {
      notificationRate: positiveInt(env, 'MCPSCOPE_NOTIFICATION_RATE', DEFAULT_NOTIFICATION_LIMITS.notificationRate),
      notificationBurst: positiveInt(env, 'MCPSCOPE_NOTIFICATION_BURST', DEFAULT_NOTIFICATION_LIMITS.notificationBurst),
    },
    connectTimeoutMs: Math.min(MAX_CONNECT_TIMEOUT_MS, positiveInt(env, 'MCPSCOPE_CONNECT_TIMEOUT_MS', 15_000)),
    requestTimeoutMs: positiveInt(env, 'MCPSCOPE_REQUEST_TIMEOUT_MS', 60_000),
    requestMaxMs: positiveInt(env, 'MCPSCOPE_REQUEST_MAX_MS', 10 * 60_000),
    answerTimeoutMs: positiveInt(env, 'MCPSCOPE_ANSWER_TIMEOUT_MS', 5 * 60_000),
    maxSessionsPerOwner: positiveInt(env, 'MCPSCOPE_MAX_SESSIONS', 50),
    maxSessionsPerAddress: positiveInt(env, 'MCPSCOPE_MAX_SESSIONS_PER_ADDRESS', 200),
    maxConnectingPerAddress: positiveInt(env, 'MCPSCOPE_MAX_CONNECTING_PER_ADDRESS', 20),
    maxSessionsTotal: positiveInt(env, 'MCPSCOPE_MAX_SESSIONS_TOTAL', 1000),
    security: readSecuritySettings(env),
  };
}

let cached: AppConfig | undefined;

export function getConfig(): AppConfig {
  cached ??= readConfig(process.env);
  return cached;
}
