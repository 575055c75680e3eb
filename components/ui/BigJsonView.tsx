'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { cn } from './cn';
import { formatBytes } from './format';
import type { JsonWorkerReply } from './json-worker';

/** Past this many characters a JSON text is parsed in a worker and shown as a virtualized, collapsed tree. */
export const BIG_JSON_CHARS = 200_000;
const RAW_PAGE_CHARS = 100_000;
/** A root with more children than this starts closed, showing only its size. */
const ROOT_OPEN_MAX_CHILDREN = 1_000;
const ROW_PX = 20;

type Parsed = { state: 'parsing' } | { state: 'ok'; value: unknown } | { state: 'error'; message: string };

function parseOffMainThread(text: string, done: (reply: JsonWorkerReply) => void): () => void {
  if (typeof Worker === 'undefined') {
    // No workers (tests, old browsers): parse after the placeholder has painted.
    const timer = setTimeout(() => {
      try {
        done({ ok: true, value: JSON.parse(text) });
      } catch (error) {
        done({ ok: false, message: error instanceof Error ? error.message : String(error) });
      }
    }, 0);
    return () => clearTimeout(timer);
  }
  const worker = new Worker(new URL('./json-worker.ts', import.meta.url));
  worker.onmessage = (event: MessageEvent<JsonWorkerReply>) => {
    done(event.data);
    worker.terminate();
  };
  worker.onerror = (event) => {
    done({ ok: false, message: event.message || 'the JSON worker failed' });
    worker.terminate();
  };
  worker.postMessage(text);
  return () => worker.terminate();
}

export interface Row {
  path: string;
  depth: number;
  label: string | undefined;
  value: unknown;
  /** Number of children when the value is an object or array. */
  size: number | undefined;
  open: boolean;
}

function childEntries(value: unknown): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.map((item, index) => [String(index), item]);
  return Object.entries(value as Record<string, unknown>);
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

// Only the rows of expanded containers exist; the tree below a collapsed node is never walked.
export function visibleRows(root: unknown, expanded: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  const walk = (value: unknown, path: string, depth: number, label: string | undefined) => {
    const container = isContainer(value);
    const size = container ? (Array.isArray(value) ? value.length : Object.keys(value).length) : undefined;
    const open = container && expanded.has(path);
    rows.push({ path, depth, label, value, size, open });
    if (open)
      for (const [key, child] of childEntries(value))
        walk(child, `${path}/${key}`, depth + 1, Array.isArray(value) ? key : JSON.stringify(key));
  };
  walk(root, '', 0, undefined);
  return rows;
}

/** What is open at first: the root, unless it is a long list that is better summarised by its size. */
export function initialExpanded(root: unknown): ReadonlySet<string> {
  if (!isContainer(root)) return new Set();
  const size = Array.isArray(root) ? root.length : Object.keys(root).length;
  return new Set(size <= ROOT_OPEN_MAX_CHILDREN ? [''] : []);
}

function primitive(value: unknown): { text: string; className: string } {
  if (value === null) return { text: 'null', className: 'jv-null' };
  if (typeof value === 'string')
    return { text: JSON.stringify(value.length > 300 ? `${value.slice(0, 300)}…` : value), className: 'jv-string' };
  if (typeof value === 'number') return { text: String(value), className: 'jv-number' };
  if (typeof value === 'boolean') return { text: String(value), className: 'jv-boolean' };
  return { text: String(value), className: 'jv-other' };
}

