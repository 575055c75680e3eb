'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
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
  useEffect(() => {
    if (!summary || !id || state === 'connecting') return;
    if (!liveConnectPending(id, true)) return;
    if (state !== 'auth_required') return;
    followDestination(destinationAfterConnect(summary), (path) => {
      if (path !== window.location.pathname) router.push(path);
    });
    // Keyed on the state, not the summary object (a new one comes with every frame): it acts once per change.
  }, [id, state, router]);
}
