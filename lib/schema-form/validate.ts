import { customizeValidator } from '@rjsf/validator-ajv8';
import type { ErrorObject } from 'ajv';
import { InterpretingAjv } from './interpreting-ajv';
import { normalizeSchema } from './normalize';
import type { JsonSchema, SchemaValidation } from './types';

/**
 * The one validator the form and every check share: rjsf's Ajv validator (draft-07, all `ajv-formats` formats,
 * `strict: false` so unknown keywords and formats from real-world schemas are tolerated) over an interpreting
 * Ajv, which never compiles a schema into code: no eval under the Content-Security-Policy, and no server's
 * schema turned into code on mcpscope's origin (lib/schema-form/interpret.ts).
 */
export const formValidator = customizeValidator({ AjvClass: InterpretingAjv as unknown as NonNullable<Parameters<typeof customizeValidator>[0]>['AjvClass'] });

function describeAjvError(error: ErrorObject): string {
  const path = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : '(root)';
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? 'is invalid';
  if (typeof params.additionalProperty === 'string') message += ` ("${params.additionalProperty}")`;
  if (Array.isArray(params.allowedValues)) message += `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${path}: ${message}`;
}

/** Validates `value` against an already normalised schema (see `prepareToolSchema`). */
export function validateWithSchema(schema: JsonSchema, value: unknown): SchemaValidation {
  const { errors, validationError } = formValidator.rawValidation<ErrorObject>(schema, value);
  if (validationError) return { status: 'schema-error', message: validationError.message };
  if (!errors || errors.length === 0) return { status: 'valid' };
  return { status: 'invalid', errors: [...new Set(errors.map(describeAjvError))] };
}

/** Checks a tool result's `structuredContent` against the tool's `outputSchema` (any common dialect). */
export function validateStructuredContent(outputSchema: unknown, value: unknown): SchemaValidation {
  const { schema, problems } = normalizeSchema(outputSchema);
  if (problems.length > 0) return { status: 'schema-error', message: problems.join(' ') };
  return validateWithSchema(schema, value);
}
