import type { ReactNode } from 'react';
import { cn } from './cn';

export function EmptyState({
  title,
  children,
  icon,
  className,
  testId,
}: {
  title: string;
  children?: ReactNode;
  icon?: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <div data-testid={testId} className={cn('flex h-full min-h-32 flex-col items-center justify-center gap-2 p-6 text-center', className)}>
      {icon && <div className="text-faint">{icon}</div>}
      <div className="text-sm font-semibold text-fg">{title}</div>
      {children && <div className="max-w-md text-[13px] text-muted">{children}</div>}
    </div>
  );
}
