import Link from 'next/link';
import type { ReactNode } from 'react';

/**
 * The one-row header of a page outside the workspace (connect, tokens, guided OAuth, an opened file, a share link):
 * the brand, the page's name and an optional detail, then `children` (links, the theme toggle) on the right.
 */
export function PageHeader({
  title,
  detail,
  atHome = false,
  children,
}: {
  title?: string;
  /** Shown after the title, truncated (e.g. the server URL). */
  detail?: string;
  /** On the connect screen itself the brand is plain text rather than a link to it. */
  atHome?: boolean;
  children: ReactNode;
}) {
  const brand = (
    <>
      mcp<span className="text-accent">scope</span>
    </>
  );
  return (
    <header className="flex h-10 shrink-0 items-center gap-2 border-b border-line bg-panel px-4">
      {atHome ? (
        <span className="font-semibold tracking-tight">{brand}</span>
      ) : (
        <Link href="/" className="font-semibold tracking-tight">
          {brand}
        </Link>
      )}
      {title && <span className="text-xs text-muted">{title}</span>}
      {detail && <span className="ml-2 truncate font-mono text-xs text-muted">{detail}</span>}
      <div className="ml-auto flex items-center gap-3">{children}</div>
    </header>
  );
}
