'use client';

// A recording and a live target next to each other: what each side lists (tools, resources, prompts), name by name
// with the interface diff's verdict, then each request with the recorded answer on the left and the target's on the
// right, the changed paths under them.
import { useMemo } from 'react';
import {
  interfaceEntries,
  interfaceFromAnswers,
  recordedInterface,
  type ComparisonReport,
  type InterfaceChange,
  type InterfaceKind,
  type Recording,
  type RequestComparison,
} from '@/lib/replay';
import { Badge, JsonCode, cn } from '../ui';

const VERDICT_TONE = { identical: 'ok', differs: 'warn', failed: 'err' } as const;

interface InterfaceRow {
  kind: InterfaceKind;
  name: string;
  left: boolean;
  right: boolean;
  change?: InterfaceChange;
}

function interfaceRows(report: ComparisonReport, recording: Recording): InterfaceRow[] {
  const left = interfaceEntries(recordedInterface(recording));
  const right = interfaceEntries(
    interfaceFromAnswers(
      report.requests.flatMap((r) =>
        r.replayed && 'result' in r.replayed
          ? [{ method: r.method, ...(r.params ? { params: r.params } : {}), result: r.replayed.result }]
          : [],
      ),
    ),
  );
  const rows = new Map<string, InterfaceRow>();
  const key = (kind: InterfaceKind, name: string) => `${kind}\u0000${name}`;
  for (const e of left.entries) rows.set(key(e.kind, e.name), { ...e, left: true, right: false });
  for (const e of right.entries) {
    const row = rows.get(key(e.kind, e.name));
    if (row) row.right = true;
    else rows.set(key(e.kind, e.name), { ...e, left: false, right: true });
  }
  for (const change of report.interface) {
    const row = rows.get(key(change.kind, change.name));
    if (row) row.change = change;
  }
  return [...rows.values()];
}

export function SideBySide({ report, recording, target }: { report: ComparisonReport; recording: Recording; target: string }) {
  const rows = useMemo(() => interfaceRows(report, recording), [report, recording]);
  return (
    <div className="flex flex-col gap-3" data-testid="replay-side-by-side">
      <div className="grid grid-cols-2 gap-3 text-xs font-semibold text-muted">
        <div className="truncate" title="What the recording holds">
          Recording
        </div>
        <div className="truncate" title={target} data-testid="replay-columns-target">
          Target: <span className="font-mono font-normal">{target}</span>
        </div>
      </div>
      {rows.length > 0 && (
        <section className="rounded border border-line" data-testid="replay-columns-interface">
          <h3 className="border-b border-line bg-panel-2 px-3 py-1 text-xs font-semibold text-muted">Interface</h3>
          <ul className="divide-y divide-line">
            {rows.map((row) => (
              <li
                key={`${row.kind} ${row.name}`}
                className="grid grid-cols-2 gap-3 px-3 py-1 text-[13px]"
                data-testid="replay-columns-entry"
                data-change={row.change?.change ?? 'same'}
              >
                <Entry row={row} side="left" />
                <div className="min-w-0">
                  <Entry row={row} side="right" />
                  {row.change?.change === 'changed' && (
                    <ul className="mt-0.5 ml-4 list-disc text-xs">
                      {row.change.details.map((d, i) => (
                        <li key={i} className={d.breaking ? 'text-err' : 'text-muted'}>
                          {d.text}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      <ul className="flex flex-col gap-2">
        {report.requests.map((r) => (
          <RequestColumns key={r.index} result={r} />
        ))}
      </ul>
    </div>
  );
}

function Entry({ row, side }: { row: InterfaceRow; side: 'left' | 'right' }) {
  if (!(side === 'left' ? row.left : row.right)) return <span className="text-xs text-faint italic">not listed</span>;
  const change = row.change?.change;
  return (
    <span className="flex min-w-0 items-center gap-2">
      <span className="shrink-0 text-xs text-muted">{row.kind}</span>
      <span className="truncate font-mono text-xs" title={row.name}>
        {row.name}
      </span>
      {side === 'left' && change === 'removed' && <Badge tone="err">removed (breaking)</Badge>}
      {side === 'right' && change === 'added' && <Badge tone="ok">added</Badge>}
      {side === 'right' && change === 'changed' && <Badge tone="neutral">changed</Badge>}
      {side === 'right' && change === 'changed' && row.change?.breaking && <Badge tone="err">breaking</Badge>}
    </span>
  );
}

function Answer({ value, empty }: { value: unknown; empty: string }) {
  return (
    <div className="max-h-64 min-w-0 overflow-auto rounded bg-panel-2 p-2">
      {value === undefined ? <span className="text-xs text-muted">{empty}</span> : <JsonCode value={value} />}
    </div>
  );
}

function RequestColumns({ result }: { result: RequestComparison }) {
  return (
    <li className="rounded border border-line" data-testid="replay-columns-request" data-verdict={result.verdict}>
      <div className="flex items-center gap-2 border-b border-line px-3 py-1 text-[13px]">
        <Badge tone={VERDICT_TONE[result.verdict]}>{result.verdict}</Badge>
        <span className="truncate font-mono text-xs">{result.label}</span>
      </div>
      <div className="grid grid-cols-2 gap-3 p-2">
        <Answer value={result.recorded} empty="No recorded answer." />
        <Answer value={result.replayed} empty={result.failure ? `${result.failure.code}: ${result.failure.message}` : 'No answer.'} />
      </div>
      {result.changes.length > 0 && (
        <ul className="border-t border-line px-3 py-1 font-mono text-xs" data-testid="replay-columns-changes">
          {result.changes.map((c, i) => (
            <li key={i} className={cn('break-all', c.kind === 'added' ? 'text-ok' : c.kind === 'removed' ? 'text-err' : 'text-warn')}>
              {c.kind} <span className="text-fg">{c.path}</span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
