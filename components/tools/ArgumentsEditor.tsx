'use client';

import dynamic from 'next/dynamic';
import { useImperativeHandle, useRef, useState, forwardRef } from 'react';
import { validateWithSchema, type PreparedSchema } from '@/lib/schema-form';
import { IconAlert, IconInfo, cn, prettyJson } from '../ui';
import { ToolForm, type ToolFormHandle } from './ToolForm';

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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
      if (!isObject(parsed)) {
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
      return isObject(data) ? data : data === undefined ? {} : undefined;
    },
    check: () => {
      if (mode === 'json' && jsonError) {
        return { ok: false, errors: [`The JSON is not valid: ${jsonError}`], overridable: false };
      }
      const data = currentValue() ?? {};
      if (!isObject(data)) return { ok: false, errors: ['Arguments must be a JSON object.'], overridable: false };
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
          if (result.status === 'invalid') return { ok: false, errors: result.errors, overridable: true };
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
        <button
          type="button"
          data-testid="format-toggle"
          data-mode={mode}
          aria-label={mode === 'form' ? 'Switch to the JSON editor' : 'Switch to the form'}
          title={prepared.ok ? 'Switch between the generated form and raw JSON' : 'This schema can only be edited as JSON'}
          disabled={!prepared.ok}
          onClick={() => switchTo(mode === 'form' ? 'json' : 'form')}
          className="inline-flex h-6 overflow-hidden rounded border border-line-strong text-xs disabled:opacity-60"
        >
          <span className={cn('px-2 leading-[22px]', mode === 'form' ? 'bg-accent-soft font-medium text-accent' : 'text-muted')}>Form</span>
          <span className={cn('border-l border-line-strong px-2 leading-[22px]', mode === 'json' ? 'bg-accent-soft font-medium text-accent' : 'text-muted')}>
            JSON
          </span>
        </button>
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
              {prepared.validatable ? 'They are still checked against the schema before sending.' : 'They are sent without a client-side check.'}
            </div>
          </div>
        </div>
      )}
      {prepared.ok && prepared.notes.length > 0 && mode === 'form' && (
        <details className="text-[11px] text-muted">
          <summary className="inline-flex cursor-pointer items-center gap-1">
            <IconInfo className="h-3 w-3" /> The schema was adjusted for the form ({prepared.notes.length})
          </summary>
          <ul className="mt-1 list-disc pl-5">
            {prepared.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </details>
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
          <JsonEditor value={jsonText} onChange={onJsonChange} ariaLabel={`Arguments for ${toolName} as JSON`} />
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
