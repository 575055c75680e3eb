import type { ReactNode } from 'react';
import { cn } from './cn';

/**
 * The head of a detail pane (a tool, a prompt): its title, the protocol name beside it when the title differs,
 * the actions on the same row, and what goes under it (description, schema).
 */
export function DetailHeader({
  title,
  name,
  icon,
  titleTestId,
  className,
  children,
  below,
}: {
  title: string;
  name: string;
  icon?: ReactNode;
  titleTestId?: string;
  className?: string;
  /** Badges and buttons on the title's row. */
  children?: ReactNode;
  below?: ReactNode;
}) {
  return (
    <div className={cn('border-b border-line bg-panel px-4 py-2.5', className)}>
      <div className="flex flex-wrap items-center gap-2">
        {icon}
        <h2 className="min-w-0 truncate text-[15px] font-semibold" data-testid={titleTestId}>
          {title}
        </h2>
        {title !== name && <span className="truncate font-mono text-xs text-muted">{name}</span>}
        {children}
      </div>
      {below}
    </div>
  );
}
