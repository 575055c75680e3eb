import type { ReactNode } from 'react';
import { cn } from './cn';
import { IconAlert } from './icons';

/**
 * A boxed message with the alert icon: a title, a sentence, and the error's code under it when there is one
 * (tests and people quote the code). `children` go below, for the buttons that act on it.
 */
export function Callout({
  tone,
  title,
  message,
  code,
  testId,
  codeTestId,
  role = 'alert',
  className,
  children,
}: {
  tone: 'err' | 'warn';
  title: ReactNode;
  message: ReactNode;
  code?: string;
  testId: string;
  codeTestId?: string;
  role?: 'alert' | 'status';
  className?: string;
  children?: ReactNode;
}) {
  return (
    <div
      role={role}
      data-testid={testId}
      className={cn(
        'flex gap-2 rounded border px-3 py-2 text-[13px]',
        tone === 'err' ? 'border-err/40 bg-err-soft' : 'border-warn/40 bg-warn-soft',
        className,
      )}
    >
      <IconAlert className={cn('mt-0.5 h-4 w-4 shrink-0', tone === 'err' ? 'text-err' : 'text-warn')} />
      <div className="min-w-0">
        <div className={cn('font-semibold', tone === 'err' && 'text-err')}>{title}</div>
        <div className="break-words">{message}</div>
        {code && (
          <div className={cn('mt-0.5 font-mono text-[11px]', tone === 'err' ? 'text-err/80' : 'text-muted')} data-testid={codeTestId}>
            {code}
          </div>
        )}
        {children}
      </div>
    </div>
  );
}
