// The security settings, from the environment. Every knob has a safe default; the README's Configuration
// table lists them. Read once per process by `getSecuritySettings()`; tests call `readSecuritySettings(env)`.
import { parseTrustedProxies } from './client-address';
import { isLoopbackAddress, type Cidr } from './ip';
import { parseAllowList, type TargetMode, type TargetPolicy } from './targets';

type Env = Record<string, string | undefined>;

export interface RateSpec {
  /** Tokens added per minute. */
  perMinute: number;
  /** Bucket size: how many may happen at once after a quiet period. */
  burst: number;
}

export interface SecurityLimits {
  /** Largest request body the API accepts (413 `body_too_large` above it). */
  maxBodyBytes: number;
  /** Largest single response body or SSE event mcpscope reads from an MCP server (after decompression). */
  maxMessageBytes: number;
  /**
   * How many times its compressed size a compressed response may expand to, once past its first
   * COMPRESSION_CHECK_FLOOR_BYTES decompressed (lib/security/guard.ts); 0 turns the check off.
   */
  maxCompressionRatio: number;
  /** Redirects followed for one request. */
  maxRedirects: number;
  /** Session creation (and reconnection) per browser; a client address gets ADDRESS_FACTOR times this (lib/security/admit.ts). */
  sessionRate: RateSpec;
  /** Share link creation per browser; a client address gets ADDRESS_FACTOR times this. */
  shareRate: RateSpec;
}

export interface SecuritySettings {
  /** The address the server is bound to (HOST). */
  boundHost: string;
  boundToLoopback: boolean;
  mode: TargetMode;
  /** Every page and API call needs the access token. */
  requireToken: boolean;
  /** Undefined when none is configured; with `requireToken` that refuses everything (fail closed). */
  accessToken?: string;
  /** Host names (and `host:port` entries) the `Host` header may carry. */
  allowedHosts: string[];
  /** Origins besides mcpscope's own that may send state-changing requests. */
  allowedOrigins: string[];
  /** The origin people reach mcpscope at (PUBLIC_URL). */
  publicOrigin: string;
  port: number;
  targets: TargetPolicy;
  /** MCPSCOPE_ALLOWED_TARGETS entries that were not understood (reported at start). */
  rejectedTargets: string[];
  /** MCPSCOPE_TRUSTED_PROXIES: peers whose X-Forwarded-For names the client (lib/security/client-address.ts). */
  trustedProxies: Cidr[];
  /** MCPSCOPE_TRUSTED_PROXIES entries that are not addresses or CIDR ranges (reported at start). */
  rejectedTrustedProxies: string[];
  limits: SecurityLimits;
}

export const ACCESS_COOKIE = 'mcpscope_access';
export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]', '::1'];

export const DEFAULT_SECURITY_LIMITS: SecurityLimits = {
  maxBodyBytes: 1024 * 1024,
  maxMessageBytes: 8 * 1024 * 1024,
  // Deflate cannot expand past ~1,032 times; JSON rarely compresses past 20-50 times. A body at several hundred
  // times is almost only ever one long run of one byte: what a decompression bomb is made of.
  maxCompressionRatio: 500,
  maxRedirects: 5,
  sessionRate: { perMinute: 60, burst: 30 },
  shareRate: { perMinute: 10, burst: 10 },
};

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

/** A whole number ≥ 0 (0 meaning "off"); anything else is the fallback. */
function nonNegativeInt(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(/[\s,]+/)
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);
}

