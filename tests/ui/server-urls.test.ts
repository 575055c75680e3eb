// The browser's last check on URLs a server chose, rendered server-side (no DOM): a javascript: (or data:,
// relative...) URL never becomes a link or a navigation, and the "Open URL and accept" button of such an
// elicitation stays disabled with the reason shown, while declining stays possible.
import { createElement as h, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '@/lib/contract';
import { destinationAfterConnect } from '@/components/auth';
import type { PendingRequest } from '@/components/api';
import { ElicitationCard } from '@/components/pending/ElicitationCard';
import MarkdownRenderer from '@/components/tools/MarkdownRenderer';
import { ServerLink } from '@/components/ui';

const HOSTILE = [
  'javascript:fetch("/api/tokens")',
  'JAVASCRIPT:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  ' javascript:alert(1)',
  '\u0001javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'blob:http://localhost:3000/0b6a7c1e-0000-4000-8000-000000000000',
  'file:///etc/passwd',
  '/api/tokens',
  '//evil.example/x',
];

function render(element: ReactElement): string {
  return renderToStaticMarkup(h(QueryClientProvider, { client: new QueryClient() }, element));
}

/** The opening tag of the element with this test id. */
function tagOf(markup: string, testId: string): string {
  const at = markup.indexOf(`data-testid="${testId}"`);
  expect(at, `${testId} is rendered`).toBeGreaterThanOrEqual(0);
  return markup.slice(markup.lastIndexOf('<', at), markup.indexOf('>', at) + 1);
}

function urlElicitation(url: string): PendingRequest {
  return {
    requestId: 'r1',
    method: 'elicitation/create',
    params: { mode: 'url', elicitationId: 'e1', url, message: 'Sign in to continue' },
    receivedAt: 0,
    expiresAt: 60_000,
    via: 'request',
    rpcId: 1,
  } as PendingRequest;
}

describe('URL-mode elicitation card', () => {
  it.each(HOSTILE)('keeps "Open URL and accept" disabled for %j, says why, and lets the person decline', (url) => {
    const markup = render(h(ElicitationCard, { entry: urlElicitation(url) }));
    const accept = tagOf(markup, 'elicit-accept');
    expect(accept).toContain(' disabled=""');
    expect(accept).toMatch(/title="[^"]*(URL|control characters)/);
    expect(markup).toContain('data-testid="elicitation-url-refused"');
    expect(markup).toContain('Decline or cancel the request.');
    expect(tagOf(markup, 'elicit-decline')).not.toContain(' disabled=""');
    expect(tagOf(markup, 'elicit-cancel')).not.toContain(' disabled=""');
    expect(markup).not.toMatch(/href="\s*(java|data|vb|blob|file|\/)/i);
  });

  it('offers an https page to open', () => {
    const markup = render(h(ElicitationCard, { entry: urlElicitation('https://auth.example/connect?e=1') }));
    expect(tagOf(markup, 'elicit-accept')).not.toContain(' disabled=""');
    expect(markup).not.toContain('elicitation-url-refused');
    expect(markup).toContain('auth.example');
  });
});

describe('ServerLink', () => {
  it.each(HOSTILE)('renders %j as struck-through text with the reason, never as a link', (url) => {
    const markup = renderToStaticMarkup(h(ServerLink, { href: url, 'data-testid': 'link', children: 'Authorize…' }));
    expect(markup).not.toContain('<a');
    expect(markup).not.toContain('href=');
    expect(markup).toContain('Not opened:');
    expect(markup).toContain('data-refused-url=');
  });

  it('links an https URL by its normalised href', () => {
    const markup = renderToStaticMarkup(h(ServerLink, { href: 'HTTPS://Auth.Example/authorize?x=1', children: 'Authorize…' }));
    expect(markup).toBe('<a href="https://auth.example/authorize?x=1">Authorize…</a>');
  });
});

describe('destinationAfterConnect', () => {
  const summary = (authorizationUrl: string): SessionSummary => ({ id: 's1', state: 'auth_required', authorizationUrl }) as SessionSummary;

  it.each(HOSTILE)('never sends the browser to %j: the workspace shows the prompt instead', (url) => {
    expect(destinationAfterConnect(summary(url))).toEqual({ kind: 'path', path: '/inspect/s1' });
  });

  it('sends the browser to an https authorization server', () => {
    expect(destinationAfterConnect(summary('https://as.example/authorize?client_id=x'))).toEqual({
      kind: 'external',
      url: 'https://as.example/authorize?client_id=x',
      fallback: '/inspect/s1',
    });
  });
});

describe('Markdown from a server', () => {
  it('links only to https/http pages', () => {
    const markup = renderToStaticMarkup(
      h(MarkdownRenderer, {
        text: [
          '[run](javascript:fetch("/api/tokens"))',
          '[data](data:text/html,<script>alert(1)</script>)',
          '[inside](/api/tokens)',
          '[vb](vbscript:msgbox(1))',
          '[fine](https://docs.example/page)',
          '![pixel](data:image/png;base64,iVBORw0KGgo=)',
        ].join('\n\n'),
      }),
    );
    expect(markup).toContain('href="https://docs.example/page"');
    expect(markup).toContain('src="data:image/png;base64,iVBORw0KGgo="');
    expect(markup.match(/href="/g)).toHaveLength(1);
    for (const text of ['run', 'data', 'inside', 'vb']) expect(markup).toContain(`>${text}</a>`);
  });
});
