import Link from 'next/link';
import type { ReactNode } from 'react';

/**
 * The two-row header over a session (live or recorded): brand, server identity, badges and actions on top;
 * the server URL and connection details below. `children` (dialogs) render inside the header.
 */
export function SessionHeader({
  homeTitle,
  identity,
  badges,
  actions,
  url,
  details,
  children,
}: {
  /** Tooltip of the brand link back to the connect screen. */
  homeTitle: string;
  /** The server's name and version. */
  identity: ReactNode;
  badges: ReactNode;
  actions: ReactNode;
  url: string | undefined;
  details: ReactNode;
  children?: ReactNode;
}) {
  return (
    // A container: narrow (a side of the split view) the header drops its brand and shortens labels (@3xl variants
    // here and in the actions) so the name and every action still fit.
    <header className="@container shrink-0 border-b border-line bg-panel">
      <div className="flex h-10 items-center gap-2.5 px-3">
        <Link href="/" className="hidden shrink-0 font-semibold tracking-tight @3xl:inline" title={homeTitle}>
          mcp<span className="text-accent">scope</span>
        </Link>
        <span className="hidden h-4 w-px shrink-0 bg-line @3xl:inline" />
        {/* When room runs out the badges give way long before the name (truncated, full text in its title). */}
        <div className="flex min-w-0 shrink-[0.25] items-baseline gap-1.5">{identity}</div>
        {/* Badges that do not fit wrap onto a hidden second line: a badge is shown whole or not at all, never cut. */}
        <div className="flex h-5 min-w-0 shrink-[4] flex-wrap items-center gap-x-1.5 overflow-hidden">{badges}</div>
        <div className="ml-auto flex shrink-0 items-center gap-1.5">{actions}</div>
      </div>
      <div className="flex h-7 items-center gap-2 overflow-hidden border-t border-line px-3 text-xs">
        <span className="truncate font-mono text-muted" title={url} data-testid="server-url">
          {url}
        </span>
        {details}
      </div>
      {children}
    </header>
  );
}

/** The primary-looking link to the connect screen. */
export function NewConnectionLink({ testId }: { testId?: string }) {
  return (
    <Link
      href="/"
      data-testid={testId}
      className="inline-flex h-7 items-center rounded border border-transparent bg-accent px-3 text-[13px] font-medium text-white hover:brightness-110 dark:text-[#0b1220]"
    >
      New connection
    </Link>
  );
}