/** localhost, 127.0.0.0/8 and ::1: the addresses only this machine can reach. 0.0.0.0 and :: are not. */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare.endsWith('.localhost') || isLoopbackAddress(bare);
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export function readSecuritySettings(env: Env): SecuritySettings {
  const boundHost = env.HOST?.trim() || '127.0.0.1';
  const boundToLoopback = isLoopbackHost(boundHost);
  const port = positiveInt(env, 'PORT', 3000);
  const modeEnv = env.MCPSCOPE_MODE?.trim().toLowerCase();
  const mode: TargetMode = modeEnv === 'hosted' || modeEnv === 'local' ? modeEnv : boundToLoopback ? 'local' : 'hosted';
  const requireEnv = env.MCPSCOPE_REQUIRE_TOKEN?.trim();
  // Beyond loopback the token is not optional; on loopback (e.g. behind a reverse proxy) the env decides.
  const requireToken =
    !boundToLoopback || requireEnv === '1' || requireEnv === 'true' || (mode === 'hosted' && requireEnv !== '0' && requireEnv !== 'false');
  const publicOrigin = originOf(env.PUBLIC_URL?.trim() || `http://localhost:${port}`) ?? `http://localhost:${port}`;
  const publicHost = new URL(publicOrigin).host.toLowerCase();

  const allowedHosts = new Set<string>([
    ...LOOPBACK_NAMES,
    publicHost,
    new URL(publicOrigin).hostname.toLowerCase(),
    ...list(env.MCPSCOPE_ALLOWED_HOSTS),
  ]);
  const wildcard = boundHost === '0.0.0.0' || boundHost === '::' || boundHost === '[::]';
  if (!wildcard)
    allowedHosts.add(
      boundHost.toLowerCase().includes(':') && !boundHost.startsWith('[') ? `[${boundHost.toLowerCase()}]` : boundHost.toLowerCase(),
    );

  const { allow, rejected } = parseAllowList(env.MCPSCOPE_ALLOWED_TARGETS);
  const selfOrigins = new Set<string>([publicOrigin]);
  for (const host of allowedHosts) {
    if (host === '::1') continue;
    for (const scheme of ['http', 'https']) {
      const origin = originOf(host.includes(':') && !host.startsWith('[') ? `${scheme}://${host}` : `${scheme}://${host}:${port}`);
      if (origin) selfOrigins.add(origin);
    }
  }

  const trusted = parseTrustedProxies(env.MCPSCOPE_TRUSTED_PROXIES);
  const sessionPerMinute = positiveInt(env, 'MCPSCOPE_SESSION_RATE', DEFAULT_SECURITY_LIMITS.sessionRate.perMinute);
  const sharePerMinute = positiveInt(env, 'MCPSCOPE_SHARE_RATE', DEFAULT_SECURITY_LIMITS.shareRate.perMinute);
  return {
    boundHost,
    boundToLoopback,
    mode,
    requireToken,
    accessToken: env.MCPSCOPE_ACCESS_TOKEN?.trim() || undefined,
    allowedHosts: [...allowedHosts],
    allowedOrigins: list(env.MCPSCOPE_ALLOWED_ORIGINS).map((o) => originOf(o) ?? o),
    publicOrigin,
    port,
    targets: { mode, allow, selfOrigins: [...selfOrigins] },
    rejectedTargets: rejected,
    trustedProxies: trusted.proxies,
    rejectedTrustedProxies: trusted.rejected,
    limits: {
      maxBodyBytes: positiveInt(env, 'MCPSCOPE_MAX_BODY_BYTES', DEFAULT_SECURITY_LIMITS.maxBodyBytes),
      maxMessageBytes: positiveInt(env, 'MCPSCOPE_MAX_MESSAGE_BYTES', DEFAULT_SECURITY_LIMITS.maxMessageBytes),
      maxCompressionRatio: nonNegativeInt(env, 'MCPSCOPE_MAX_COMPRESSION_RATIO', DEFAULT_SECURITY_LIMITS.maxCompressionRatio),
      maxRedirects: positiveInt(env, 'MCPSCOPE_MAX_REDIRECTS', DEFAULT_SECURITY_LIMITS.maxRedirects),
      sessionRate: {
        perMinute: sessionPerMinute,
        burst: positiveInt(env, 'MCPSCOPE_SESSION_BURST', Math.min(sessionPerMinute, DEFAULT_SECURITY_LIMITS.sessionRate.burst)),
      },
      shareRate: {
        perMinute: sharePerMinute,
        burst: positiveInt(env, 'MCPSCOPE_SHARE_BURST', Math.min(sharePerMinute, DEFAULT_SECURITY_LIMITS.shareRate.burst)),
      },
    },
  };
}

let cached: SecuritySettings | undefined;

/** The settings of this process (read from `process.env` once). */
export function getSecuritySettings(): SecuritySettings {
  cached ??= readSecuritySettings(process.env);
  return cached;
}
