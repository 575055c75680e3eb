import { LOG_LEVELS, type LogLevel } from '../api';
import { cn } from '../ui';

/** A compact labelled select of the log levels, least severe first: the level the server sends, the level shown. */
export function LevelSelect({
  id,
  label,
  value,
  onChange,
  disabled,
  testId,
  labelClassName,
  className,
}: {
  id: string;
  label: string;
  value: LogLevel;
  onChange: (level: LogLevel) => void;
  disabled?: boolean;
  testId: string;
  labelClassName?: string;
  /** The select's width. */
  className: string;
}) {
  return (
    <>
      <label htmlFor={id} className={cn('text-xs text-muted', labelClassName)}>
        {label}
      </label>
      <select
        id={id}
        className={cn('input h-6 py-0 text-xs', className)}
        value={value}
        onChange={(event) => onChange(event.target.value as LogLevel)}
        disabled={disabled}
        data-testid={testId}
      >
        {LOG_LEVELS.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </>
  );
}
