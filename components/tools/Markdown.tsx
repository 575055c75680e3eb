'use client';

import { lazy, Suspense } from 'react';

// react-markdown + remark-gfm are ~50 KB gzip: loaded the first time some Markdown is shown, not with the page.
const MarkdownRenderer = lazy(() => import('./MarkdownRenderer'));

/** Markdown from a tool result. Raw HTML is not rendered (react-markdown's default), links open in a new tab. */
export function Markdown({ text }: { text: string }) {
  return (
    <Suspense
      fallback={
        // The source text meanwhile: readable at once, replaced when the renderer arrives.
        <div className="md font-mono text-xs whitespace-pre-wrap" aria-busy="true">
          {text}
        </div>
      }
    >
      <MarkdownRenderer text={text} />
    </Suspense>
  );
}
