import type { ReactNode } from 'react';
import { cn } from './cn';

/** One radio button with its label; the choices of a group share `name`. */
export function RadioChoice({
  name,
  checked,
  onChoose,
  testId,
  title,
  disabled,
  className,
  children,
}: {
  name: string;
  checked: boolean;
  onChoose: () => void;
  testId: string;
  title?: string;
  disabled?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <label className={cn('flex items-center gap-1.5', className)} title={title}>
      <input type="radio" name={name} checked={checked} disabled={disabled} onChange={onChoose} data-testid={testId} />
      {children}
    </label>
  );
}
