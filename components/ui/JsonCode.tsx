'use client';

import { Fragment, useMemo, type ReactNode } from 'react';
import { prettyJson } from './format';

const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false)\b|\b(null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
// Past this size colouring costs more than it helps; the text stays selectable and searchable either way.
const HIGHLIGHT_LIMIT = 200_000;

function highlight(text: string): ReactNode[] {
  const nodes: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const index = match.index ?? 0;
    if (index > last) nodes.push(text.slice(last, index));
    const [whole, string, colon, boolean, nil, number] = match;
    if (string !== undefined) {
      nodes.push(
        <span key={index} className={colon ? 'jv-label' : 'jv-string'}>
          {string}
        </span>,
      );
      if (colon) nodes.push(colon);
    } else if (boolean !== undefined) {
      nodes.push(
        <span key={index} className="jv-boolean">
          {boolean}
        </span>,
      );
    } else if (nil !== undefined) {
      nodes.push(
        <span key={index} className="jv-null">
          {nil}
        </span>,
      );
    } else if (number !== undefined) {
      nodes.push(
        <span key={index} className="jv-number">
          {number}
        </span>,
      );
    } else {
      nodes.push(whole);
    }
    last = index + whole.length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

/** Pretty-printed JSON (2-space indent) with light syntax colouring: reads and copies like the wire text. */
export function JsonCode({ value, className }: { value: unknown; className?: string }) {
  const text = useMemo(() => prettyJson(value), [value]);
  const nodes = useMemo(() => (text.length > HIGHLIGHT_LIMIT ? [text] : highlight(text)), [text]);
  return (
    <pre className={`font-mono text-xs leading-[1.45] break-words whitespace-pre-wrap ${className ?? ''}`} data-testid="json-code">
      {nodes.map((node, index) => (
        <Fragment key={index}>{node}</Fragment>
      ))}
    </pre>
  );
}
