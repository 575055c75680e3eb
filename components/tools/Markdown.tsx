'use client';

import { lazy, Suspense } from 'react';

// react-markdown + remark-gfm are ~50 KB gzip: loaded the first time some Markdown is shown, not with the page.
const MarkdownRenderer = lazy(() => import('./MarkdownRenderer'));

/**
 * Markdown from a server (a tool result, a description). Raw HTML is not rendered (react-markdown's default), links
 * open in a new tab. `images: false` shows an image as its alt text (descriptions: no remote fetch for a listing).
 */
export function Markdown({
  text,
  images = true,
  className,
  testId,
}: {
  text: string;
  images?: boolean;
  className?: string;
  testId?: string;
}) {
  return (
    <Suspense
      fallback={
        // The source text meanwhile: readable at once, replaced when the renderer arrives.
        <div className={className ?? 'md font-mono text-xs whitespace-pre-wrap'} aria-busy="true">
          {text}
        </div>
      }
    >
      <MarkdownRenderer text={text} images={images} className={className} testId={testId} />
    </Suspense>
  );
}
