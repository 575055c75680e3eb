'use client';

import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { describeFailure, rpcResult } from '../api';
import { Spinner, cn } from '../ui';

export type CompletionRef = { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string };

interface CompleteResult {
  completion?: { values?: unknown; total?: unknown; hasMore?: unknown };
}

interface Suggestions {
  values: string[];
  total?: number;
  hasMore: boolean;
}

const DEBOUNCE_MS = 200;

/**
 * A text input that asks the server for `completion/complete` suggestions as the person types (and on
 * focus), passing the other arguments as context. Arrow keys move through the list, Enter picks.
 */
export function CompletionInput({
  sessionId,
  reference,
  argument,
  value,
  onChange,
  context,
  enabled,
  id,
  placeholder,
  required,
  testId,
  invalid,
  describedBy,
}: {
  sessionId: string;
  reference: CompletionRef;
  argument: string;
  value: string;
  onChange: (value: string) => void;
  /** The other arguments' current values (`context.arguments`). */
  context: Record<string, string>;
  /** False when the server did not declare `completions`: a plain input then. */
  enabled: boolean;
  id: string;
  placeholder?: string;
  required?: boolean;
  testId?: string;
  /** Marks the field as failing a check (aria-invalid). */
  invalid?: boolean;
  /** The id of the element that says what is wrong with it. */
  describedBy?: string;
}) {
  const [open, setOpen] = useState(false);
  const fixed = useFixedValues(sessionId, reference, argument, enabled);
  const [active, setActive] = useState(-1);
  const [suggestions, setSuggestions] = useState<Suggestions | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);
  const listId = useId();
  const contextKey = JSON.stringify(context);
  const referenceKey = JSON.stringify(reference);
  const lastRequest = useRef(0);

  useEffect(() => {
    if (!enabled || asked === 0) return;
    const number = ++lastRequest.current;
    const timer = setTimeout(() => {
      setLoading(true);
      const otherArguments = JSON.parse(contextKey) as Record<string, string>;
      rpcResult<CompleteResult>(sessionId, 'completion/complete', {
        ref: JSON.parse(referenceKey) as CompletionRef,
        argument: { name: argument, value },
        ...(Object.keys(otherArguments).length > 0 ? { context: { arguments: otherArguments } } : {}),
      })
        .then((result) => {
          if (number !== lastRequest.current) return;
          const values = Array.isArray(result?.completion?.values)
            ? result.completion.values.filter((item): item is string => typeof item === 'string')
            : [];
          setSuggestions({
            values: values.slice(0, 100),
            total: typeof result?.completion?.total === 'number' ? result.completion.total : undefined,
            hasMore: result?.completion?.hasMore === true,
          });
          setError(null);
          setActive(-1);
        })
        .catch((failure: unknown) => {
          if (number !== lastRequest.current) return;
          setSuggestions(null);
          setError(describeFailure(failure));
        })
        .finally(() => {
          if (number === lastRequest.current) setLoading(false);
        });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [enabled, asked, value, argument, sessionId, contextKey, referenceKey]);

  const pick = (choice: string) => {
    onChange(choice);
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const values = suggestions?.values ?? [];
    if (event.key === 'ArrowDown' && values.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((index) => (index + 1) % values.length);
    } else if (event.key === 'ArrowUp' && values.length > 0) {
      event.preventDefault();
      setActive((index) => (index <= 0 ? values.length - 1 : index - 1));
    } else if (event.key === 'Enter' && open && active >= 0 && values[active] !== undefined) {
      event.preventDefault();
      pick(values[active]!);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
    }
  };

  const values = suggestions?.values ?? [];
  const showList = enabled && open && (values.length > 0 || loading || error !== null || suggestions !== null);

  return (
    <div className="relative">
      <input
        id={id}
        className="input pr-7"
        value={value}
        placeholder={placeholder}
        required={required}
        autoComplete="off"
        spellCheck={false}
        role={enabled ? 'combobox' : undefined}
        aria-expanded={enabled ? showList : undefined}
        aria-controls={enabled ? listId : undefined}
        aria-autocomplete={enabled ? 'list' : undefined}
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy}
        data-testid={testId}
        onChange={(event) => {
          onChange(event.target.value);
          setOpen(true);
          setAsked((n) => n + 1);
        }}
        onFocus={() => {
          setOpen(true);
          setAsked((n) => n + 1);
        }}
        onBlur={() => setTimeout(() => setOpen(false), 120)}
        onKeyDown={onKeyDown}
      />
      {enabled && loading && <Spinner className="absolute top-2 right-2 h-3 w-3" />}
      {showList && (
        <div
          id={listId}
          role="listbox"
          className="absolute top-full right-0 left-0 z-30 mt-0.5 max-h-56 overflow-auto rounded border border-line-strong bg-panel py-0.5 shadow-lg"
          data-testid="completion-list"
        >
          {error !== null ? (
            <div className="px-2 py-1 text-xs text-err">{error}</div>
          ) : values.length === 0 ? (
            <div className="px-2 py-1 text-xs text-muted">{loading ? 'Asking the server…' : 'No suggestions'}</div>
          ) : (
            values.map((choice, index) => (
              <div
                key={choice}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === active}
                data-testid="completion-option"
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(choice);
                }}
                onMouseEnter={() => setActive(index)}
                className={cn('cursor-pointer px-2 py-1 font-mono text-xs', index === active ? 'bg-selected' : 'hover:bg-hover')}
              >
                {choice}
              </div>
            ))
          )}
          {suggestions && (suggestions.hasMore || (suggestions.total !== undefined && suggestions.total > values.length)) && (
            <div className="border-t border-line px-2 py-0.5 text-[10px] text-faint">
              {suggestions.total !== undefined ? `${values.length} of ${suggestions.total}` : 'more available'}: keep typing to narrow
            </div>
          )}
        </div>
      )}
      {fixed && (
        <div
          className="mt-1 flex flex-wrap items-center gap-1"
          role="group"
          aria-label={`Values the server offers for ${argument}`}
          data-testid="fixed-values"
        >
          <span className="text-[11px] text-muted">Values:</span>
          {fixed.map((choice) => (
            <button
              key={choice}
              type="button"
              aria-pressed={value === choice}
              onClick={() => onChange(choice)}
              className={cn(
                'rounded border px-1.5 py-px font-mono text-[11px]',
                value === choice ? 'border-accent bg-accent-soft text-accent' : 'border-line text-fg hover:bg-hover',
              )}
              data-testid="fixed-value"
            >
              {choice}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** Fewer values than this, complete (no `hasMore`), are a fixed list worth showing at once. */
const FIXED_LIST_MAX = 12;

/**
 * The values an argument may take when the server's completion for an empty value is a short, complete list
 * (an enum such as friendly / formal / terse): offered as buttons, with no typing needed. Asked once per argument.
 */
function useFixedValues(sessionId: string, reference: CompletionRef, argument: string, enabled: boolean): string[] | null {
  const [fixed, setFixed] = useState<string[] | null>(null);
  const referenceKey = JSON.stringify(reference);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    rpcResult<CompleteResult>(sessionId, 'completion/complete', {
      ref: JSON.parse(referenceKey) as CompletionRef,
      argument: { name: argument, value: '' },
    })
      .then((result) => {
        const raw = result?.completion?.values;
        const values = Array.isArray(raw) ? raw.filter((item): item is string => typeof item === 'string') : [];
        const total = result?.completion?.total;
        const complete = result?.completion?.hasMore !== true && (typeof total !== 'number' || total <= values.length);
        if (live) setFixed(complete && values.length > 0 && values.length <= FIXED_LIST_MAX ? [...new Set(values)] : null);
      })
      .catch(() => {
        // Suggestions while typing say what went wrong; the fixed list is only a convenience.
        if (live) setFixed(null);
      });
    return () => {
      live = false;
    };
  }, [sessionId, referenceKey, argument, enabled]);
  return fixed;
}

export interface ArgumentField {
  name: string;
  title?: string;
  description?: string;
  required?: boolean;
}

/** A column of completion inputs, one per argument (prompt arguments, template variables). */
export function ArgumentFields({
  sessionId,
  reference,
  fields,
  values,
  onChange,
  completions,
  idPrefix,
  errors,
}: {
  sessionId: string;
  reference: CompletionRef;
  fields: readonly ArgumentField[];
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
  completions: boolean;
  idPrefix: string;
  /** A message per field name, shown under it (and marking it invalid). */
  errors?: Readonly<Record<string, string>>;
}) {
  return (
    <div className="flex flex-col gap-2.5">
      {fields.map((field) => {
        const id = `${idPrefix}-${field.name}`;
        const context = Object.fromEntries(Object.entries(values).filter(([name, value]) => name !== field.name && value !== ''));
        return (
          <div key={field.name}>
            <label htmlFor={id} className="mb-0.5 flex items-baseline gap-1.5 text-xs font-semibold">
              <span className="font-mono">{field.name}</span>
              {field.title && field.title !== field.name && <span className="font-normal text-muted">{field.title}</span>}
              {field.required && <span className="text-[10px] font-normal text-err">required</span>}
            </label>
            {field.description && <div className="mb-1 text-[11px] text-muted">{field.description}</div>}
            <CompletionInput
              sessionId={sessionId}
              reference={reference}
              argument={field.name}
              value={values[field.name] ?? ''}
              onChange={(value) => onChange({ ...values, [field.name]: value })}
              context={context}
              enabled={completions}
              id={id}
              required={field.required}
              testId={`arg-${field.name}`}
              invalid={errors?.[field.name] !== undefined}
              describedBy={errors?.[field.name] !== undefined ? `${id}-error` : undefined}
            />
            {errors?.[field.name] !== undefined && (
              <div id={`${id}-error`} className="mt-0.5 text-xs text-err" data-testid={`arg-error-${field.name}`}>
                {errors[field.name]}
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}
