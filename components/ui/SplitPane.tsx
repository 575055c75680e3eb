'use client';

import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

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
  const [rightWidth, setRightWidth] = useState(defaultRight);

  useEffect(() => {
    const stored = Number(localStorage.getItem(`mcpscope.split.${storageKey}`));
    if (stored > 0) setRightWidth(stored);
  }, [storageKey]);

  const clamp = useCallback(
    (width: number) => {
      const total = container.current?.clientWidth ?? 1200;
      return Math.max(minRight, Math.min(total - minLeft, width));
    },
    [minLeft, minRight],
  );

  const commit = useCallback(
    (width: number) => {
      const next = clamp(width);
      setRightWidth(next);
      localStorage.setItem(`mcpscope.split.${storageKey}`, String(Math.round(next)));
    },
    [clamp, storageKey],
  );

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
        <div className="h-full min-w-0 shrink-0" style={{ width: clamp(rightWidth) }}>
          {right}
        </div>
      )}
    </div>
  );
}
