'use client';

import { useEffect, useRef, useState } from 'react';
import { sessionFileName } from '@/lib/shares/document';
import { toHar, toJsonExport, type TraceEvent, type TraceMeta } from '@/lib/trace';
import { logDownloadUrl } from '../api';
import { IconChevronDown, IconCopy, IconDownload, MenuButton } from '../ui';
import { downloadJson } from './download';

/** Where the log comes from: the server (a live session, downloaded from the API) or the browser (a file, a share). */
export type ExportSource = { kind: 'live'; sessionId: string } | { kind: 'static'; meta: TraceMeta; events: readonly TraceEvent[] };

const itemClass =
  'flex w-full items-start gap-2 rounded px-2 py-1.5 text-left text-[13px] hover:bg-hover focus-visible:bg-hover focus-visible:outline-none';

function Item({ title, detail }: { title: string; detail: string }) {
  return (
    <span className="min-w-0">
      <span className="block font-medium">{title}</span>
      <span className="block text-[11px] text-muted">{detail}</span>
    </span>
  );
}

/** The header's Export menu: the log as JSON or HAR, and the handshake as a curl script. */
export function ExportMenu({ source, onHandshakeScript }: { source: ExportSource; onHandshakeScript: () => void }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const saveStatic = (format: 'json' | 'har') => {
    if (source.kind !== 'static') return;
    const { meta, events } = source;
    const list = events.slice();
    downloadJson(sessionFileName(meta, format), format === 'har' ? toHar(meta, list) : toJsonExport({ meta, events: () => list }));
    setOpen(false);
  };

  const fileItem = (format: 'json' | 'har') => {
    const testId = `export-${format}`;
    const label =
      format === 'json' ? (
        <Item title="Session log (.json)" detail="Every event, in mcpscope's versioned format" />
      ) : (
        <Item title="HAR 1.2 (.har)" detail="HTTP exchanges and SSE frames; opens in browser devtools" />
      );
    return source.kind === 'live' ? (
      <a
        role="menuitem"
        href={logDownloadUrl(source.sessionId, format)}
        download
        data-testid={testId}
        className={itemClass}
        onClick={() => setOpen(false)}
      >
        <IconDownload className="mt-0.5 h-3.5 w-3.5 shrink-0 text-muted" />
        {label}
      </a>
    ) : (
      <button role="menuitem" type="button" data-testid={testId} className={itemClass} onClick={() => saveStatic(format)}>
        <IconDownload className="mt-0.5 h-3.5 w-3.5 shrink-0 text-muted" />
        {label}
      </button>
    );
  };

  return (
    <div ref={root} className="relative">
      <MenuButton
        open={open}
        onClick={() => setOpen((value) => !value)}
        data-testid="export-menu"
        title="Download the session log, or copy the handshake as a script"
        className={open ? 'bg-hover' : undefined}
      >
        <IconDownload className="h-3.5 w-3.5" /> Export <IconChevronDown className="h-3 w-3 text-muted" />
      </MenuButton>
      {open && (
        <div
          role="menu"
          aria-label="Export"
          className="absolute right-0 z-40 mt-1 w-72 rounded-md border border-line bg-panel p-1 shadow-lg"
        >
          {fileItem('json')}
          {fileItem('har')}
          <div className="my-1 h-px bg-line" />
          <button
            role="menuitem"
            type="button"
            data-testid="copy-handshake"
            className={itemClass}
            onClick={() => {
              setOpen(false);
              onHandshakeScript();
            }}
          >
            <IconCopy className="mt-0.5 h-3.5 w-3.5 shrink-0 text-muted" />
            <Item title="Copy handshake script…" detail="The handshake as curl calls that replay it" />
          </button>
        </div>
      )}
    </div>
  );
}
