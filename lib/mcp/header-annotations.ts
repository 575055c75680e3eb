// SEP-2243 (2026-07-28 Streamable HTTP, "Schema Extension"): a tool's inputSchema may mark properties with
// `x-mcp-header: <Name>`, and the client mirrors those arguments into `Mcp-Param-<Name>` headers. A definition
// that breaks the rules cannot be mirrored, so a client MUST exclude the tool (and SHOULD say which and why).
// The SDK applies the same rules inside its own listTools, which mcpscope does not use (it shows every tool the
// server sent, exactly); this is the check, so mcpscope can show the tool greyed with the reason and refuse to
// call it.

const KEY = 'x-mcp-header';
/** RFC 9110 §5.6.2 token: no spaces, control characters or delimiters. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** `number` is not among them: its text form is not unique, so the spec leaves it out. */
const PRIMITIVE_TYPES = new Set(['string', 'integer', 'boolean']);
/** Places a 'properties' chain does not reach: an annotation under any of them is misplaced. */
const UNREACHABLE = [
  'items',
  'prefixItems',
  'contains',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'propertyNames',
  'patternProperties',
  'dependentSchemas',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  '$defs',
  'definitions',
] as const;
/** Of those, the ones whose value maps names to subschemas. */
const NAMED_SUBSCHEMAS = new Set(['patternProperties', 'dependentSchemas', '$defs', 'definitions']);

function where(path: readonly string[]): string {
  return path.length === 0 ? 'the schema root' : `property ${path.join('.')}`;
}

/**
 * Why a tool's `x-mcp-header` declarations are invalid, or undefined when they are fine (or absent): an
 * annotation off the `properties` chain, an empty or non-token name, a non-primitive property, or a name used
 * twice regardless of case.
 */
export function headerAnnotationProblem(inputSchema: unknown): string | undefined {
  const names = new Map<string, string>();
  const visit = (node: unknown, path: string[], reachable: boolean): string | undefined => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
    const schema = node as Record<string, unknown>;
    if (KEY in schema) {
      const name = schema[KEY];
      if (!reachable || path.length === 0) {
        return `${where(path)}: x-mcp-header is only allowed on properties reached through "properties" (not under items, additionalProperties, oneOf/anyOf/allOf/not, if/then/else or definitions)`;
      }
      if (typeof name !== 'string' || name === '') return `${where(path)}: x-mcp-header must be a non-empty string`;
      if (!TOKEN.test(name))
        return `${where(path)}: x-mcp-header ${JSON.stringify(name)} is not an HTTP header name (RFC 9110 token: no spaces, control characters or delimiters)`;
      const type = typeof schema.type === 'string' ? schema.type : undefined;
      if (!type || !PRIMITIVE_TYPES.has(type))
        return `${where(path)}: x-mcp-header is only allowed on string, integer or boolean properties, not ${type ?? 'an untyped one'}`;
      const earlier = names.get(name.toLowerCase());
      if (earlier !== undefined)
        return `x-mcp-header ${JSON.stringify(name)} repeats ${JSON.stringify(earlier)} (names must be unique regardless of case)`;
      names.set(name.toLowerCase(), name);
    }
    const properties = schema.properties;
    if (properties && typeof properties === 'object' && !Array.isArray(properties)) {
      for (const [key, child] of Object.entries(properties)) {
        const problem = visit(child, [...path, key], reachable);
        if (problem) return problem;
      }
    }
    for (const keyword of UNREACHABLE) {
      const sub = schema[keyword];
      if (sub === undefined) continue;
      const branches = Array.isArray(sub)
        ? sub
        : NAMED_SUBSCHEMAS.has(keyword) && sub && typeof sub === 'object'
          ? Object.values(sub)
          : [sub];
      for (const branch of branches) {
        const problem = visit(branch, [...path, `<${keyword}>`], false);
        if (problem) return problem;
      }
    }
    return undefined;
  };
  return visit(inputSchema, [], true);
}
