// Runs once when the Next.js server starts (https://nextjs.org/docs/app/guides/instrumentation).
// It leaves lib/direct-rpc's handler where the server in scripts/start.mjs finds it, so tool calls can be
// answered without Next's request pipeline (see lib/direct-rpc for why and what it takes).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installDirectRpc } = await import('./lib/direct-rpc');
  installDirectRpc();
}
