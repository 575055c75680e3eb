'use client';

import dynamic from 'next/dynamic';
import { useCallback, useImperativeHandle, useRef, useState, forwardRef, type KeyboardEvent } from 'react';
import { validateWithSchema, type PreparedSchema } from '@/lib/schema-form';
import { IconAlert, IconInfo, cn, prettyJson } from '../ui';
import type { JsonProblem } from './JsonEditor';
import { locatePointer } from './json-locate';
import { ToolForm, type ToolFormHandle } from './ToolForm';
import { isJsonObject } from '@/lib/json';

const JsonEditor = dynamic(() => import('./JsonEditor'), {
  ssr: false,
  loading: () => (
    <div className="flex h-[180px] items-center justify-center rounded border border-line text-xs text-muted">Loading editor…</div>
  ),
});

export type ArgsMode = 'form' | 'json';

/** What the Call button asks of the editor. */
export type ArgsCheck =
  | { ok: true; args: Record<string, unknown> }
  | {
      ok: false;
      errors: string[];
      /** False when sending anyway makes no sense (unparsable JSON). */
      overridable: boolean;
      /** True when the form already shows each error next to its field. */
      shownInline?: boolean;
    };

export interface ArgumentsEditorHandle {
  /** Validates the current arguments (showing errors in the form) and returns them. */
  check: () => ArgsCheck;
  /** The current arguments without validation (for "Call anyway"). */
  current: () => Record<string, unknown> | undefined;
  focusFirstField: () => void;
}

/** Whether the form has anything to fill in (rjsf renders nothing at all for an object without fields). */
function hasFields(schema: Record<string, unknown>): boolean {
  const properties = schema.properties;
  const open = schema.additionalProperties;
  return (
    (isJsonObject(properties) && Object.keys(properties).length > 0) ||
    isJsonObject(open) ||
    open === true ||
    Array.isArray(schema.oneOf) ||
    Array.isArray(schema.anyOf) ||
    Array.isArray(schema.allOf)
  );
}

export const ArgumentsEditor = forwardRef<
  ArgumentsEditorHandle,
  {
    toolName: string;
    prepared: PreparedSchema;
    value: unknown;
    onChange: (value: unknown) => void;
    disabled?: boolean;
  }
