import type { ButtonHTMLAttributes } from 'react';
import { cn } from './cn';

const SIZES = { sm: 'h-6 w-6', md: 'h-7 w-7' } as const;
const TONES = { faint: 'text-faint', muted: 'text-muted' } as const;

export interface IconButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'aria-label'> {
  /** The button's accessible name: it shows only an icon (its children). */
  label: string;
  size?: keyof typeof SIZES;
  tone?: keyof typeof TONES;
}

/** A square, borderless button that shows only an icon: close, remove, copy, refresh. */
export function IconButton({ label, size = 'sm', tone = 'faint', className, type = 'button', ...props }: IconButtonProps) {
  return (
    <button
      type={type}
      aria-label={label}
      className={cn('inline-flex items-center justify-center rounded hover:bg-hover hover:text-fg', SIZES[size], TONES[tone], className)}
      {...props}
    />
  );
}
