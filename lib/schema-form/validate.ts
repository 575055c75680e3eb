import { customizeValidator } from '@rjsf/validator-ajv8';
import type { ErrorObject } from 'ajv';
import { CfworkerAjv } from './cfworker-ajv';
import { normalizeSchema } from './normalize';
import type { JsonSchema, SchemaValidation } from './types';

/**
 * The one validator the form and every check share, in the browser and on the server: rjsf's validator over
 * @cfworker/json-schema in Ajv's clothes (lib/schema-form/cfworker-ajv.ts), which interprets schemas instead of
 * compiling them into code: no eval under the Content-Security-Policy, and no server's schema turned into code
 * on mcpscope's origin. Unknown keywords and formats from real-world schemas are tolerated.
 */
export const formValidator = customizeValidator({ AjvClass: CfworkerAjv as unknown as NonNullable<Parameters<typeof customizeValidator>[0]>['AjvClass'] });

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
