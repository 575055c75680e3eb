'use client';

import Form from '@rjsf/core';
import type { IChangeEvent } from '@rjsf/core';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { forwardRef, type KeyboardEvent } from 'react';
import { wordedFormValidator, type JsonSchema } from '@/lib/schema-form';
import { FORM_WIDGETS } from './form-widgets';

// The call button lives outside the form (it also serves JSON mode), so rjsf's own submit button is hidden.
const UI_SCHEMA: UiSchema = { 'ui:submitButtonOptions': { norender: true } };

const ignoreErrors = () => undefined;

export type ToolFormHandle = Form<unknown, RJSFSchema>;

/**
 * The rjsf form for one tool's prepared inputSchema (see lib/schema-form). Controlled by `value`.
 * Field ids keep rjsf's default `root_…` prefix: only one tool form is mounted at a time.
 */
export const ToolForm = forwardRef<
  ToolFormHandle,
  {
    schema: JsonSchema;
    value: unknown;
    onChange: (value: unknown) => void;
    liveValidate: boolean;
    disabled?: boolean;
  }
>(function ToolForm({ schema, value, onChange, liveValidate, disabled }, ref) {
  // Enter in a text field would submit the form; calling a tool is an explicit Ctrl/Cmd+Enter instead.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    if (event.key === 'Enter' && !event.metaKey && !event.ctrlKey && target.tagName === 'INPUT') event.preventDefault();
  };
  return (
    <div onKeyDown={onKeyDown} data-testid="tool-form">
      <Form<unknown, RJSFSchema>
        ref={ref}
        schema={schema as RJSFSchema}
        uiSchema={UI_SCHEMA}
        validator={wordedFormValidator}
        widgets={FORM_WIDGETS}
        formData={value}
        onChange={(event: IChangeEvent<unknown, RJSFSchema>) => onChange(event.formData)}
        className="rjsf"
        liveValidate={liveValidate ? 'onChange' : undefined}
        showErrorList={false}
        noHtml5Validate
        focusOnFirstError
        // Errors are shown next to their fields; without a handler rjsf would also log them to the console.
        onError={ignoreErrors}
        useFallbackUiForUnsupportedType
        disabled={disabled}
      />
    </div>
  );
});
