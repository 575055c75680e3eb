'use client';

import { useEffect, useState } from 'react';
import { SessionViewer } from '../share';
import { ThemeToggle } from '../theme';
import { PageHeader, Spinner } from '../ui';
import { FileDropZone } from './FileDropZone';
import { recallOpenedFile } from './opened';
import type { ImportedSession } from './parse';

/** `/view`: the file opened on the home page, in the workspace's views, read-only. */
export function OpenedFileView() {
  const [session, setSession] = useState<ImportedSession | null | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    void recallOpenedFile().then((opened) => !cancelled && setSession(opened ?? null));
    return () => {
      cancelled = true;
    };
  }, []);

  if (session === undefined) {
    return (
      <div className="flex h-dvh items-center justify-center gap-2 text-muted">
        <Spinner /> Opening the file…
      </div>
    );
  }
  if (session === null) {
    return (
      <div className="flex min-h-dvh flex-col">
        <PageHeader>
          <ThemeToggle />
        </PageHeader>
        <main className="mx-auto w-full max-w-[600px] px-4 py-10" data-testid="no-opened-file">
          <h1 className="text-lg font-semibold">No session file is open</h1>
          <p className="mt-1 mb-5 text-[13px] text-muted">Files are opened in this browser only; open one again to see it here.</p>
          <FileDropZone wholePage />
        </main>
      </div>
    );
  }
  return (
    <SessionViewer meta={session.meta} events={session.events} source={{ kind: 'file', name: session.name, format: session.format }} />
  );
}
