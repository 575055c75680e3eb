'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { describeFailure, queryKeys, rpcResult } from '../api';
import type { LogStore } from '../log-store';
import { useLatestNotification } from '../notifications';
import { Button, IconAlert, IconRefresh, Spinner, formatMs, formatOffset } from '../ui';
import { ContentPreview } from './ContentPreview';
import type { ReadResult } from './types';

/**
 * `resources/read` for one URI and its contents. When the server says the resource was updated
 * (`notifications/resources/updated`), the read runs again if "re-read on update" is on.
 */
export function ReadPanel({
  sessionId,
  uri,
  store,
  canRead,
  autoRead,
  subscribed,
}: {
  sessionId: string;
  uri: string;
  store: LogStore;
  canRead: boolean;
  /** Read as soon as shown (concrete resources); templates read on request. */
  autoRead: boolean;
  subscribed: boolean;
}) {
  const [started, setStarted] = useState(autoRead);
  const [elapsed, setElapsed] = useState<number | undefined>(undefined);
  const query = useQuery({
    queryKey: queryKeys.resourceRead(sessionId, uri),
    queryFn: async () => {
      const begin = performance.now();
      const result = await rpcResult<ReadResult>(sessionId, 'resources/read', { uri });
      setElapsed(performance.now() - begin);
      return result;
    },
    enabled: canRead && started,
    staleTime: Infinity,
    retry: false,
  });
  const { refetch } = query;

  const updated = useLatestNotification(store, 'updated', (item) => item.params.uri === uri);
  const [rereadOnUpdate, setRereadOnUpdate] = useState(true);
  const lastUpdateSeq = useRef(updated?.seq);
  useEffect(() => {
    if (!updated || updated.seq === lastUpdateSeq.current) return;
    lastUpdateSeq.current = updated.seq;
    if (rereadOnUpdate && started && canRead) void refetch();
  }, [updated, rereadOnUpdate, started, canRead, refetch]);

  const contents = Array.isArray(query.data?.contents) ? query.data.contents : [];

  return (
    <div className="flex flex-col gap-2" data-testid="read-panel">
      <div className="flex flex-wrap items-center gap-2">
        <Button
          size="sm"
          variant={started ? 'secondary' : 'primary'}
          onClick={() => (started ? void refetch() : setStarted(true))}
          disabled={!canRead || query.isFetching}
          data-testid="read-resource"
        >
          <IconRefresh className={query.isFetching ? 'h-3 w-3 animate-spin' : 'h-3 w-3'} /> {started ? 'Read again' : 'Read'}
        </Button>
        {query.isSuccess && (
          <span className="text-[11px] text-muted" data-testid="read-status">
            {contents.length} content item{contents.length === 1 ? '' : 's'}
            {elapsed !== undefined && ` · ${formatMs(elapsed)}`}
          </span>
        )}
        {(subscribed || updated) && (
          <span className="ml-auto flex items-center gap-2 text-[11px]">
            {updated ? (
              <span className="text-ok" data-testid="resource-updated">
                updated {formatOffset(updated.t)}
              </span>
            ) : (
              <span className="text-faint">waiting for updates…</span>
            )}
            <label className="flex items-center gap-1 text-muted">
              <input type="checkbox" checked={rereadOnUpdate} onChange={(event) => setRereadOnUpdate(event.target.checked)} />
              re-read on update
            </label>
          </span>
        )}
      </div>
      {query.isError && (
        <div className="flex gap-2 rounded border border-err/40 bg-err-soft px-3 py-2 text-xs" role="alert" data-testid="read-error">
          <IconAlert className="mt-0.5 h-3.5 w-3.5 shrink-0 text-err" />
          <span>{describeFailure(query.error)}</span>
        </div>
      )}
      {query.isPending && started && canRead && (
        <div className="flex items-center gap-2 text-xs text-muted">
          <Spinner /> Reading…
        </div>
      )}
      {query.isSuccess && contents.length === 0 && <div className="text-xs text-muted">The server returned no contents.</div>}
      {contents.map((content, index) => (
        <ContentPreview key={`${content.uri}-${index}`} content={content} />
      ))}
    </div>
  );
}
