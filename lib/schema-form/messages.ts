// The validator's errors (Ajv's shape, lib/schema-form/ajv-errors.ts) in words a person can act on, each tied to
// its field. For oneOf/anyOf, only the branch the value was meant for speaks: a value written for the "circle"
// choice must not be told that another choice's `kind` "must be equal to constant".
import type { ErrorObject } from 'ajv';
import { isPlainObject } from './walk';

type Schema = Record<string, unknown>;

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  null: 'empty (null)',
};

const FORMAT_WORDS: Record<string, string> = {
  email: 'an email address',
  'idn-email': 'an email address',
  uri: 'a full URL with its scheme (https://…)',
  'uri-reference': 'a URL or a relative reference',
  iri: 'a full URL with its scheme (https://…)',
  url: 'a full URL with its scheme (https://…)',
  date: 'a date (YYYY-MM-DD)',
  'date-time': 'a date and time (e.g. 2025-01-31T12:00:00Z)',
  time: 'a time (e.g. 12:00:00Z)',
  duration: 'a duration (e.g. P1DT2H)',
  uuid: 'a UUID',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  hostname: 'a host name',
  'idn-hostname': 'a host name',
  regex: 'a regular expression',
  'json-pointer': 'a JSON pointer (/a/b)',
};

const MAX_LISTED = 8;

function show(value: unknown): string {
  if (typeof value === 'string') return `“${value}”`;
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function list(values: readonly unknown[], joiner = 'or'): string {
  const shown = values.slice(0, MAX_LISTED).map(show);
  if (values.length > MAX_LISTED) return `${shown.join(', ')}, … (${values.length} in all)`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} ${joiner} ${shown[shown.length - 1]}`;
}

function plural(count: unknown, word: string): string {
  return `${String(count)} ${word}${count === 1 ? '' : 's'}`;
}

function propertyLabel(parent: unknown, name: string): string {
  const sub = isPlainObject(parent) && isPlainObject(parent.properties) ? parent.properties[name] : undefined;
  const title = isPlainObject(sub) && typeof sub.title === 'string' && sub.title.trim() ? sub.title : name;
  return `“${title}”`;
}

function typeWords(type: unknown): string {
  const types = ([] as unknown[]).concat(type).filter((t): t is string => typeof t === 'string');
  if (types.length === 0) return 'of another type';
  const words = types.map((t) => TYPE_WORDS[t] ?? t);
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** One error in words, without the field's name (it is shown next to its field). */
export function errorInWords(error: Pick<ErrorObject, 'keyword' | 'params' | 'message'> & { parentSchema?: unknown }): string {
  const params = (error.params ?? {}) as Record<string, unknown>;
  const parent = error.parentSchema;
  switch (error.keyword) {
    case 'required':
      return `${propertyLabel(parent, String(params.missingProperty))} is required.`;
    case 'const':
      return `Must be exactly ${show(params.allowedValue)}.`;
    case 'enum':
      return Array.isArray(params.allowedValues) ? `Must be one of ${list(params.allowedValues)}.` : 'Must be one of the listed values.';
    case 'type':
      return `Must be ${typeWords(params.type)}.`;
    case 'minLength':
      return params.limit === 1 ? 'Cannot be empty.' : `Must be at least ${plural(params.limit, 'character')} long.`;
    case 'maxLength':
      return `Must be at most ${plural(params.limit, 'character')} long.`;
    case 'minimum':
      return params.comparison === '>' ? `Must be more than ${String(params.limit)}.` : `Must be at least ${String(params.limit)}.`;
    case 'exclusiveMinimum':
      return `Must be more than ${String(params.limit)}.`;
    case 'maximum':
      return params.comparison === '<' ? `Must be less than ${String(params.limit)}.` : `Must be at most ${String(params.limit)}.`;
    case 'exclusiveMaximum':
      return `Must be less than ${String(params.limit)}.`;
    case 'multipleOf':
      return `Must be a multiple of ${String(params.multipleOf)}.`;
    case 'pattern':
      return `Must match the pattern ${String(params.pattern)}.`;
    case 'format': {
      const format = String(params.format);
      return `Must be ${FORMAT_WORDS[format] ?? `in the format “${format}”`}.`;
    }
    case 'minItems':
      return `Needs at least ${plural(params.limit, 'item')}.`;
    case 'maxItems':
    case 'additionalItems':
    case 'unevaluatedItems':
      return `Can have at most ${plural(params.limit, 'item')}.`;
    case 'uniqueItems':
      return 'Every item must be different.';
    case 'minProperties':
      return `Needs at least ${plural(params.limit, 'field')}.`;
    case 'maxProperties':
      return `Can have at most ${plural(params.limit, 'field')}.`;
    case 'additionalProperties':
      return `${show(params.additionalProperty)} is not a field this schema accepts.`;
    case 'unevaluatedProperties':
      return `${show(params.unevaluatedProperty)} is not a field this schema accepts.`;
    case 'dependencies':
    case 'dependentRequired':
      return `${propertyLabel(parent, String(params.missingProperty))} is required when ${propertyLabel(parent, String(params.property))} is filled in.`;
    case 'contains':
      return typeof params.maxContains === 'number'
        ? `Can contain at most ${plural(params.maxContains, 'matching item')}.`
        : `Must contain at least ${plural(params.minContains ?? 1, 'matching item')}.`;
    case 'propertyNames':
      return `The field name ${show(params.propertyName)} is not allowed.`;
    case 'not':
      return 'This value is not allowed here.';
    case 'false schema':
      return 'No value is allowed here.';
    case 'if':
      return `Does not meet the schema's condition (its “${String(params.failingKeyword)}” rule).`;
    default:
      return error.message ? `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.` : 'Not valid.';
  }
}

