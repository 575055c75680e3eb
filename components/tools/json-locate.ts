// Where a JSON pointer's value sits in JSON text, so schema errors can point into the JSON editor. The text is
// parsed with the editor's own JSON grammar (@codemirror/lang-json), which keeps going past syntax errors.
import { jsonLanguage } from '@codemirror/lang-json';
import type { SyntaxNode } from '@lezer/common';

export interface TextRange {
  from: number;
  to: number;
  /** 1-based line and column of `from`. */
  line: number;
  column: number;
}

const VALUE_NODES = new Set(['Object', 'Array', 'String', 'Number', 'True', 'False', 'Null']);

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

function decodeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * The range of the value at `pointer` (RFC 6901, "" for the whole document) in `text`, or of the deepest value
 * on the way that exists. Undefined when the text holds no JSON value at all.
 */
export function locatePointer(text: string, pointer: string): TextRange | undefined {
  const tree = jsonLanguage.parser.parse(text);
  let node: SyntaxNode | null = tree.topNode.firstChild;
  while (node && !VALUE_NODES.has(node.name)) node = node.nextSibling;
  if (!node) return undefined;
  let start: SyntaxNode | undefined;
  const segments = pointer === '' ? [] : pointer.split('/').slice(1).map(decodeSegment);
  for (const segment of segments) {
    let next: SyntaxNode | undefined;
    if (node.name === 'Object') {
      for (const property of children(node).filter((child) => child.name === 'Property')) {
        const name = property.getChild('PropertyName');
        if (!name) continue;
        let key: unknown;
        try {
          key = JSON.parse(text.slice(name.from, name.to));
        } catch {
          continue;
        }
        if (key !== segment) continue;
        const value = children(property).find((child) => VALUE_NODES.has(child.name));
        if (value) {
          next = value;
          start = name;
        }
      }
    } else if (node.name === 'Array') {
      const index = Number(segment);
      const items = children(node).filter((child) => VALUE_NODES.has(child.name));
      if (Number.isInteger(index) && items[index]) {
        next = items[index];
        start = undefined;
      }
    }
    if (!next) break;
    node = next;
  }
  const container = node.name === 'Object' || node.name === 'Array';
  // A value reached through a property is marked with its name ("size": 40); a nested object or list by its
  // name only, the top-level one by its opening bracket: a mark over a whole object would cover the document.
  const from = start ? start.from : node.from;
  const to = container ? (start ? start.to : node.from + 1) : node.to;
  return { from, to, ...position(text, from) };
}