function TreeRows({ value }: { value: unknown }) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => initialExpanded(value));
  const rows = useMemo(() => visibleRows(value, expanded), [value, expanded]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_PX,
    overscan: 20,
  });
  const toggle = (path: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });
  return (
    <div ref={scroller} className="jv max-h-[480px] overflow-auto font-mono text-xs" role="tree" data-testid="big-json-tree">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          const isArray = Array.isArray(row.value);
          const leaf = row.size === undefined ? primitive(row.value) : undefined;
          return (
            <div
              key={row.path}
              role="treeitem"
              aria-level={row.depth + 1}
              // Rows are not selectable (a click toggles a container), which a tree item must say.
              aria-selected={false}
              aria-expanded={row.size === undefined ? undefined : row.open}
              // The whole row of a container toggles it (a bigger target than the arrow).
              onClick={row.size === undefined ? undefined : () => toggle(row.path)}
              className={cn(
                'absolute left-0 flex w-full items-center whitespace-pre',
                row.size !== undefined && 'cursor-pointer hover:bg-hover',
              )}
              style={{ top: 0, height: ROW_PX, transform: `translateY(${item.start}px)`, paddingLeft: row.depth * 14 }}
            >
              {row.size !== undefined ? (
                <button
                  type="button"
                  aria-expanded={row.open}
                  aria-label={row.open ? 'collapse JSON' : 'expand JSON'}
                  onClick={(event) => {
                    event.stopPropagation();
                    toggle(row.path);
                  }}
                  className="w-3.5 shrink-0 text-left text-muted hover:text-fg"
                >
                  {row.open ? '▾' : '▸'}
                </button>
              ) : (
                <span className="w-3.5 shrink-0" />
              )}
              {row.label !== undefined && (
                <>
                  <span className={isArray || /^\d+$/.test(row.label) ? 'jv-punct' : 'jv-label'}>{row.label}</span>
                  <span className="jv-punct">: </span>
                </>
              )}
              {leaf ? (
                <span className={cn(leaf.className, 'truncate')}>{leaf.text}</span>
              ) : (
                <span className="jv-punct">
                  {isArray ? '[' : '{'}
                  {!row.open && (
                    <span className="jv-collapsed">
                      {' '}
                      {row.size} {isArray ? 'items' : 'keys'}{' '}
                    </span>
                  )}
                  {!row.open && (isArray ? ']' : '}')}
                </span>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** The text in pages, so that the browser never lays out megabytes of characters at once. */
function RawPages({ text }: { text: string }) {
  const pages = Math.max(1, Math.ceil(text.length / RAW_PAGE_CHARS));
  const [page, setPage] = useState(0);
  const slice = text.slice(page * RAW_PAGE_CHARS, (page + 1) * RAW_PAGE_CHARS);
  return (
    <div data-testid="big-json-raw">
      <div className="mb-1.5 flex items-center gap-2 text-[11px] text-muted">
        <button
          type="button"
          className="rounded px-1.5 py-0.5 hover:bg-hover disabled:opacity-40"
          disabled={page === 0}
          onClick={() => setPage(page - 1)}
        >
          Previous
        </button>
        <span>
          page {page + 1} of {pages}
        </span>
        <button
          type="button"
          className="rounded px-1.5 py-0.5 hover:bg-hover disabled:opacity-40"
          disabled={page >= pages - 1}
          onClick={() => setPage(page + 1)}
        >
          Next
        </button>
      </div>
      <pre className="max-h-[480px] overflow-auto font-mono text-xs break-words whitespace-pre-wrap">{slice}</pre>
    </div>
  );
}

/**
 * A large JSON text: parsed in a worker (an `aria-busy` placeholder meanwhile), shown as a tree that starts
 * collapsed below the root and renders only the rows on screen; `raw` shows the text itself in pages.
 */
export function BigJsonView({ text, raw = false }: { text: string; raw?: boolean }) {
  const [parsed, setParsed] = useState<{ text: string; result: Parsed }>({ text, result: { state: 'parsing' } });
  useEffect(() => {
    if (raw) return;
    return parseOffMainThread(text, (reply) =>
      setParsed({ text, result: reply.ok ? { state: 'ok', value: reply.value } : { state: 'error', message: reply.message } }),
    );
  }, [text, raw]);
  if (raw) return <RawPages text={text} />;
  const result: Parsed = parsed.text === text ? parsed.result : { state: 'parsing' };
  if (result.state === 'parsing') {
    return (
      <div aria-busy="true" className="text-xs text-muted" data-testid="big-json-loading">
        Parsing {formatBytes(text.length)} of JSON…
      </div>
    );
  }
  if (result.state === 'error') {
    return (
      <div>
        <div className="mb-1.5 text-xs text-warn">Not valid JSON: {result.message}</div>
        <RawPages text={text} />
      </div>
    );
  }
  return <TreeRows value={result.value} />;
}
