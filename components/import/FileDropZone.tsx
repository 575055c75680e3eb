'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useEffectEvent, useRef, useState, type DragEvent } from 'react';
import { Button, IconAlert, IconDownload, Spinner, cn } from '../ui';
import { rememberOpenedFile } from './opened';
import { ImportError, readSessionFile } from './parse';

function hasFiles(event: { dataTransfer: DataTransfer | null }): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/**
 * "Open a session file": drop a .json or .har (anywhere on the page when `wholePage`) or choose one. The file
 * is parsed here and opened read-only at /view; it is never uploaded.
 */
export function FileDropZone({ wholePage = false, className }: { wholePage?: boolean; className?: string }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  const open = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setBusy(file.name);
    try {
      const session = await readSessionFile(file);
      await rememberOpenedFile(session);
      router.push('/view');
    } catch (failure) {
      setBusy(null);
      setError(
        failure instanceof ImportError
          ? { code: failure.code, message: failure.message }
          : { code: 'unreadable_file', message: failure instanceof Error ? failure.message : String(failure) },
      );
    }
  };
  const openDropped = useEffectEvent((file: File | undefined) => open(file));

  // A file dropped anywhere on the home page opens, not just on the box.
  useEffect(() => {
    if (!wholePage) return;
    let depth = 0;
    const enter = (event: globalThis.DragEvent) => {
      if (!hasFiles(event)) return;
      depth += 1;
      setDragging(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (event: globalThis.DragEvent) => {
      if (hasFiles(event)) event.preventDefault();
    };
    const drop = (event: globalThis.DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      void openDropped(event.dataTransfer?.files[0]);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [wholePage]);

  const onDrop = (event: DragEvent) => {
    if (wholePage) return; // the window listener handles it
    event.preventDefault();
    setDragging(false);
    void open(event.dataTransfer.files[0]);
  };

  return (
    <>
      <div
        data-testid="import-drop-zone"
        onDragOver={(event) => {
          if (hasFiles(event)) {
            event.preventDefault();
            if (!wholePage) setDragging(true);
          }
        }}
        onDragLeave={() => !wholePage && setDragging(false)}
        onDrop={onDrop}
        className={cn(
          'flex items-center gap-3 rounded-md border border-dashed p-4 transition-colors',
          dragging ? 'border-accent bg-accent-soft' : 'border-line-strong bg-panel',
          className,
        )}
      >
        <IconDownload className="h-5 w-5 shrink-0 rotate-180 text-muted" />
        <div className="min-w-0 flex-1">
          <div className="text-[13px] font-semibold">Open a session file</div>
          <div className="text-xs text-muted">
            Drop a <span className="font-mono">.json</span> session export or a <span className="font-mono">.har</span> file
            {wholePage ? ' anywhere on this page' : ' here'}. It is read in this browser and opened read-only; nothing is uploaded.
          </div>
        </div>
        <Button onClick={() => input.current?.click()} disabled={busy !== null} data-testid="import-choose">
          {busy ? <Spinner className="h-3 w-3" /> : null}
          {busy ? 'Opening…' : 'Choose a file'}
        </Button>
        <input
          ref={input}
          type="file"
          accept=".json,.har,application/json"
          className="hidden"
          data-testid="import-file-input"
          onChange={(event) => {
            void open(event.target.files?.[0]);
            event.target.value = '';
          }}
        />
      </div>
      {error && (
        <div
          role="alert"
          data-testid="import-error"
          className="mt-2 flex gap-2 rounded border border-err/40 bg-err-soft px-3 py-2 text-[13px]"
        >
          <IconAlert className="mt-0.5 h-4 w-4 shrink-0 text-err" />
          <div className="min-w-0">
            <div className="font-semibold text-err">Could not open the file</div>
            <div className="break-words">{error.message}</div>
            <div className="mt-0.5 font-mono text-[11px] text-err" data-testid="import-error-code">
              {error.code}
            </div>
          </div>
        </div>
      )}
      {dragging && wholePage && (
        <div
          className="pointer-events-none fixed inset-0 z-50 flex items-center justify-center bg-accent/10 backdrop-blur-[1px]"
          data-testid="import-overlay"
        >
          <div className="rounded-lg border-2 border-dashed border-accent bg-panel px-8 py-6 text-center shadow-lg">
            <div className="text-sm font-semibold">Drop to open the session file</div>
            <div className="mt-1 text-xs text-muted">.json or .har — read here, never uploaded</div>
          </div>
        </div>
      )}
    </>
  );
}
