import type { ButtonHTMLAttributes } from 'react';
import { cn } from './cn';

export interface MenuButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'aria-haspopup' | 'aria-expanded'> {
  /** Whether the menu it opens is showing. */
  open: boolean;
}

/** The header button that opens a dropdown menu (export, sessions): outlined, with its icon, text and chevron as children. */
export function MenuButton({ open, className, type = 'button', ...props }: MenuButtonProps) {
  return (
    <button
      type={type}
      aria-haspopup="menu"
      aria-expanded={open}
      className={cn(
        'inline-flex h-7 items-center gap-1.5 rounded border border-line-strong bg-panel px-2.5 text-[13px] font-medium hover:bg-hover',
        className,
      )}
      {...props}
    />
  );
}
