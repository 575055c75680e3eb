'use client';

import { useState } from 'react';
import type { FindingSeverity } from '@/lib/trace/types';
import { JwtView } from '../auth';
import { useLogSnapshot, type LogStore } from '../log-store';
import { useWorkspaceNav } from '../nav';
import { Badge, EmptyState, IconAlert, IconCheck, IconInfo, cn, formatOffset, type Tone, TextButton } from '../ui';

const TONE: Record<FindingSeverity, Tone> = { error: 'err', warning: 'warn', info: 'accent' };
const ICON: Record<FindingSeverity, typeof IconAlert> = { error: IconAlert, warning: IconAlert, info: IconInfo };
const ICON_COLOR: Record<FindingSeverity, string> = { error: 'text-err', warning: 'text-warn', info: 'text-accent' };

export function FindingsView({ store }: { store: LogStore }) {
  const snapshot = useLogSnapshot(store);
  const nav = useWorkspaceNav();
  const [severity, setSeverity] = useState<FindingSeverity | 'all'>('all');
  const items = severity === 'all' ? store.findings : store.findings.filter((finding) => finding.severity === severity);

  if (snapshot.findingCount === 0) {
    return (
      <EmptyState title="No findings" icon={<IconCheck className="h-6 w-6 text-ok" />} testId="findings-empty">
        Spec violations, tolerated quirks and explained errors show up here as mcpscope notices them.
      </EmptyState>
    );
  }

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex h-8 shrink-0 items-center gap-1 border-b border-line bg-panel px-2">
        {(['all', 'error', 'warning', 'info'] as const).map((key) => {
          const count = key === 'all' ? snapshot.findingCount : snapshot.findingsBySeverity[key];
          return (
            <button
              key={key}
              type="button"
              aria-pressed={severity === key}
              onClick={() => setSeverity(key)}
              className={cn(
                'h-6 rounded px-2 text-xs capitalize',
                severity === key ? 'bg-accent-soft font-medium text-accent' : 'text-muted hover:bg-hover hover:text-fg',
              )}
            >
              {key} <span className="opacity-70">{count}</span>
            </button>
          );
        })}
      </div>
      <ul className="min-h-0 flex-1 divide-y divide-line overflow-auto bg-panel" data-testid="findings-list">
        {items.map((finding) => {
          const Icon = ICON[finding.severity];
          const phase = finding.phaseId ? store.phase(finding.phaseId) : undefined;
          return (
            <li
              key={finding.seq}
              className="flex gap-2.5 px-3 py-2"
              data-testid="finding-row"
              data-code={finding.code}
              data-severity={finding.severity}
            >
              <Icon className={cn('mt-0.5 h-4 w-4 shrink-0', ICON_COLOR[finding.severity])} />
              <div className="min-w-0 flex-1">
                <div className="flex items-center gap-2">
                  <Badge tone={TONE[finding.severity]}>{finding.severity}</Badge>
                  <span className="font-mono text-xs font-semibold">{finding.code}</span>
                  {phase && <span className="font-mono text-[11px] text-muted">in {phase.name}</span>}
                  <span className="ml-auto font-mono text-[11px] text-faint">{formatOffset(finding.t)}</span>
                </div>
                <div className="mt-0.5 text-[13px] break-words">{finding.message}</div>
                {finding.jwt && (
                  <div className="mt-1.5">
                    <JwtView note={finding.jwt} testId="finding-jwt" />
                  </div>
                )}
                {finding.exchangeId && (
                  <TextButton className="mt-0.5 text-xs" onClick={() => nav.openExchange(finding.exchangeId as string)}>
                    Show the HTTP exchange
                  </TextButton>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
