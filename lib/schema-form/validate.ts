import { customizeValidator } from '@rjsf/validator-ajv8';
import type { ErrorObject } from 'ajv';
import { CfworkerAjv, type AjvShapedValidateFunction } from './cfworker-ajv';
import { errorPlace, humanizeErrors } from './messages';
import { normalizeSchema } from './normalize';
import type { JsonSchema, SchemaValidation } from './types';

/**
 * The one validator the form and every check share, in the browser and on the server: rjsf's validator over
 * @cfworker/json-schema in Ajv's clothes (lib/schema-form/cfworker-ajv.ts), which interprets schemas instead of
 * compiling them into code: no eval under the Content-Security-Policy, and no server's schema turned into code
 * on mcpscope's origin. Unknown keywords and formats from real-world schemas are tolerated.
 */
export const formValidator = customizeValidator({
  AjvClass: CfworkerAjv as unknown as NonNullable<Parameters<typeof customizeValidator>[0]>['AjvClass'],
});

/** The validator's functions, with their errors in words (lib/schema-form/messages.ts) instead of Ajv's. */
class WordedAjv extends CfworkerAjv {
  private readonly worded = new WeakMap<AjvShapedValidateFunction, AjvShapedValidateFunction>();

  private word(inner: AjvShapedValidateFunction): AjvShapedValidateFunction {
    const known = this.worded.get(inner);
    if (known) return known;
    const fn = ((data: unknown) => {
      const valid = inner(data);
      fn.errors = inner.errors ? humanizeErrors(inner.errors) : null;
      return valid;
    }) as AjvShapedValidateFunction;
    fn.errors = null;
    fn.schema = inner.schema;
    this.worded.set(inner, fn);
    return fn;
  }

  override compile(schema: unknown): AjvShapedValidateFunction {
    return this.word(super.compile(schema));
  }

  override getSchema(key: string): AjvShapedValidateFunction | undefined {
    const inner = super.getSchema(key);
    return inner && this.word(inner);
  }
}

type AjvClassOption = NonNullable<Parameters<typeof customizeValidator>[0]>['AjvClass'];

/**
 * The validator of the forms a person fills in (tool arguments, elicitation): `formValidator` with every error
 * in words tied to its field, and only the errors of the oneOf/anyOf branch the value was meant for.
 */
export const wordedFormValidator = customizeValidator({ AjvClass: WordedAjv as unknown as AjvClassOption });

function describeAjvError(error: ErrorObject): string {
  const path = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : '(root)';
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? 'is invalid';
  if (typeof params.additionalProperty === 'string') message += ` ("${params.additionalProperty}")`;
  if (Array.isArray(params.allowedValues)) message += `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${path}: ${message}`;
}

/** Validates arguments against an already normalised schema (see `prepareToolSchema`): errors in words, each with its place. */
export function validateWithSchema(schema: JsonSchema, value: unknown): SchemaValidation {
  const { errors, validationError } = wordedFormValidator.rawValidation<ErrorObject>(schema, value);
  if (validationError) return { status: 'schema-error', message: validationError.message };
  if (!errors || errors.length === 0) return { status: 'valid' };
  return {
    status: 'invalid',
    errors: [...new Set(errors.map((error) => `${errorPlace(error)}: ${error.message ?? 'not valid'}`))],
    details: errors.map((error) => ({ pointer: error.instancePath, message: error.message ?? 'Not valid.' })),
  };
}

/** Validates a server's value (structured output) with the validator's own words, as a developer reads them. */
function validateRaw(schema: JsonSchema, value: unknown): SchemaValidation {
  const { errors, validationError } = formValidator.rawValidation<ErrorObject>(schema, value);
  if (validationError) return { status: 'schema-error', message: validationError.message };
  if (!errors || errors.length === 0) return { status: 'valid' };
  return { status: 'invalid', errors: [...new Set(errors.map(describeAjvError))] };
}

/** Checks a tool result's `structuredContent` against the tool's `outputSchema` (any common dialect). */
export function validateStructuredContent(outputSchema: unknown, value: unknown): SchemaValidation {
  const { schema, problems } = normalizeSchema(outputSchema);
  if (problems.length > 0) return { status: 'schema-error', message: problems.join(' ') };
  return validateRaw(schema, value);
}
