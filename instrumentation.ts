// Runs once when the Next.js server starts (https://nextjs.org/docs/app/guides/instrumentation).
// It leaves lib/direct-rpc's handler where the server in scripts/start.mjs finds it, so tool calls can be
// answered without Next's request pipeline (see lib/direct-rpc for why and what it takes), and reports settings
// it had to ignore.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installDirectRpc } = await import('./lib/direct-rpc');
  installDirectRpc();
  const { getSecuritySettings } = await import('./lib/security');
  const { rejectedTrustedProxies } = getSecuritySettings();
  // A proxy left out by a typo makes all its clients one client for the limits: say so at start, not never.
  if (rejectedTrustedProxies.length > 0) {
    console.warn(
      `mcpscope: MCPSCOPE_TRUSTED_PROXIES entries that are not addresses or CIDR ranges were ignored: ${rejectedTrustedProxies.join(', ')}`,
    );
  }
}
