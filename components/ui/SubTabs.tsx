'use client';

import type { ReactNode } from 'react';
import { cn } from './cn';

export interface SubTab<K extends string> {
  key: K;
  label: ReactNode;
  testId?: string;
}

/** A compact secondary tab strip (detail panes). */
export function SubTabs<K extends string>({
  tabs,
  active,
  onChange,
  right,
}: {
  tabs: ReadonlyArray<SubTab<K>>;
  active: K;
  onChange: (key: K) => void;
  right?: ReactNode;
}) {
  return (
    <div role="tablist" className="flex h-8 shrink-0 items-stretch gap-0.5 border-b border-line bg-panel-2 px-1">
      {tabs.map((tab) => (
        <button
          key={tab.key}
          type="button"
          role="tab"
          aria-selected={tab.key === active}
          data-testid={tab.testId}
          onClick={() => onChange(tab.key)}
          className={cn(
            '-mb-px border-b-2 px-2.5 text-xs font-medium whitespace-nowrap',
            tab.key === active ? 'border-accent text-fg' : 'border-transparent text-muted hover:text-fg',
          )}
        >
          {tab.label}
        </button>
      ))}
      {right && <div className="ml-auto flex items-center gap-1">{right}</div>}
    </div>
  );
}
