// The YAML frontmatter of a SKILL.md, read with a small YAML subset: `key: value` scalars (plain, single- or
// double-quoted, numbers, booleans, null), nested maps by indentation, `- item` lists, and `|` / `>` blocks. That
// covers what skills put there (name, description, license, allowed-tools, metadata). Anything else is reported
// as unreadable, and an unreadable frontmatter fails verification: a host must not load what it cannot compare.

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

export class FrontmatterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrontmatterError';
  }
}

/** The frontmatter block (between the leading `---` lines) and the body after it. */
export function splitFrontmatter(text: string): { frontmatter?: string; body: string } {
  const normalized = text.replace(/^\uFEFF/, '');
  const match = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(normalized);
  if (!match) return { body: normalized };
  return { frontmatter: match[1], body: normalized.slice(match[0].length) };
}

interface Line {
  indent: number;
  text: string;
  number: number;
}

export function parseFrontmatter(source: string): { [key: string]: YamlValue } {
  const lines: Line[] = [];
  source.split(/\r?\n/).forEach((raw, index) => {
    if (/^\s*(#.*)?$/.test(raw)) return;
    if (/^\t/.test(raw)) throw new FrontmatterError(`line ${index + 1}: tabs are not allowed for indentation`);
    lines.push({ indent: raw.length - raw.trimStart().length, text: raw.trim(), number: index + 1 });
  });
  let position = 0;

  const parseBlock = (indent: number): YamlValue => {
    const first = lines[position];
    if (!first || first.indent < indent) return null;
    return first.text.startsWith('- ') || first.text === '-' ? parseList(first.indent) : parseMap(first.indent);
  };

  const parseMap = (indent: number): { [key: string]: YamlValue } => {
    const map: { [key: string]: YamlValue } = {};
    while (position < lines.length && lines[position].indent === indent) {
      const line = lines[position];
      const match = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:#][^:]*?)\s*:(?:\s+(.*))?$/.exec(line.text);
      if (!match) throw new FrontmatterError(`line ${line.number}: expected "key: value", found "${line.text}"`);
      const key = String(scalar(match[1], line.number));
      if (Object.hasOwn(map, key)) throw new FrontmatterError(`line ${line.number}: the key "${key}" appears twice`);
      position += 1;
      const rest = match[2]?.trim();
      if (rest === undefined || rest === '') {
        map[key] = position < lines.length && lines[position].indent > indent ? parseBlock(lines[position].indent) : null;
      } else if (rest === '|' || rest === '>' || /^[|>][+-]?$/.test(rest)) {
        map[key] = blockScalar(rest, indent);
      } else {
        map[key] = scalar(rest, line.number);
      }
    }
    if (position < lines.length && lines[position].indent > indent)
      throw new FrontmatterError(`line ${lines[position].number}: unexpected indentation`);
    return map;
  };

  const parseList = (indent: number): YamlValue[] => {
    const list: YamlValue[] = [];
    while (
      position < lines.length &&
      lines[position].indent === indent &&
      (lines[position].text.startsWith('- ') || lines[position].text === '-')
    ) {
      const line = lines[position];
      const rest = line.text.slice(1).trim();
      position += 1;
      if (rest === '') list.push(position < lines.length && lines[position].indent > indent ? parseBlock(lines[position].indent) : null);
      else if (/^[^"'][^:]*:\s/.test(rest) || /^[^"'][^:]*:$/.test(rest))
        throw new FrontmatterError(`line ${line.number}: maps inside lists are not read here`);
      else list.push(scalar(rest, line.number));
    }
    return list;
  };

  const blockScalar = (marker: string, indent: number): string => {
    const collected: string[] = [];
    let blockIndent: number | undefined;
    while (position < lines.length && lines[position].indent > indent) {
      blockIndent ??= lines[position].indent;
      collected.push(' '.repeat(Math.max(0, lines[position].indent - blockIndent)) + lines[position].text);
      position += 1;
    }
    const joined = marker.startsWith('>') ? collected.join(' ') : collected.join('\n');
    return marker.endsWith('-') ? joined : `${joined}\n`;
  };

  if (lines.length === 0) return {};
  const value = parseBlock(lines[0].indent);
  if (position < lines.length) throw new FrontmatterError(`line ${lines[position].number}: could not be read`);
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new FrontmatterError('the frontmatter is not a map of keys to values');
  return value;
}

function scalar(text: string, line: number): YamlValue {
  const value = text.replace(/\s+#.*$/, '').trim();
  if (value.startsWith('"')) {
    if (!/^"(?:[^"\\]|\\.)*"$/.test(value)) throw new FrontmatterError(`line ${line}: unterminated double-quoted string`);
    return JSON.parse(value) as string;
  }
  if (value.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(value)) throw new FrontmatterError(`line ${line}: unterminated single-quoted string`);
    return value.slice(1, -1).replace(/''/g, "'");
  }
  if (/^[[{&*!%@`]/.test(value))
    throw new FrontmatterError(`line ${line}: "${value}" uses YAML this reader does not take (flow collections, anchors, tags)`);
  if (value === 'true' || value === 'false') return value === 'true';
  if (value === 'null' || value === '~') return null;
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(value)) return Number(value);
  return value;
}

/** Field-by-field differences between the parsed frontmatter and the listing's entry (deep, order-insensitive for maps). */
export function frontmatterDifferences(found: YamlValue, expected: unknown, path = ''): string[] {
  const here = path || 'frontmatter';
  if (Array.isArray(expected)) {
    if (!Array.isArray(found)) return [`${here}: expected a list, found ${JSON.stringify(found)}`];
    if (found.length !== expected.length) return [`${here}: expected ${expected.length} items, found ${found.length}`];
    return expected.flatMap((item, index) => frontmatterDifferences(found[index], item, `${here}[${index}]`));
  }
  if (expected && typeof expected === 'object') {
    if (!found || typeof found !== 'object' || Array.isArray(found)) return [`${here}: expected a map, found ${JSON.stringify(found)}`];
    const keys = new Set([...Object.keys(expected), ...Object.keys(found)]);
    return [...keys].flatMap((key) => {
      const next = path ? `${path}.${key}` : key;
      if (!Object.hasOwn(found, key)) return [`${next}: in the listing, missing from SKILL.md`];
      if (!Object.hasOwn(expected, key)) return [`${next}: in SKILL.md, missing from the listing`];
      return frontmatterDifferences(found[key], (expected as Record<string, unknown>)[key], next);
    });
  }
  return found === expected ? [] : [`${here}: the listing says ${JSON.stringify(expected)}, SKILL.md says ${JSON.stringify(found)}`];
}
