'use client';

// A page that crashed while rendering (outside the workspace views, which have their own boundary): say so, show
// the error, and offer a way back instead of a blank page.
import Link from 'next/link';
import { useEffect } from 'react';

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error('page error', error);
  }, [error]);
  return (
    <div role="alert" data-testid="page-error" className="mx-auto flex min-h-dvh max-w-xl flex-col justify-center gap-3 p-6 text-[13px]">
      <h1 className="text-lg font-semibold">This page stopped working</h1>
      <p className="text-muted">
        mcpscope hit an error while drawing it. Live sessions keep running on the server; their logs are not lost.
      </p>
      <pre className="max-h-48 overflow-auto rounded border border-line bg-panel px-2 py-1.5 font-mono text-[11px] whitespace-pre-wrap break-words">
        {error.name}: {error.message.slice(0, 500)}
        {error.digest ? `\n(digest ${error.digest})` : ''}
      </pre>
      <div className="flex gap-2">
        <button
          type="button"
          onClick={reset}
          className="rounded bg-accent px-3 py-1.5 font-medium text-white dark:text-[#0b1220]"
          data-testid="page-error-retry"
        >
          Try again
        </button>
        <Link href="/" className="rounded border border-line-strong px-3 py-1.5">
          New connection
        </Link>
      </div>
    </div>
  );
}
