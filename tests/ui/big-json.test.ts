// Huge JSON results: a collapsed tree whose rows exist only for expanded containers, parsed off the main thread.
import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BIG_JSON_CHARS, initialExpanded, visibleRows } from '@/components/ui/BigJsonView';
import { ContentBlockView } from '@/components/tools/ContentBlockView';

describe('big JSON view', () => {
  const doc = {
    items: [
      { id: 1, tags: ['a', 'b'] },
      { id: 2, tags: [] },
    ],
    total: 2,
    note: null,
  };

  it('lists only the root and its children at first, each container closed', () => {
    const rows = visibleRows(doc, new Set(['']));
    expect(rows.map((row) => [row.path, row.depth, row.open, row.size])).toEqual([
      ['', 0, true, 3],
      ['/items', 1, false, 2],
      ['/total', 1, false, undefined],
      ['/note', 1, false, undefined],
    ]);
    expect(rows[1].label).toBe('"items"');
  });

  it('adds the rows of an expanded container right below it, and nothing under a closed one', () => {
    const rows = visibleRows(doc, new Set(['', '/items', '/items/0']));
    expect(rows.map((row) => row.path)).toEqual(['', '/items', '/items/0', '/items/0/id', '/items/0/tags', '/items/1', '/total', '/note']);
    expect(rows.find((row) => row.path === '/items/0/tags')?.open).toBe(false);
    expect(visibleRows(doc, new Set())).toHaveLength(1);
  });

  it('opens the root at first unless it is a long list', () => {
    expect([...initialExpanded(doc)]).toEqual(['']);
    const long = Array.from({ length: 5_000 }, (_, i) => i);
    expect(initialExpanded(long).size).toBe(0);
    expect(visibleRows(long, initialExpanded(long))).toEqual([
      { path: '', depth: 0, label: undefined, value: long, size: 5_000, open: false },
    ]);
  });

  it('shows a text block over the size limit as a busy placeholder, not as the whole text', () => {
    const big = JSON.stringify({ rows: Array.from({ length: 20_000 }, (_, i) => ({ i, name: `row ${i}` })) });
    expect(big.length).toBeGreaterThan(BIG_JSON_CHARS);
    const html = renderToStaticMarkup(h(ContentBlockView, { block: { type: 'text', text: big } }));
    expect(html).toContain('aria-busy="true"');
    expect(html).toContain('data-format="json"');
    expect(html).not.toContain('row 19999');
    expect(html.length).toBeLessThan(5_000);
  });

  it('keeps small JSON on the ordinary highlighted view', () => {
    const html = renderToStaticMarkup(h(ContentBlockView, { block: { type: 'text', text: '{"a": [1, 2]}' } }));
    expect(html).toContain('data-testid="json-code"');
    expect(html).not.toContain('aria-busy');
  });
});
