// RFC 6570 URI templates (all four levels): the variables a template names, and its expansion.
// Written here behind two functions so a library can replace the expansion without touching callers
// (`url-template`'s `parseTemplate(t).expand(values)` is the intended drop-in; it has no variable
// listing, which `templateVariables` keeps providing). Pure: runs in the browser and on the server.

export type TemplateOperator = '' | '+' | '#' | '.' | '/' | ';' | '?' | '&';

export interface TemplateVariable {
  name: string;
  operator: TemplateOperator;
  /** `{list*}`: a list or map value expands to one item per element. */
  explode: boolean;
  /** `{var:3}`: only the first N characters are used. */
  maxLength?: number;
}

export type TemplateValue = string | number | boolean | readonly string[] | Readonly<Record<string, string>> | null | undefined;
export type TemplateValues = Readonly<Record<string, TemplateValue>>;

interface Expression {
  operator: TemplateOperator;
  variables: TemplateVariable[];
}

type Part = string | Expression;

const OPERATORS = new Set(['+', '#', '.', '/', ';', '?', '&']);
const VARNAME = /^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*$/;

export class UriTemplateError extends Error {
  readonly code = 'invalid_template';
  constructor(message: string) {
    super(message);
    this.name = 'UriTemplateError';
  }
}

function parse(template: string): Part[] {
  const parts: Part[] = [];
  let index = 0;
  while (index < template.length) {
    const open = template.indexOf('{', index);
    if (open === -1) {
      parts.push(template.slice(index));
      break;
    }
    if (open > index) parts.push(template.slice(index, open));
    const close = template.indexOf('}', open);
    if (close === -1) throw new UriTemplateError(`The expression starting at character ${open + 1} is never closed with "}".`);
    parts.push(parseExpression(template.slice(open + 1, close)));
    index = close + 1;
  }
  return parts;
}

function parseExpression(body: string): Expression {
  let operator: TemplateOperator = '';
  let list = body;
  if (body.length > 0 && OPERATORS.has(body[0]!)) {
    operator = body[0] as TemplateOperator;
    list = body.slice(1);
  }
  if (list === '') throw new UriTemplateError(`The expression "{${body}}" names no variable.`);
  const variables = list.split(',').map((spec): TemplateVariable => {
    let name = spec.trim();
    let explode = false;
    let maxLength: number | undefined;
    if (name.endsWith('*')) {
      explode = true;
      name = name.slice(0, -1);
    } else {
      const colon = name.indexOf(':');
      if (colon !== -1) {
        const length = Number(name.slice(colon + 1));
        if (!Number.isInteger(length) || length < 1 || length > 9999) throw new UriTemplateError(`"${spec}" has an invalid prefix length.`);
        maxLength = length;
        name = name.slice(0, colon);
      }
    }
    if (!VARNAME.test(name)) throw new UriTemplateError(`"${name}" is not a valid variable name.`);
    return { name, operator, explode, ...(maxLength === undefined ? {} : { maxLength }) };
  });
  return { operator, variables };
}

/** The variables a template names, in order of first appearance (each name once). */
export function templateVariables(template: string): TemplateVariable[] {
  const seen = new Set<string>();
  const result: TemplateVariable[] = [];
  for (const part of parse(template)) {
    if (typeof part === 'string') continue;
    for (const variable of part.variables) {
      if (seen.has(variable.name)) continue;
      seen.add(variable.name);
      result.push(variable);
    }
  }
  return result;
}

/** Whether a string contains any template expression at all. */
export function isUriTemplate(text: string): boolean {
  return /\{[^{}]+\}/.test(text);
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const RESERVED = /[:/?#[\]@!$&'()*+,;=]/;

function encode(value: string, allowReserved: boolean): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    // Keep existing pct-encoded triplets when reserved characters are allowed (RFC 6570 § 3.2.3).
    if (allowReserved && char === '%' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      out += value.slice(i, i + 3);
      i += 2;
      continue;
    }
    if (UNRESERVED.test(char) || (allowReserved && RESERVED.test(char))) {
      out += char;
      continue;
    }
    const code = value.codePointAt(i)!;
    const chars = String.fromCodePoint(code);
    if (chars.length === 2) i++;
    for (const byte of new TextEncoder().encode(chars)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

interface OperatorRules {
  first: string;
  separator: string;
  named: boolean;
  ifEmpty: string;
  allowReserved: boolean;
}

const RULES: Record<TemplateOperator, OperatorRules> = {
  '': { first: '', separator: ',', named: false, ifEmpty: '', allowReserved: false },
  '+': { first: '', separator: ',', named: false, ifEmpty: '', allowReserved: true },
  '#': { first: '#', separator: ',', named: false, ifEmpty: '', allowReserved: true },
  '.': { first: '.', separator: '.', named: false, ifEmpty: '', allowReserved: false },
  '/': { first: '/', separator: '/', named: false, ifEmpty: '', allowReserved: false },
  ';': { first: ';', separator: ';', named: true, ifEmpty: '', allowReserved: false },
  '?': { first: '?', separator: '&', named: true, ifEmpty: '=', allowReserved: false },
  '&': { first: '&', separator: '&', named: true, ifEmpty: '=', allowReserved: false },
};

function isDefined(value: TemplateValue): value is Exclude<TemplateValue, null | undefined> {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function expandVariable(variable: TemplateVariable, value: Exclude<TemplateValue, null | undefined>, rules: OperatorRules): string {
  const enc = (text: string) => encode(text, rules.allowReserved);
  if (typeof value !== 'object') {
    let text = String(value);
    if (variable.maxLength !== undefined) text = [...text].slice(0, variable.maxLength).join('');
    if (!rules.named) return enc(text);
    return text === '' ? `${variable.name}${rules.ifEmpty}` : `${variable.name}=${enc(text)}`;
  }
  const pairs: Array<[string, string]> = Array.isArray(value)
    ? (value as readonly string[]).map((item) => ['', String(item)])
    : Object.entries(value as Record<string, string>).map(([key, item]) => [key, String(item)]);
  const isList = Array.isArray(value);
  if (!variable.explode) {
    const joined = pairs.map(([key, item]) => (isList ? enc(item) : `${enc(key)},${enc(item)}`)).join(',');
    return rules.named ? `${variable.name}=${joined}` : joined;
  }
  return pairs
    .map(([key, item]) => {
      if (isList) return rules.named ? (item === '' ? `${variable.name}${rules.ifEmpty}` : `${variable.name}=${enc(item)}`) : enc(item);
      return item === '' && rules.named ? `${enc(key)}${rules.ifEmpty}` : `${enc(key)}=${enc(item)}`;
    })
    .join(rules.separator);
}

/** Expands a template with the given values; undefined, null and empty lists are left out (RFC 6570 § 3.2.1). */
export function expandUriTemplate(template: string, values: TemplateValues): string {
  let out = '';
  for (const part of parse(template)) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const rules = RULES[part.operator];
    const pieces: string[] = [];
    for (const variable of part.variables) {
      const value = values[variable.name];
      if (!isDefined(value)) continue;
      pieces.push(expandVariable(variable, value, rules));
    }
    if (pieces.length > 0) out += rules.first + pieces.join(rules.separator);
  }
  return out;
}
