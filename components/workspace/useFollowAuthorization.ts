'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useEffectEvent } from 'react';
import type { SessionSummary } from '@/lib/contract';
import { liveConnectPending } from '../api';
import { destinationAfterConnect, followDestination } from '../auth';

/**
 * A workspace opened while connecting (the connect screen did not wait) follows the outcome the way the connect
 * screen would have: a server that wants authorization sends the browser on to sign in, or to the guided steps.
 * Only once, and only in the tab that clicked Connect; a reload or a shared tab shows the prompt instead.
 */
export function useFollowAuthorization(summary: SessionSummary | undefined): void {
  const router = useRouter();
  const id = summary?.id;
  const state = summary?.state;
  // Reads the latest summary (a new object comes with every frame) but acts once per change of id or state.
  const follow = useEffectEvent(() => {
    if (!summary || !id || state === 'connecting') return;
    if (!liveConnectPending(id, true)) return;
    if (state !== 'auth_required') return;
    followDestination(destinationAfterConnect(summary), (path) => {
      if (path !== window.location.pathname) router.push(path);
    });
  });
  useEffect(() => {
    follow();
  }, [id, state]);
}
