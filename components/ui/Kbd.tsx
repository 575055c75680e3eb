import type { ReactNode } from 'react';

export function Kbd({ children }: { children: ReactNode }) {
  return (
    <kbd className="inline-flex h-4 min-w-4 items-center justify-center rounded border border-line-strong bg-panel-2 px-1 font-mono text-[10px] leading-none text-muted">
      {children}
    </kbd>
  );
}

/** `⌘` on Apple platforms, `Ctrl` elsewhere; read lazily so server and client markup agree. */
export function modKeyLabel(): string {
  if (typeof navigator === 'undefined') return 'Ctrl';
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent) ? '⌘' : 'Ctrl';
}
