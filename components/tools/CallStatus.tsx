'use client';

import { useEffect, useState } from 'react';
import { useProgress, type LogStore } from '../log-store';
import { usePendingContext } from '../pending';
import { Button, IconStop, Spinner, formatMs } from '../ui';
import type { CallRecord } from './use-tools-state';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** A running call: elapsed time, live progress from the log, and Cancel. */
export function CallStatus({ record, store, onCancel }: { record: CallRecord; store: LogStore; onCancel: () => void }) {
  const now = useNow(record.status === 'running');
  const progress = useProgress(store, record.callId);
  const pending = usePendingContext();
  // The panel was closed without answering: the call is most likely waiting on that answer.
  const unanswered = pending && !pending.open ? pending.pending.length : 0;
  const percent =
    progress && progress.total !== undefined && progress.total > 0
      ? Math.max(0, Math.min(100, (progress.progress / progress.total) * 100))
      : undefined;

  return (
    <div className="rounded border border-accent/40 bg-accent-soft/50 px-3 py-2" data-testid="call-status" aria-live="polite">
      <div className="flex items-center gap-2 text-[13px]">
        <Spinner className="h-3.5 w-3.5 text-accent" label="Calling" />
        <span className="font-medium">{record.cancelRequested ? 'Cancelling…' : 'Calling…'}</span>
        <span className="font-mono text-xs text-muted" data-testid="call-elapsed">
          {formatMs(now - record.startedAt)}
        </span>
        <Button
          variant="danger"
          size="sm"
          className="ml-auto"
          onClick={onCancel}
          disabled={record.cancelRequested}
          data-testid="cancel-call"
          title="Send notifications/cancelled to the server"
        >
          <IconStop className="h-3 w-3" /> {record.cancelRequested ? 'Cancel sent' : 'Cancel'}
        </Button>
      </div>
      {progress && (
        <div className="mt-2" data-testid="progress" data-progress={progress.progress} data-total={progress.total}>
          <div className="flex items-baseline gap-2 text-xs">
            <span className="min-w-0 flex-1 truncate" data-testid="progress-message">
              {progress.message ?? 'Working…'}
            </span>
            <span className="shrink-0 font-mono text-muted">
              {progress.total !== undefined ? `${progress.progress} / ${progress.total}` : `${progress.progress}`}
              {percent !== undefined && ` · ${Math.round(percent)}%`}
            </span>
          </div>
          <div
            className="mt-1 h-1.5 overflow-hidden rounded-full bg-line"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={progress.total ?? undefined}
            aria-valuenow={progress.progress}
          >
            {percent !== undefined ? (
              <div className="h-full rounded-full bg-accent transition-[width] duration-200" style={{ width: `${percent}%` }} />
            ) : (
              <div className="bar-running h-full w-full rounded-full bg-accent/70" />
            )}
          </div>
        </div>
      )}
      {unanswered > 0 && (
        <div className="mt-2 flex flex-wrap items-center gap-2 text-xs" data-testid="call-waits-for-answer">
          <span>
            The server asked you something ({unanswered === 1 ? 'a request' : `${unanswered} requests`} waiting); the call may be waiting
            for your answer.
          </span>
          <Button size="sm" onClick={() => pending?.setOpen(true)} data-testid="open-pending">
            Answer
          </Button>
        </div>
      )}
      {record.cancelError && <div className="mt-1 text-xs text-err">Cancel failed: {record.cancelError}</div>}
    </div>
  );
}
