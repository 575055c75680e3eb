'use client';

// The Traffic view of a stdio server: its pipes as a transcript. Each line mcpscope wrote to stdin and the server
// wrote to stdout (with the JSON-RPC it carried, its time and size), its stderr, and the process starting and
// ending, in the order they happened. The counterpart of the HTTP exchange table.
import { memo, useDeferredValue, useMemo, useState, type ReactNode } from 'react';
import { describeIds, describeMethods, rpcSummaryMatches } from '@/lib/trace/exchange-summary';
import type { StdioProcessEvent } from '@/lib/trace/types';
import { useLogSnapshot, type LogStore, type StdioLineView, type StdioRowView } from '../log-store';
import { TrafficSearch } from './TrafficSearch';
import { useWorkspaceNav } from '../nav';
import {
  Badge,
  CopyButton,
  FilterBar,
  FilterChoices,
  FilteredLogBody,
  IconX,
  JsonTree,
  SplitPane,
  VirtualTable,
  cn,
  formatBytes,
  formatOffset,
} from '../ui';

type StdioKind = 'all' | 'stdin' | 'stdout' | 'stderr' | 'noise';

const KINDS: ReadonlyArray<{ key: StdioKind; label: string; title: string }> = [
  { key: 'all', label: 'All', title: 'Every line, stderr and the process' },
  { key: 'stdin', label: 'stdin', title: 'Lines mcpscope wrote to the server' },
  { key: 'stdout', label: 'stdout', title: 'Lines the server wrote' },
  { key: 'stderr', label: 'stderr', title: "The server's stderr (its logs)" },
  { key: 'noise', label: 'non-JSON', title: 'stdout lines that are not JSON-RPC: a classic cause of broken stdio servers' },
];

const ROW_HEIGHT = 24;
const GRID = { gridTemplateColumns: '64px 64px minmax(0,1fr) 64px' };

function rowKey(row: StdioRowView): string {
  return row.row === 'line' ? row.exchangeId : `${row.row}-${row.seq}`;
}

function matches(row: StdioRowView, kind: StdioKind, text: string): boolean {
  switch (kind) {
    case 'stdin':
      if (row.row !== 'line' || row.direction !== 'out') return false;
      break;
    case 'stdout':
      if (row.row !== 'line' || row.direction !== 'in') return false;
      break;
    case 'stderr':
      if (row.row !== 'stderr') return false;
      break;
    case 'noise':
      if (row.row !== 'line' || row.text === undefined) return false;
      break;
    default:
      break;
  }
  if (!text) return true;
  if (row.row === 'line') return row.rpc ? rpcSummaryMatches(row.rpc, text) : (row.text ?? '').toLowerCase().includes(text);
  if (row.row === 'stderr') return row.event.text.toLowerCase().includes(text);
  return row.event.command.toLowerCase().includes(text);
}

export function describeProcess(event: StdioProcessEvent): string {
  switch (event.state) {
    case 'started':
      return `started (pid ${event.pid ?? '?'})`;
    case 'failed':
      return `could not start: ${event.error?.message ?? ''}`;
    case 'exited': {
      const how = event.signal ? `ended by ${event.signal}` : `exited with code ${event.code ?? '?'}`;
      return event.stopped ? `${how} (stopped by mcpscope)` : how;
    }
  }
}

const DIRECTION: Record<StdioRowView['row'] | 'out' | 'in', { label: string; tone: string; title: string }> = {
  out: { label: '→ stdin', tone: 'text-accent', title: 'mcpscope wrote this line to the server' },
  in: { label: '← stdout', tone: 'text-ok', title: 'The server wrote this line' },
  line: { label: '', tone: '', title: '' },
  stderr: { label: 'stderr', tone: 'text-warn', title: 'The server wrote this to stderr' },
  process: { label: 'process', tone: 'text-purple', title: 'The server process' },
};

function directionOf(row: StdioRowView) {
  return row.row === 'line' ? DIRECTION[row.direction] : DIRECTION[row.row];
}

