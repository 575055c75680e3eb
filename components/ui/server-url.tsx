'use client';

// The last check before the browser goes to a URL a server chose (an authorization URL, a URL-mode elicitation,
// a link in a result): lib/url-policy once more, right before `location.assign`, `window.open` or an `<a href>`.
// The server side checks these in discovery already; this keeps a `javascript:` (or data:, blob:, relative...)
// URL from ever reaching the browser's navigation, whatever path it took here. http: passes in the browser
// (script cannot run from it); the server applies the mode's rule for plain http.
import type { AnchorHTMLAttributes, ReactNode } from 'react';
import { checkServerUrl, type UrlVerdict } from '@/lib/url-policy';
import { cn } from './cn';

export type { UrlVerdict };

/** The verdict for a URL a server chose, for a component that wants to explain a refusal. */
export function serverUrlVerdict(url: unknown, what = 'The URL'): UrlVerdict {
  return checkServerUrl(url, { what });
}

/** Sends this tab to the URL if it passes; otherwise goes nowhere and returns why. */
export function assignServerUrl(url: unknown, what?: string): UrlVerdict {
  const verdict = serverUrlVerdict(url, what);
  if (verdict.ok) window.location.assign(verdict.href);
  return verdict;
}

/** Opens the URL in a new tab (no opener, no referrer) if it passes; otherwise opens nothing and returns why. */
export function openServerUrlInNewTab(url: unknown, what?: string): UrlVerdict {
  const verdict = serverUrlVerdict(url, what);
  if (verdict.ok) window.open(verdict.href, '_blank', 'noopener,noreferrer');
  return verdict;
}

type AnchorProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { 'data-testid'?: string };

/**
 * A link to a URL a server chose: an `<a>` with the checked, normalised href, or, for a refused URL, the same
 * text as plain text with the reason beside it (never a link).
 */
export function ServerLink({
  href,
  what,
  children,
  className,
  ...props
}: AnchorProps & { href: unknown; what?: string; children: ReactNode }) {
  const verdict = serverUrlVerdict(href, what);
  if (!verdict.ok) {
    return (
      <span
        className="inline-flex min-w-0 flex-wrap items-baseline gap-1"
        data-testid={props['data-testid']}
        data-refused-url={verdict.reason}
      >
        <span className={cn(className, 'cursor-not-allowed line-through opacity-60')} aria-disabled="true" title={verdict.message}>
          {children}
        </span>
        <span className="text-[11px] text-err" role="note">
          Not opened: {verdict.message}
        </span>
      </span>
    );
  }
  return (
    <a href={verdict.href} {...props} className={className}>
      {children}
    </a>
  );
}
