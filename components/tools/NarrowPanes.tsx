'use client';

import { useCallback, useState } from 'react';

/**
 * A list beside its detail needs 1024 px; below that one pane shows at a time (a 90 px detail beside a 300 px list
 * wraps a word per line). Picking an item opens its detail; "back" returns to the list. From 1024 px up both show.
 */
export function useNarrowPanes(): {
  listClass: string;
  detailClass: string;
  showDetail: () => void;
  showList: () => void;
  detailShown: boolean;
} {
  const [detailShown, setDetailShown] = useState(false);
  const showDetail = useCallback(() => setDetailShown(true), []);
  const showList = useCallback(() => setDetailShown(false), []);
  return {
    detailShown,
    showDetail,
    showList,
    listClass: detailShown ? 'max-lg:hidden' : 'max-lg:w-full max-lg:border-r-0',
    detailClass: detailShown ? '' : 'max-lg:hidden',
  };
}

/** The bar above a detail pane below 1024 px: back to the list. */
export function BackToList({ label, onBack }: { label: string; onBack: () => void }) {
  return (
    <div className="flex h-9 shrink-0 items-center border-b border-line bg-panel px-2 lg:hidden">
      <button type="button" onClick={onBack} className="rounded px-2 py-1 text-xs text-accent hover:bg-hover" data-testid="back-to-list">
        ← {label}
      </button>
    </div>
  );
}
