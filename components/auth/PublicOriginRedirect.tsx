'use client';

import { useEffect } from 'react';

/**
 * Moves the browser to mcpscope's public origin (PUBLIC_URL) when the page was opened at another one, e.g.
 * 127.0.0.1 instead of localhost: the OAuth redirect comes back to the public origin, and the owner cookie that
 * ties the callback to its session only exists there. Client-side, so a reverse proxy that rewrites Host cannot
 * make it loop.
 */
export function PublicOriginRedirect({ publicOrigin }: { publicOrigin: string }) {
  useEffect(() => {
    let target: URL;
    try {
      target = new URL(publicOrigin);
    } catch {
      return;
    }
    const here = window.location;
    if (here.origin === target.origin) return;
    here.replace(`${target.origin}${here.pathname}${here.search}${here.hash}`);
  }, [publicOrigin]);
  return null;
}
