import type { LiHTMLAttributes, ReactNode } from 'react';
import { CheckBadge, type CheckResult } from './Badge';
import { cn } from './cn';

/**
 * One row of a checklist report (the audit's checks, the doctor's steps): the result badge, then the row's own
 * cells on a grid whose column widths the caller gives (`grid-cols-[…]`, the badge's column first).
 */
export function CheckRow({
  result,
  columns,
  children,
  ...attributes
}: { result: CheckResult; columns: string; children: ReactNode } & Omit<LiHTMLAttributes<HTMLLIElement>, 'className'>) {
  return (
    <li className={cn('grid gap-2 px-3 py-1.5 text-[13px]', columns)} {...attributes}>
      <span>
        <CheckBadge result={result} />
      </span>
      {children}
    </li>
  );
}

/** A labelled line under a check's detail: what to fix, what to do. */
export function CheckNote({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <div className="mt-0.5 text-xs" data-testid={testId}>
      <span className="font-semibold">{label} </span>
      {children}
    </div>
  );
}
