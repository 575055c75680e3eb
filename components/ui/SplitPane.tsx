'use client';

import { useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useDerivedState } from './derived-state';

const noSubscription = () => () => {};

/**
 * Two panes side by side with a draggable divider; the width of the right pane is remembered per `storageKey`.
 * The divider is focusable and moves with the arrow keys.
 */
export function SplitPane({
  left,
  right,
  storageKey,
  defaultRight = 520,
  minRight = 300,
  minLeft = 320,
}: {
  left: ReactNode;
  /** When null the left pane takes the whole width (it stays mounted: scroll positions survive). */
  right: ReactNode | null;
  storageKey: string;
  defaultRight?: number;
  minRight?: number;
  minLeft?: number;
}) {
  const container = useRef<HTMLDivElement>(null);
  const storageName = `mcpscope.split.${storageKey}`;
  // The width remembered in this browser (the server renders the default; the browser reads it once hydrated),
  // until the divider is moved here.
  const stored = useSyncExternalStore(
    noSubscription,
    () => Number(localStorage.getItem(storageName)) || 0,
    () => 0,
  );
  const [moved, setMoved] = useDerivedState<string, number | null>(storageKey, () => null);
  const rightWidth = moved ?? (stored > 0 ? stored : defaultRight);
  // The container's width bounds the right pane's; measured by the browser, a guess until then.
  const [total, setTotal] = useState<number | null>(null);
  useEffect(() => {
    const node = container.current;
    if (!node) return;
    const observer = new ResizeObserver(() => setTotal(node.clientWidth));
    observer.observe(node);
    return () => observer.disconnect();
  }, []);
  const clamp = (width: number, within: number | null) => Math.max(minRight, Math.min((within ?? 1200) - minLeft, width));

  const commit = (width: number) => {
    const next = clamp(width, container.current?.clientWidth ?? total);
    setMoved(next);
    localStorage.setItem(storageName, String(Math.round(next)));
  };

  const onPointerDown = (event: React.PointerEvent<HTMLDivElement>) => {
    event.preventDefault();
    const target = event.currentTarget;
    target.setPointerCapture(event.pointerId);
    const onMove = (move: PointerEvent) => {
      const rect = container.current?.getBoundingClientRect();
      if (rect) commit(rect.right - move.clientX);
    };
    const onUp = () => {
      target.removeEventListener('pointermove', onMove);
      target.removeEventListener('pointerup', onUp);
    };
    target.addEventListener('pointermove', onMove);
    target.addEventListener('pointerup', onUp);
  };

  return (
    <div ref={container} className="flex h-full min-h-0 w-full min-w-0">
      <div className="h-full min-w-0 flex-1">{left}</div>
      {right !== null && (
        <div
          role="separator"
          aria-orientation="vertical"
          tabIndex={0}
          aria-label="Resize panes"
          onPointerDown={onPointerDown}
          onKeyDown={(event) => {
            if (event.key === 'ArrowLeft') commit(rightWidth + 24);
            if (event.key === 'ArrowRight') commit(rightWidth - 24);
          }}
          className="w-1 shrink-0 cursor-col-resize border-l border-line bg-panel-2 hover:bg-accent/40 focus-visible:bg-accent/40"
        />
      )}
      {right !== null && (
        <div className="h-full min-w-0 shrink-0" style={{ width: clamp(rightWidth, total) }}>
          {right}
        </div>
      )}
    </div>
  );
}
