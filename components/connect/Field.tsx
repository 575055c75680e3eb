import type { InputHTMLAttributes, ReactNode } from 'react';
import { cn } from '../ui';

/**
 * A labelled text input of the connect form. `mono` is for identifiers and URLs: monospace, and the browser
 * neither spell-checks nor autofills them.
 */
export function Field({
  label,
  mono = false,
  fieldClassName,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'className'> & { label: string; mono?: boolean; fieldClassName?: string }) {
  return (
    <label className={fieldClassName}>
      <span className="field-label">{label}</span>
      {mono ? <input className="input-mono" spellCheck={false} autoComplete="off" {...input} /> : <input className="input" {...input} />}
    </label>
  );
}

/** A checkbox with its title (`children`) and a line explaining what it changes. */
export function CheckField({
  checked,
  onChange,
  testId,
  hint,
  className,
  children,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
  hint: ReactNode;
  /** Placement in the surrounding layout. */
  className?: string;
  children: ReactNode;
}) {
  return (
    <label className={cn('flex cursor-pointer items-start gap-2 text-[13px]', className)}>
      <input
        type="checkbox"
        className="mt-0.5 accent-[var(--accent)]"
        data-testid={testId}
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span>
        {children}
        <span className="block text-[11px] text-faint">{hint}</span>
      </span>
    </label>
  );
}