/** The name a person sees for branch `index` of a oneOf/anyOf: its title, its fixed discriminator, or rjsf's "Option N". */
export function branchLabel(branch: unknown, index: number): string {
  if (isPlainObject(branch)) {
    if (typeof branch.title === 'string' && branch.title.trim()) return branch.title;
    const discriminator = discriminators(branch)[0];
    if (discriminator) return `${discriminator.name} = ${show(discriminator.value)}`;
    if (typeof branch.type === 'string') return TYPE_WORDS[branch.type] ?? branch.type;
  }
  return `Option ${index + 1}`;
}

/** Properties a branch fixes to one value (`const`, or a one-value `enum`): how a value says which branch it is for. */
function discriminators(branch: Schema): Array<{ name: string; value: unknown }> {
  if (!isPlainObject(branch.properties)) return [];
  const out: Array<{ name: string; value: unknown }> = [];
  for (const [name, sub] of Object.entries(branch.properties)) {
    if (!isPlainObject(sub)) continue;
    if ('const' in sub) out.push({ name, value: sub.const });
    else if (Array.isArray(sub.enum) && sub.enum.length === 1) out.push({ name, value: sub.enum[0] });
  }
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The branch a value was meant for: the one whose fixed discriminators it carries, else the one it fails least
 * (fewest errors), else the first. `errorCounts[i]` is how many errors branch i produced.
 */
export function chosenBranch(branches: readonly unknown[], value: unknown, errorCounts: readonly number[]): number {
  let best = 0;
  let bestScore = -Infinity;
  branches.forEach((branch, index) => {
    let score = -(errorCounts[index] ?? 0);
    if (isPlainObject(branch) && isPlainObject(value)) {
      for (const { name, value: fixed } of discriminators(branch)) {
        if (!(name in value)) continue;
        score += sameJson(value[name], fixed) ? 1000 : -1000;
      }
    }
    if (isPlainObject(branch) && typeof branch.type === 'string' && value !== undefined) {
      const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
      if (
        branch.type === actual ||
        (branch.type === 'integer' && Number.isInteger(value)) ||
        (branch.type === 'number' && actual === 'number')
      )
        score += 100;
    }
    if (score > bestScore) {
      bestScore = score;
      best = index;
    }
  });
  return best;
}

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * Rewrites the validator's errors in words (`message`), keeping Ajv's shape (rjsf places them by `instancePath`).
 * Errors of oneOf/anyOf branches the value was not meant for are dropped; the oneOf/anyOf error itself names
 * the chosen branch, or is dropped when that branch's own errors already sit on the fields inside it.
 */
export function humanizeErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  const messages = new Map<ErrorObject, string>();
  // Outermost combinators first, so an inner one inside a discarded branch is discarded with it.
  const combinators = errors
    .filter((error) => error.keyword === 'oneOf' || error.keyword === 'anyOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const combinator of combinators) {
    if (dropped.has(combinator)) continue;
    const parent = isPlainObject(combinator.parentSchema) ? combinator.parentSchema : {};
    const branches = Array.isArray(parent[combinator.keyword]) ? (parent[combinator.keyword] as unknown[]) : [];
    const base = `${combinator.schemaPath}/`;
    const branchOf = (error: ErrorObject): number | undefined => {
      if (!error.schemaPath.startsWith(base) || !isUnder(error.instancePath, combinator.instancePath)) return undefined;
      const index = Number(error.schemaPath.slice(base.length).split('/')[0]);
      return Number.isInteger(index) ? index : undefined;
    };
    const inside = errors.filter((error) => error !== combinator && !dropped.has(error) && branchOf(error) !== undefined);
    const passing = (combinator.params as { passingSchemas?: unknown }).passingSchemas;
    if (Array.isArray(passing) && passing.length >= 2) {
      messages.set(
        combinator,
        `Fits more than one choice (${passing.map((i: number) => `“${branchLabel(branches[i], i)}”`).join(' and ')}), but exactly one may match.`,
      );
      continue;
    }
    if (inside.length === 0) {
      // The branches' errors went through a $ref (their paths start elsewhere): name the choices, not one.
      const labels = branches.map((branch, i) => `“${branchLabel(branch, i)}”`);
      messages.set(combinator, `Does not fit any of the choices (${labels.join(', ')}).`);
      continue;
    }
    const counts = branches.map((_, i) => inside.filter((error) => branchOf(error) === i).length);
    const chosen = chosenBranch(branches, combinator.data, counts);
    const own = inside.filter((error) => branchOf(error) === chosen);
    for (const error of inside) if (branchOf(error) !== chosen) dropped.add(error);
    const label = branchLabel(branches[chosen], chosen);
    const atField = own.filter((error) => error.instancePath === combinator.instancePath && error.keyword !== 'required');
    if (own.length > 0 && atField.length === 0) {
      // Each problem is shown on its own field inside the chosen branch.
      dropped.add(combinator);
      continue;
    }
    const first = atField[0] ?? own[0];
    messages.set(
      combinator,
      first ? `Does not fit the choice “${label}”: ${lowerFirst(errorInWords(first))}` : `Does not fit the choice “${label}”.`,
    );
    for (const error of atField) dropped.add(error);
  }
  return errors.filter((error) => !dropped.has(error)).map((error) => ({ ...error, message: messages.get(error) ?? errorInWords(error) }));
}

function lowerFirst(text: string): string {
  // “Quoted” names and proper words keep their case; only a leading capitalised word is lowered.
  return /^[A-Z][a-z]/.test(text) ? `${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
}

/** Where an error is, for a list outside the form: `profile.name`, or "arguments" for the root. */
export function errorPlace(error: Pick<ErrorObject, 'instancePath' | 'keyword' | 'params'>): string {
  const path = error.instancePath
    ? error.instancePath
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .join('.')
    : '';
  return path || 'arguments';
}
