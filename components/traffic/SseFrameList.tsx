'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { SseFrameEvent } from '@/lib/trace/types';
import { CopyButton, JsonTree, cn, formatMs, tryParseJson } from '../ui';

const ROW_HEIGHT = 22;
const GRID = { gridTemplateColumns: '44px 72px 120px 90px minmax(0,1fr) 52px' };

function FrameDetail({ frame }: { frame: SseFrameEvent }) {
  const parsed = useMemo(() => (frame.data !== undefined ? tryParseJson(frame.data) : { ok: false as const }), [frame]);
  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="sse-frame-detail">
      <div className="flex h-7 shrink-0 items-center gap-2 border-b border-line bg-panel-2 px-3 text-[11px] text-muted">
        <span className="font-semibold text-fg">Frame #{frame.index}</span>
        {frame.event && <span>event: {frame.event}</span>}
        {frame.id !== undefined && <span>id: {frame.id}</span>}
        {frame.retry !== undefined && <span>retry: {frame.retry} ms</span>}
        <CopyButton className="ml-auto" text={frame.raw} label="Copy raw frame" />
      </div>
      <div className="min-h-0 flex-1 overflow-auto p-3">
        {frame.comment !== undefined && frame.data === undefined ? (
          <div className="text-xs text-muted">
            Comment line (<code className="font-mono">: {frame.comment}</code>): a keep-alive that carries no event.
          </div>
        ) : parsed.ok ? (
          <JsonTree data={parsed.value} expandDepth={3} />
        ) : (
          <pre className="font-mono text-xs break-all whitespace-pre-wrap">{frame.data}</pre>
        )}
        <div className="mt-3 field-label">Raw</div>
        <pre className="rounded bg-panel-2 p-2 font-mono text-[11px] break-all whitespace-pre-wrap text-muted">{frame.raw}</pre>
      </div>
    </div>
  );
}

/** Every SSE frame of one stream, as it arrived. Virtualized: long-lived streams collect thousands. */
export function SseFrameList({ frames, requestT }: { frames: readonly SseFrameEvent[]; requestT: number }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const virtualizer = useVirtualizer({
    count: frames.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const selectedFrame = selected !== null ? frames[selected] : undefined;

  const onKeyDown = (event: KeyboardEvent) => {
    if (frames.length === 0) return;
    let next = -1;
    if (event.key === 'ArrowDown') next = Math.min(frames.length - 1, (selected ?? -1) + 1);
    if (event.key === 'ArrowUp') next = Math.max(0, (selected ?? 1) - 1);
    if (next >= 0) {
      event.preventDefault();
      setSelected(next);
      virtualizer.scrollToIndex(next);
    }
  };

  if (frames.length === 0) {
    return <div className="p-3 text-xs text-faint">No frames yet. They appear here as the server sends them.</div>;
  }

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="th grid h-6 shrink-0 items-center px-0" style={GRID}>
        <span className="pl-2">#</span>
        <span>Time</span>
        <span>Event</span>
        <span>ID</span>
        <span>Data</span>
        <span className="pr-2 text-right">Retry</span>
      </div>
      <div
        ref={scrollRef}
        tabIndex={0}
        onKeyDown={onKeyDown}
        className={cn('relative min-h-0 overflow-auto focus:outline-none', selectedFrame ? 'h-[45%] shrink-0' : 'flex-1')}
        data-testid="sse-frame-list"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const frame = frames[row.index];
            const isComment = frame.comment !== undefined && frame.data === undefined;
            return (
              <div
                key={frame.seq}
                role="row"
                aria-selected={selected === row.index}
                data-testid="sse-frame"
                data-frame-index={frame.index}
                data-event={frame.event ?? (isComment ? 'comment' : 'message')}
                onClick={() => setSelected(row.index)}
                className={cn(
                  'absolute top-0 left-0 grid w-full items-center border-b border-line/40 font-mono text-[11px]',
                  selected === row.index ? 'bg-selected' : 'hover:bg-hover',
                  isComment && 'text-faint italic',
                )}
                style={{ ...GRID, height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}
              >
                <span className="pl-2 text-muted">{frame.index}</span>
                <span className="text-muted" title={`t = ${frame.t} ms since the session started`}>
                  +{formatMs(frame.t - requestT)}
                </span>
                <span className="truncate">
                  {isComment
                    ? 'keep-alive'
                    : (frame.event ?? (frame.data !== undefined ? 'message' : frame.retry !== undefined ? 'retry' : '—'))}
                </span>
                <span className="truncate text-muted">{frame.id ?? ''}</span>
                <span className="truncate pr-2">{isComment ? `: ${frame.comment}` : frame.data}</span>
                <span className="pr-2 text-right text-muted">{frame.retry ?? ''}</span>
              </div>
            );
          })}
        </div>
      </div>
      {selectedFrame && (
        <div className="min-h-0 flex-1 border-t border-line">
          <FrameDetail frame={selectedFrame} />
        </div>
      )}
    </div>
  );
}
