// When does the form really differ from the schema? Most rewrites (a 2020-12 `$schema`, OpenAPI `nullable`,
// draft-04 bounds, `prefixItems`) say the same thing in draft-07 words: the person fills the same fields and the
// same values pass, so telling them is noise. What they should know: rules the form cannot show (it still checks
// them before the call) and values the form cannot produce.
import type { JsonSchema } from './types';
import { SCHEMA_ARRAY_KEYWORDS, SCHEMA_MAP_KEYWORDS, SINGLE_SCHEMA_KEYWORDS, escapePointerSegment, isPlainObject } from './walk';

/** Keywords rjsf does not turn into anything on screen, and how a person would call the rule. */
const UNSHOWN: ReadonlyArray<{ keywords: readonly string[]; rule: string }> = [
  { keywords: ['if', 'then', 'else'], rule: 'a condition (if/then/else)' },
  { keywords: ['not'], rule: 'an exclusion (not)' },
  { keywords: ['propertyNames'], rule: 'a rule on field names (propertyNames)' },
  { keywords: ['patternProperties'], rule: 'fields named by a pattern (patternProperties)' },
  { keywords: ['contains', 'minContains', 'maxContains'], rule: 'a rule on the list items (contains)' },
  { keywords: ['unevaluatedProperties', 'unevaluatedItems'], rule: 'a rule on unlisted fields (unevaluatedProperties/Items)' },
];

const MAX_DEPTH = 64;

function where(pointer: string): string {
  return pointer === '' ? 'the top level' : pointer;
}

/** Rules of a normalised schema the form does not show: each is still checked before a call. Pure. */
export function unshownRules(schema: JsonSchema): string[] {
  const found = new Map<string, string[]>();
  const walk = (node: unknown, pointer: string, depth: number): void => {
    if (!isPlainObject(node) || depth > MAX_DEPTH) return;
    for (const { keywords, rule } of UNSHOWN) {
      // `not: {}` is how a `false` subschema is written: nothing to explain beyond "not allowed".
      if (
        keywords.some((keyword) => keyword in node && !(keyword === 'not' && isPlainObject(node.not) && Object.keys(node.not).length === 0))
      ) {
        found.set(rule, [...(found.get(rule) ?? []), where(pointer)]);
      }
    }
    for (const keyword of SINGLE_SCHEMA_KEYWORDS) if (isPlainObject(node[keyword])) walk(node[keyword], `${pointer}/${keyword}`, depth + 1);
    for (const keyword of SCHEMA_ARRAY_KEYWORDS) {
      const value = node[keyword];
      if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${pointer}/${keyword}/${i}`, depth + 1));
    }
    for (const keyword of SCHEMA_MAP_KEYWORDS) {
      const value = node[keyword];
      if (!isPlainObject(value) || keyword === '$defs' || keyword === 'definitions') continue;
      for (const [name, sub] of Object.entries(value)) walk(sub, `${pointer}/${keyword}/${escapePointerSegment(name)}`, depth + 1);
    }
  };
  walk(schema, '', 0);
  return [...found].map(([rule, places]) => {
    const shown = [...new Set(places)];
    const at = shown.length > 3 ? `${shown.slice(0, 3).join(', ')} and ${shown.length - 3} more` : shown.join(', ');
    return `The form does not show ${rule} at ${at}; it is still checked before the call.`;
  });
}

/**
 * What a person should know about how the form differs from the tool's schema: the normaliser's real
 * differences, then the rules the form cannot show. Empty when the form is the schema. Pure.
 */
export function formDifferences(schema: JsonSchema, differences: readonly string[]): string[] {
  return [...differences, ...unshownRules(schema)];
}
