// An elicitation's `requestedSchema` (a flat object of primitives and enums, MCP § elicitation) turned into
// what the rjsf form renders well: legacy `enumNames` become titled options, multi-select arrays become
// checkbox groups, and every default stays in place so the form starts filled in.
import type { JsonSchema } from './types';
import { formValidator } from './validate';
import { isPlainObject } from './walk';

export interface ElicitationForm {
  schema: JsonSchema;
  /** rjsf uiSchema: checkbox groups for multi-selects, no built-in submit button. */
  uiSchema: Record<string, unknown>;
  /** Property names in order, for "fields the server asked for". */
  fields: string[];
}

export type PreparedElicitation = { ok: true; form: ElicitationForm } | { ok: false; reason: string };

function titledOptions(values: unknown[], titles: unknown[] | undefined): Array<{ const: unknown; title: string }> {
  return values.map((value, index) => ({
    const: value,
    title: typeof titles?.[index] === 'string' ? (titles[index] as string) : String(value),
  }));
}

function isConstOptionList(value: unknown): value is Array<{ const: unknown; title?: string }> {
  return Array.isArray(value) && value.length > 0 && value.every((option) => isPlainObject(option) && 'const' in option);
}

function prepareProperty(name: string, raw: Record<string, unknown>, uiSchema: Record<string, unknown>): JsonSchema {
  const property: JsonSchema = { ...raw };
  // Legacy titled enum (2025-06-18): enum + enumNames → oneOf of {const, title}.
  if (Array.isArray(property.enum) && Array.isArray(property.enumNames)) {
    property.oneOf = titledOptions(property.enum, property.enumNames);
    delete property.enum;
    delete property.enumNames;
  }
  if (property.type === 'array' && isPlainObject(property.items)) {
    const items: JsonSchema = { ...property.items };
    const options = isConstOptionList(items.anyOf) ? items.anyOf : isConstOptionList(items.oneOf) ? items.oneOf : undefined;
    if (options) {
      items.oneOf = options.map((option) => ({ const: option.const, title: option.title ?? String(option.const) }));
      delete items.anyOf;
      items.type ??= 'string';
    }
    if (Array.isArray(items.enum) || items.oneOf) {
      property.items = items;
      // rjsf renders an array of enum values as a multi-select only when the items are unique.
      property.uniqueItems = true;
      uiSchema[name] = { 'ui:widget': 'checkboxes' };
    }
  }
  return property;
}

/** Prepares a requested schema for the form, or says why it cannot be shown as one. */
export function prepareElicitationSchema(requestedSchema: unknown): PreparedElicitation {
  if (!isPlainObject(requestedSchema)) return { ok: false, reason: 'The server sent no requestedSchema object.' };
  if (requestedSchema.type !== undefined && requestedSchema.type !== 'object') {
    return { ok: false, reason: `requestedSchema must describe an object (its type is "${String(requestedSchema.type)}").` };
  }
  const rawProperties = isPlainObject(requestedSchema.properties) ? requestedSchema.properties : {};
  const uiSchema: Record<string, unknown> = { 'ui:submitButtonOptions': { norender: true } };
  const properties: Record<string, JsonSchema> = {};
  for (const [name, raw] of Object.entries(rawProperties)) {
    properties[name] = isPlainObject(raw) ? prepareProperty(name, raw, uiSchema) : { title: name };
  }
  const schema: JsonSchema = { ...requestedSchema, type: 'object', properties };
  delete schema.$schema;
  const { validationError } = formValidator.rawValidation(schema, {});
  if (validationError) return { ok: false, reason: `The requested schema cannot be compiled: ${validationError.message}` };
  return { ok: true, form: { schema, uiSchema, fields: Object.keys(properties) } };
}

/** The values a form starts with: each property's default, so "Accept" right away sends them. */
export function elicitationDefaults(schema: JsonSchema): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  for (const [name, property] of Object.entries(properties)) {
    if (isPlainObject(property) && property.default !== undefined) defaults[name] = property.default;
  }
  return defaults;
}
