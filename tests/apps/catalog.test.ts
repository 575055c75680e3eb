import { describe, expect, it } from 'vitest';
import { appCatalog } from '@/lib/apps';

describe('appCatalog', () => {
  it('lists ui:// resources and app-typed ones, with the tools that render them, and tool-only views', () => {
    const tools = [
      { name: 'show', _meta: { ui: { resourceUri: 'ui://a/view.html' } } },
      { name: 'legacy', _meta: { 'ui/resourceUri': 'ui://b/hidden.html' } },
      { name: 'plain' },
      { name: 'again', _meta: { ui: { resourceUri: 'ui://a/view.html' } } },
    ];
    const resources = [
      { uri: 'ui://a/view.html', name: 'view', mimeType: 'text/html;profile=mcp-app' },
      { uri: 'file:///readme.txt', name: 'readme', mimeType: 'text/plain' },
      { uri: 'https://x.example/app', name: 'typed', mimeType: 'text/html; profile=mcp-app' },
      { uri: 'ui://a/view.html', name: 'duplicate' },
      { uri: 42 },
    ];
    const catalog = appCatalog(resources, tools);
    expect(catalog.map((e) => [e.uri, e.listed, e.tools.map((t) => t.name)])).toEqual([
      ['ui://a/view.html', true, ['show', 'again']],
      ['https://x.example/app', true, []],
      ['ui://b/hidden.html', false, ['legacy']],
    ]);
    expect(catalog[0]!.name).toBe('view');
  });
});