function RowContent({ row }: { row: StdioRowView }) {
  if (row.row === 'line') {
    if (row.text !== undefined) {
      return (
        <span className="flex min-w-0 items-center gap-1.5">
          <Badge tone="warn">not JSON-RPC</Badge>
          <span className="truncate font-mono text-[11px]">{row.text}</span>
        </span>
      );
    }
    const methods = row.rpc ? describeMethods(row.rpc) : '';
    const ids = row.rpc ? describeIds(row.rpc) : '';
    return (
      <span className="flex min-w-0 items-center gap-1.5" data-testid="stdio-rpc">
        {/* A 2025 server's error to the server/discover probe is the expected answer, not a failure (lib/trace/outcome). */}
        <span
          className={cn(
            'truncate font-mono text-[11px]',
            row.rpc && row.rpc.errors > 0 && !methods.startsWith('server/discover') && 'text-err',
          )}
        >
          {methods}
        </span>
        {ids && <span className="min-w-0 shrink-[4] truncate font-mono text-[10px] text-muted">{ids}</span>}
      </span>
    );
  }
  if (row.row === 'stderr') {
    const first = row.event.text.split('\n').find((line) => line.trim() !== '') ?? '';
    const more = row.event.text.trim().split('\n').length - 1;
    return (
      <span className="flex min-w-0 items-center gap-1.5">
        <span className="truncate font-mono text-[11px] text-muted">{first}</span>
        {more > 0 && <span className="shrink-0 text-[10px] text-faint">+{more} lines</span>}
      </span>
    );
  }
  const failed = row.event.state === 'failed' || (row.event.state === 'exited' && !row.event.stopped);
  return <span className={cn('truncate text-[11px]', failed ? 'text-err' : 'text-muted')}>{describeProcess(row.event)}</span>;
}

