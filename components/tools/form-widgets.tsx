'use client';

import { getDefaultRegistry } from '@rjsf/core';
import { ariaDescribedByIds, descriptionId, type RegistryWidgetsType, type RJSFSchema, type WidgetProps } from '@rjsf/utils';
import { useEffect, type ChangeEvent } from 'react';

const defaults = getDefaultRegistry<unknown, RJSFSchema>().widgets;

function hasConst(schema: RJSFSchema): boolean {
  return Object.prototype.hasOwnProperty.call(schema, 'const');
}

/**
 * A `const` field: the one value it may take, shown fixed, not as a box to type into. The form value is set to it
 * (rjsf usually does so already; a value that came from JSON mode may differ, and is corrected here).
 */
function ConstValue({ id, schema, value, onChange, disabled }: WidgetProps<unknown, RJSFSchema>) {
  const fixed = schema.const;
  const differs = JSON.stringify(value) !== JSON.stringify(fixed);
  useEffect(() => {
    if (differs && !disabled) onChange(fixed);
    // Only when the value moves away from the constant.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [differs]);
  return (
    <div className="const-value" data-testid="const-value" aria-describedby={ariaDescribedByIds(id)}>
      <output id={id} className="font-mono">
        {typeof fixed === 'string' ? fixed : JSON.stringify(fixed)}
      </output>
      <span className="const-hint">fixed by the schema</span>
    </div>
  );
}

function TextWidget(props: WidgetProps<unknown, RJSFSchema>) {
  if (hasConst(props.schema)) return <ConstValue {...props} />;
  const Default = defaults.TextWidget;
  return <Default {...props} />;
}

/**
 * A boolean as people read a checkbox: the box, its label beside it, and the help text under both (rjsf's own
 * puts the description first, on the same line: "Tick to confirm[ ] Go ahead?").
 */
function CheckboxWidget(props: WidgetProps<unknown, RJSFSchema>) {
  const {
    schema,
    uiSchema,
    options,
    id,
    value,
    disabled,
    readonly,
    label,
    hideLabel,
    autofocus,
    onBlur,
    onFocus,
    onChange,
    htmlName,
    required,
    rawErrors,
  } = props;
  if (hasConst(props.schema)) {
    return (
      <div>
        {!hideLabel && <span className="control-label">{label}</span>}
        <ConstValue {...props} />
      </div>
    );
  }
  const description = uiSchema?.['ui:widget'] === 'checkbox' ? undefined : (options.description ?? schema.description);
  return (
    <div className={`checkbox-field ${disabled || readonly ? 'disabled' : ''}`}>
      <label className="checkbox-line">
        <input
          type="checkbox"
          id={id}
          name={htmlName || id}
          checked={value === true}
          required={required && schema.const === true}
          disabled={disabled || readonly}
          autoFocus={autofocus}
          aria-invalid={rawErrors && rawErrors.length > 0 ? true : undefined}
          onChange={(event: ChangeEvent<HTMLInputElement>) => onChange(event.target.checked)}
          onBlur={(event) => onBlur(id, event.target.checked)}
          onFocus={(event) => onFocus(id, event.target.checked)}
          aria-describedby={ariaDescribedByIds(id)}
        />
        {!hideLabel && <span className="checkbox-label">{label}</span>}
      </label>
      {!hideLabel && description && (
        <p id={descriptionId(id)} className="field-description checkbox-help">
          {description}
        </p>
      )}
    </div>
  );
}

/** The widgets every form a person fills in uses (tool arguments, elicitation). */
export const FORM_WIDGETS: RegistryWidgetsType<unknown, RJSFSchema> = { TextWidget, CheckboxWidget };
