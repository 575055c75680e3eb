'use client';

import Link from 'next/link';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { SharedSessionDocument } from '@/lib/shares/document';
import { queryKeys } from '../api';
import { ThemeToggle } from '../theme';
import { EmptyState, IconAlert, IconInfo, PageHeader, Spinner } from '../ui';
import { deleteShareLink, fetchSharedSession, type ShareApiError } from './api';
import { SessionViewer } from './SessionViewer';

const TITLES: Record<string, string> = {
  share_expired: 'This share link has expired',
  share_deleted: 'This share link was deleted',
  share_not_found: 'There is no shared session at this link',
};

function Shell({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex h-dvh flex-col">
      <PageHeader title="shared session">
        <ThemeToggle />
      </PageHeader>
      <main className="min-h-0 flex-1">{children}</main>
    </div>
  );
}

/** `/share/<id>`: the shared log, read-only, for anyone with the link; a dead link says why. */
export function SharedSessionPage({ shareId }: { shareId: string }) {
  const shared = useQuery<SharedSessionDocument, ShareApiError>({
    queryKey: queryKeys.sharedSession(shareId),
    queryFn: () => fetchSharedSession(shareId),
    staleTime: Infinity,
    retry: false,
  });
  const remove = useMutation<void, ShareApiError, void>({ mutationFn: () => deleteShareLink(shareId) });
  const state = remove.isSuccess
    ? { status: 'unavailable' as const, code: 'share_deleted', message: 'You deleted this share link: it no longer works for anyone.' }
    : shared.isError
      ? { status: 'unavailable' as const, code: shared.error.code, message: shared.error.message }
      : shared.data
        ? { status: 'ready' as const, document: shared.data }
        : { status: 'loading' as const };
  const deleting = remove.isPending;
  const deleteError = remove.error;

  if (state.status === 'loading') {
    return (
      <Shell>
        <div className="flex h-full items-center justify-center gap-2 text-muted">
          <Spinner /> Opening the shared session…
        </div>
      </Shell>
    );
  }
  if (state.status === 'unavailable') {
    const gone = state.code === 'share_expired' || state.code === 'share_deleted';
    return (
      <Shell>
        <EmptyState
          title={TITLES[state.code] ?? 'The shared session could not be opened'}
          icon={gone ? <IconInfo className="h-6 w-6" /> : <IconAlert className="h-6 w-6 text-err" />}
          testId="share-unavailable"
        >
          <span data-testid="share-unavailable-message">{state.message}</span>
          <div className="mt-1 font-mono text-[11px]" data-testid="share-unavailable-code" data-code={state.code}>
            {state.code}
          </div>
          <div className="mt-3">
            <Link href="/" className="text-accent underline">
              Open mcpscope
            </Link>
          </div>
        </EmptyState>
      </Shell>
    );
  }

  const { document } = state;
  const onDelete = () => {
    if (window.confirm('Delete this share link? It stops working for everyone who has it.')) remove.mutate();
  };
  return (
    <>
      {deleteError && (
        <div role="alert" className="fixed right-3 bottom-3 z-50 max-w-md rounded border border-err/40 bg-err-soft px-3 py-2 text-[13px]">
          {deleteError.message} <span className="font-mono text-[11px] text-err">{deleteError.code}</span>
        </div>
      )}
      <SessionViewer meta={document.meta} events={document.events} source={{ kind: 'share', info: document.share, onDelete, deleting }} />
    </>
  );
}
