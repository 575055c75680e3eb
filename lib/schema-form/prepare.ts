import { formDifferences } from './differences';
import { normalizeSchema } from './normalize';
import type { JsonSchema, PreparedSchema } from './types';
import { formValidator } from './validate';
import { isPlainObject } from './walk';

function rootType(schema: JsonSchema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') as string | undefined;
  return undefined;
}

/**
 * Turns a tool's `inputSchema` into a schema the rjsf form can render, or explains why it cannot.
 * The result's `schema` is also what arguments are validated against before a call.
 */
export function prepareToolSchema(inputSchema: unknown): PreparedSchema {
  if (inputSchema !== undefined && inputSchema !== true && !isPlainObject(inputSchema)) {
    return {
      ok: false,
      reason: `The tool's inputSchema is not a JSON Schema object (found ${JSON.stringify(inputSchema)}).`,
      validatable: false,
    };
  }
  const { schema, notes: rewrites, differences, problems } = normalizeSchema(inputSchema ?? {});

  const type = rootType(schema);
  if (type === undefined) {
    // MCP tool arguments are always an object; an untyped root (e.g. `{}`) means "any object".
    schema.type = 'object';
  } else if (type !== 'object') {
    return {
      ok: false,
      reason: `The inputSchema's root type is "${type}", but MCP tool arguments are always a JSON object.`,
      schema,
      validatable: false,
    };
  } else if (Array.isArray(schema.type)) {
    // Arguments are always sent as an object: the `null` of a nullable root is nothing a person would send.
    schema.type = 'object';
  }

  if (problems.length > 0) {
    return { ok: false, reason: problems.join(' '), schema, validatable: false };
  }

  // Compiling once up front turns schemas Ajv rejects (bad regex, malformed keywords) into a clear reason
  // instead of a form that throws while the user types.
  const { validationError } = formValidator.rawValidation(schema, {});
  if (validationError) {
    return {
      ok: false,
      reason: `The schema cannot be compiled for validation: ${validationError.message}`,
      schema,
      validatable: false,
    };
  }
  return { ok: true, schema, notes: formDifferences(schema, differences), rewrites };
}