>(function ArgumentsEditor({ toolName, prepared, value, onChange, disabled }, ref) {
  const [mode, setMode] = useState<ArgsMode>(prepared.ok ? 'form' : 'json');
  const [jsonText, setJsonText] = useState(() => prettyJson(value ?? {}));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [liveValidate, setLiveValidate] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const formRef = useRef<ToolFormHandle>(null);
  const containerRef = useRef<HTMLDivElement>(null);

  const schema = prepared.ok || prepared.validatable ? prepared.schema : undefined;
  /** The schema's errors for a parsed JSON value, for the editor's marks (none when it is not an object). */
  const schemaProblems = useCallback(
    (parsed: unknown): JsonProblem[] => {
      if (!schema || !isJsonObject(parsed)) return [];
      const result = validateWithSchema(schema, parsed);
      return result.status === 'invalid'
        ? (result.details ?? []).map((detail) => ({ pointer: detail.pointer, message: detail.message }))
        : [];
    },
    [schema],
  );

  // In form mode rjsf holds the truth (it fills in defaults the user never touched).
  const currentValue = (): unknown => (mode === 'form' ? (formRef.current?.state.formData ?? value) : value);

  const switchTo = (next: ArgsMode) => {
    if (next === mode) return;
    if (next === 'json') {
      const data = currentValue() ?? {};
      onChange(data);
      setJsonText(prettyJson(data));
      setJsonError(null);
    }
    setMode(next);
  };

  const onJsonChange = (text: string) => {
    setJsonText(text);
    if (!text.trim()) {
      setJsonError(null);
      onChange({});
      return;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (!isJsonObject(parsed)) {
        setJsonError('Arguments must be a JSON object ({ … }).');
        return;
      }
      setJsonError(null);
      onChange(parsed); // only valid JSON reaches the form: it keeps the last valid arguments
    } catch (error) {
      setJsonError(error instanceof Error ? error.message : String(error));
    }
  };

  useImperativeHandle(ref, () => ({
    current: () => {
      const data = currentValue();
      return isJsonObject(data) ? data : data === undefined ? {} : undefined;
    },
    check: () => {
      if (mode === 'json' && jsonError) {
        return { ok: false, errors: [`The JSON is not valid: ${jsonError}`], overridable: false };
      }
      const data = currentValue() ?? {};
      if (!isJsonObject(data)) return { ok: false, errors: ['Arguments must be a JSON object.'], overridable: false };
      if (mode === 'form' && formRef.current) {
        setLiveValidate(true);
        const valid = formRef.current.validateForm();
        if (!valid) {
          const result = prepared.schema ? validateWithSchema(prepared.schema, data) : undefined;
          const errors = result?.status === 'invalid' ? result.errors : ['Some fields are not valid: see the highlighted fields.'];
          return { ok: false, errors, overridable: true, shownInline: true };
        }
        return { ok: true, args: data };
      }
      if (prepared.ok || prepared.validatable) {
        if (prepared.schema) {
          const result = validateWithSchema(prepared.schema, data);
          if (result.status === 'invalid') {
            // In JSON mode each error says where it is in the text (the editor marks the same places).
            const errors =
              mode === 'json' && result.details
                ? result.details.map((detail, index) => {
                    const at = locatePointer(jsonText, detail.pointer);
                    return at
                      ? `Line ${at.line}, column ${at.column}: ${result.errors[index] ?? detail.message}`
                      : (result.errors[index] ?? detail.message);
                  })
                : result.errors;
            return { ok: false, errors: [...new Set(errors)], overridable: true };
          }
        }
      }
      return { ok: true, args: data };
    },
    focusFirstField: () => {
      const target = containerRef.current?.querySelector<HTMLElement>('input, select, textarea, .cm-content');
      target?.focus();
    },
  }));

  return (
    <div ref={containerRef} className="flex flex-col gap-2">
      <div className="flex items-center gap-2">
        <span className="field-label mb-0">Arguments</span>
        <ModeSwitch mode={mode} onChange={switchTo} disabled={!prepared.ok} />
        {mode === 'form' && (
          <button
            type="button"
            className="ml-auto text-xs text-muted hover:text-fg"
            onClick={() => {
              onChange(undefined);
              setLiveValidate(false);
              setFormKey((key) => key + 1);
            }}
            data-testid="reset-args"
            title="Reset every field to its default"
          >
            Reset
          </button>
        )}
      </div>

      {!prepared.ok && (
        <div className="flex gap-2 rounded border border-warn/40 bg-warn-soft px-3 py-2 text-xs" data-testid="schema-fallback">
          <IconAlert className="mt-0.5 h-3.5 w-3.5 shrink-0 text-warn" />
          <div>
            <div className="font-semibold text-warn">This input schema cannot be shown as a form</div>
            <div className="mt-0.5 text-fg">{prepared.reason}</div>
            <div className="mt-0.5 text-muted">
              Edit the arguments as JSON.{' '}
              {prepared.validatable
                ? 'They are still checked against the schema before sending.'
                : 'They are sent without a client-side check.'}
            </div>
          </div>
        </div>
      )}
      {prepared.ok && prepared.notes.length > 0 && mode === 'form' && (
        <details className="text-[11px] text-muted" data-testid="schema-notes">
          <summary className="inline-flex cursor-pointer items-center gap-1">
            <IconInfo className="h-3 w-3" /> How this form differs from the schema ({prepared.notes.length})
          </summary>
          <ul className="mt-1 list-disc pl-5">
            {prepared.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </details>
      )}

      {mode === 'form' && prepared.ok && !hasFields(prepared.schema) && (
        <div className="text-xs text-muted" data-testid="no-arguments">
          This tool takes no arguments.
        </div>
      )}
      {mode === 'form' && prepared.ok ? (
        <ToolForm
          key={formKey}
          ref={formRef}
          schema={prepared.schema}
          value={value}
          onChange={onChange}
          liveValidate={liveValidate}
          disabled={disabled}
        />
      ) : (
        <div data-testid="json-editor">
          <JsonEditor value={jsonText} onChange={onJsonChange} ariaLabel={`Arguments for ${toolName} as JSON`} check={schemaProblems} />
          {jsonError && (
            <div className="mt-1 flex items-start gap-1.5 text-xs text-err" data-testid="json-error" role="alert">
              <IconAlert className="mt-0.5 h-3.5 w-3.5 shrink-0" />
              <span>
                {jsonError}
                {prepared.ok && <span className="text-muted"> · the form keeps the last valid arguments</span>}
              </span>
            </div>
          )}
        </div>
      )}
    </div>
  );
});

const MODES: ReadonlyArray<{ mode: ArgsMode; label: string }> = [
  { mode: 'form', label: 'Form' },
  { mode: 'json', label: 'JSON' },
];

/**
 * "Form | JSON" as one control with two options (a radio group): arrow keys move between them, the chosen one is
 * marked (aria-checked and a filled segment), and only it is in the tab order.
 */
function ModeSwitch({ mode, onChange, disabled }: { mode: ArgsMode; onChange: (mode: ArgsMode) => void; disabled: boolean }) {
  const group = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const keys: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    let index = MODES.findIndex((item) => item.mode === mode);
    if (event.key in keys) index = (index + keys[event.key]! + MODES.length) % MODES.length;
    else if (event.key === 'Home') index = 0;
    else if (event.key === 'End') index = MODES.length - 1;
    else return;
    event.preventDefault();
    const next = MODES[index]!.mode;
    onChange(next);
    group.current?.querySelector<HTMLElement>(`[data-mode="${next}"]`)?.focus();
  };
  return (
    <div
      ref={group}
      role="radiogroup"
      aria-label="Edit the arguments as"
      data-testid="format-toggle"
      data-mode={mode}
      title={disabled ? 'This schema can only be edited as JSON' : undefined}
      onKeyDown={disabled ? undefined : onKeyDown}
      className={cn('inline-flex h-6 overflow-hidden rounded border border-line-strong text-xs', disabled && 'opacity-60')}
    >
      {MODES.map((item, index) => {
        const checked = item.mode === mode;
        return (
          <button
            key={item.mode}
            type="button"
            role="radio"
            aria-checked={checked}
            tabIndex={checked ? 0 : -1}
            disabled={disabled}
            data-mode={item.mode}
            data-testid={`format-${item.mode}`}
            onClick={() => onChange(item.mode)}
            className={cn(
              'px-2 leading-[22px] focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent/50 focus-visible:ring-inset',
              index > 0 && 'border-l border-line-strong',
              checked ? 'bg-accent font-semibold text-white dark:text-[#0b1220]' : 'text-muted hover:bg-hover hover:text-fg',
            )}
          >
            {item.label}
          </button>
        );
      })}
    </div>
  );
}
