// Share limits from the environment. Defaults need no setup; MCPSCOPE_SHARE_MAX_BYTES changes the size limit.
export const DEFAULT_SHARE_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_SHARE_EXPIRY_DAYS = 30;
/** Longest expiry a link can ask for (a year); `null` (never) is allowed separately. */
export const MAX_SHARE_EXPIRY_DAYS = 366;

/**
 * Largest shared log accepted, in bytes of its JSON before compression (what a viewer downloads and parses).
 * A malformed value falls back to the default rather than breaking shares.
 */
export function shareMaxBytes(env: Record<string, string | undefined> = process.env): number {
  const raw = env.MCPSCOPE_SHARE_MAX_BYTES?.trim();
  if (!raw) return DEFAULT_SHARE_MAX_BYTES;
  const value = Number(raw);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : DEFAULT_SHARE_MAX_BYTES;
}
