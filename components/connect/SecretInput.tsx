'use client';

import { useState, type InputHTMLAttributes } from 'react';
import { cn, IconEye, IconEyeOff } from '../ui';

/**
 * A password-style input with a reveal toggle. `maskWhenBlurred` keeps the value readable while typing
 * and masks it once focus leaves (header values: you see what you type, not what you typed earlier).
 */
export function SecretInput({
  maskWhenBlurred = false,
  className,
  onFocus,
  onBlur,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { maskWhenBlurred?: boolean }) {
  const [revealed, setRevealed] = useState(false);
  const [focused, setFocused] = useState(false);
  const visible = revealed || (maskWhenBlurred && focused);
  return (
    <div className="relative flex-1">
      <input
        {...props}
        type={visible ? 'text' : 'password'}
        autoComplete="off"
        spellCheck={false}
        onFocus={(event) => {
          setFocused(true);
          onFocus?.(event);
        }}
        onBlur={(event) => {
          setFocused(false);
          onBlur?.(event);
        }}
        className={cn('input-mono pr-8', className)}
      />
      <button
        type="button"
        tabIndex={-1}
        onClick={() => setRevealed((value) => !value)}
        title={revealed ? 'Hide' : 'Show'}
        aria-label={revealed ? 'Hide value' : 'Show value'}
        className="absolute top-0.5 right-0.5 inline-flex h-6 w-6 items-center justify-center rounded text-faint hover:text-fg"
      >
        {revealed ? <IconEyeOff /> : <IconEye />}
      </button>
    </div>
  );
}