const Row = memo(function Row({
  row,
  selected,
  onSelect,
  start,
}: {
  row: StdioRowView;
  selected: boolean;
  onSelect: (key: string) => void;
  start: number;
}) {
  const direction = directionOf(row);
  const key = rowKey(row);
  const noise = row.row === 'line' && row.text !== undefined;
  return (
    <div
      role="row"
      aria-selected={selected}
      data-testid="stdio-row"
      data-row={row.row === 'line' ? (row.direction === 'out' ? 'stdin' : 'stdout') : row.row}
      data-line-id={row.row === 'line' ? row.exchangeId : undefined}
      onClick={() => onSelect(key)}
      title={direction.title}
      className={cn(
        'absolute top-0 left-0 grid w-full cursor-default items-center border-b border-l-2 border-b-line/50 text-xs',
        row.row === 'stderr' ? 'border-l-warn' : row.row === 'process' ? 'border-l-purple' : 'border-l-transparent',
        selected ? 'bg-selected' : 'hover:bg-hover',
        noise && !selected && 'bg-warn-soft/40',
      )}
      style={{ ...GRID, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
    >
      <span className="pl-2 font-mono text-[11px] text-faint">{formatOffset(row.t)}</span>
      <span className={cn('truncate font-mono text-[11px] font-semibold', direction.tone)}>{direction.label}</span>
      <span className="min-w-0 pr-2">
        <RowContent row={row} />
      </span>
      <span className="pr-2 text-right font-mono text-[11px] text-muted">
        {row.row === 'line' ? formatBytes(row.size) : row.row === 'stderr' ? formatBytes(row.event.size) : ''}
      </span>
    </div>
  );
});

function Detail({ store, row, onClose }: { store: LogStore; row: StdioRowView; onClose: () => void }) {
  const direction = directionOf(row);
  let body: ReactNode;
  let copy: string | undefined;
  if (row.row === 'line') {
    const messages = store.rpc.filter((event) => event.exchangeId === row.exchangeId);
    const findings = store.findings.filter((finding) => finding.exchangeId === row.exchangeId);
    copy = row.text ?? (messages.length === 1 ? JSON.stringify(messages[0]!.message) : JSON.stringify(messages.map((m) => m.message)));
    body = (
      <>
        {findings.map((finding) => (
          <div
            key={finding.seq}
            className="m-3 rounded border border-warn/40 bg-warn-soft px-3 py-2 text-[13px]"
            data-testid="stdio-finding"
          >
            {finding.message}
          </div>
        ))}
        {row.text !== undefined ? (
          <pre className="m-3 font-mono text-xs break-all whitespace-pre-wrap" data-testid="stdio-line-text">
            {row.text}
            {row.truncated ? '…' : ''}
          </pre>
        ) : (
          messages.map((message) => (
            <div key={message.seq} className="border-b border-line px-3 py-2">
              <div className="mb-1 text-[11px] text-muted">
                {message.type} {message.method ?? ''} {message.id !== undefined ? `#${message.id}` : ''}
                {message.latencyMs !== undefined ? ` · ${Math.round(message.latencyMs)} ms` : ''}
              </div>
              {message.message === undefined ? (
                <span className="text-xs text-faint">(dropped by the log&apos;s memory cap)</span>
              ) : (
                <JsonTree data={message.message} expandDepth={4} />
              )}
            </div>
          ))
        )}
      </>
    );
  } else if (row.row === 'stderr') {
    copy = row.event.text;
    body = (
      <pre className="m-3 font-mono text-xs break-all whitespace-pre-wrap" data-testid="stdio-stderr-text">
        {row.event.text}
        {row.event.truncated ? '…' : ''}
      </pre>
    );
  } else {
    const event = row.event;
    body = (
      <div className="px-3 py-2 text-xs" data-testid="stdio-process-detail">
        <div className="mb-1">{describeProcess(event)}</div>
        <div className="font-mono break-all text-muted">{event.command}</div>
        {event.stderrTail && event.stderrTail.length > 0 && (
          <>
            <div className="mt-3 mb-1 text-[11px] font-semibold tracking-wide text-muted uppercase">Last stderr lines</div>
            <pre className="font-mono break-all whitespace-pre-wrap">{event.stderrTail.join('\n')}</pre>
          </>
        )}
      </div>
    );
  }
  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="stdio-detail">
      <div className="flex h-8 shrink-0 items-center gap-2 border-b border-line bg-panel px-3 text-xs">
        <span className={cn('font-mono font-semibold', direction.tone)}>{direction.label}</span>
        <span className="text-faint">{formatOffset(row.t)}</span>
        {row.row === 'line' && <span className="text-muted">{formatBytes(row.size)}</span>}
        <span className="ml-auto flex items-center gap-1">
          {copy !== undefined && <CopyButton text={copy} label="Copy" />}
          <button type="button" className="rounded p-1 text-muted hover:bg-hover hover:text-fg" aria-label="Close" onClick={onClose}>
            <IconX className="h-3.5 w-3.5" />
          </button>
        </span>
      </div>
      <div className="min-h-0 flex-1 overflow-auto">{body}</div>
    </div>
  );
}

export function StdioTraffic({ store }: { store: LogStore }) {
  const snapshot = useLogSnapshot(store);
  const nav = useWorkspaceNav();
  const { text, selectedId } = nav.traffic;
  const [kind, setKind] = useState<StdioKind>('all');
  const deferredText = useDeferredValue(text.trim().toLowerCase());
  const items = useMemo(
    () => store.stdioRows.filter((row) => matches(row, kind, deferredText)),
    // The store's list grows in place; the snapshot version says when.
    [store, snapshot.version, kind, deferredText], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const selected = selectedId ? store.stdioRows.find((row) => rowKey(row) === selectedId) : undefined;
  const lines = store.stdioRows.filter((row): row is StdioLineView => row.row === 'line').length;

  const list = (
    <div className="flex h-full min-h-0 flex-col">
      <FilterBar count={<span className="whitespace-nowrap">{`${lines} lines`}</span>}>
        <TrafficSearch
          placeholder="Filter: tools/call, id, text"
          title="Matches JSON-RPC methods, tool and prompt names, ids, and the text of stderr and non-JSON-RPC lines"
          label="Filter lines"
        />
        <FilterChoices
          label="Stream"
          choices={KINDS.map((option) => ({
            ...option,
            label: <span className="whitespace-nowrap">{option.label}</span>,
            testId: `stdio-kind-${option.key}`,
          }))}
          value={kind}
          onChange={setKind}
        />
      </FilterBar>
      <FilteredLogBody
        logged={snapshot.stdioRowCount}
        shown={items.length}
        loading={snapshot.connection === 'connecting'}
        empty={{ title: 'No stdio traffic yet', text: 'Each line on the server process’s stdin, stdout and stderr shows up here live.' }}
        noMatchTitle="No line matches the filter"
        clearLabel="Clear the filter"
        onClear={() => {
          setKind('all');
          nav.setTraffic({ text: '' });
        }}
      >
        <div className="h-full min-h-0" data-testid="stdio-traffic">
          <VirtualTable
            label="stdio lines"
            version={snapshot.version}
            grid={GRID}
            header={
              <>
                <span className="pl-2.5">Time</span>
                <span>Stream</span>
                <span>JSON-RPC / text</span>
                <span className="pr-2 text-right">Size</span>
              </>
            }
            listTestId="stdio-list"
            items={items}
            rowHeight={ROW_HEIGHT}
            getKey={rowKey}
            selectedKey={selectedId}
            onSelect={(key) => nav.setTraffic({ selectedId: key })}
            pageStep={20}
            follow
            renderRow={(row, start) => (
              <Row row={row} selected={rowKey(row) === selectedId} onSelect={(key) => nav.setTraffic({ selectedId: key })} start={start} />
            )}
          />
        </div>
      </FilteredLogBody>
    </div>
  );

  return (
    <SplitPane
      storageKey="traffic"
      defaultRight={520}
      left={list}
      right={selected ? <Detail store={store} row={selected} onClose={() => nav.setTraffic({ selectedId: null })} /> : null}
    />
  );
}
