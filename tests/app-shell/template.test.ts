import { describe, expect, it } from 'vitest';
import { CAPTURE_ORIGIN, fillShell, fitsShell, makeShellTemplate, parseShellTemplate } from '@/lib/app-shell';

const NONCE = 'c2hlbGwtdGVzdC1ub25jZQ==';
const page = (nonce: string, origin: string) =>
  `<!DOCTYPE html><html><head><script nonce="${nonce}">theme()</script></head><body><script nonce="${nonce}">self.__next_f.push([1,"{\\"publicOrigin\\":\\"${origin}\\"}"])</script></body></html>`;

const capture = (html = page(NONCE, CAPTURE_ORIGIN)) => ({
  buildId: 'build-1',
  html,
  nonce: NONCE,
  headers: [
    ['content-type', 'text/html; charset=utf-8'],
    ['link', `</_next/static/chunks/a.css>; rel=preload; as="style"; nonce="${NONCE}"`],
    ['set-cookie', 'mcpscope_owner=someone'],
    ['content-security-policy', `script-src 'nonce-${NONCE}'`],
    ['date', 'Mon, 07 Dec 2026 14:00:00 GMT'],
  ] as Array<[string, string]>,
});

describe('the first-page template', () => {
  it('keeps no nonce, no origin and no per-request header of the page it was captured from', () => {
    const template = makeShellTemplate(capture());
    expect(template.html).not.toContain(NONCE);
    expect(template.html).not.toContain(CAPTURE_ORIGIN);
    expect(template.headers.map(([name]) => name)).toEqual(['content-type', 'link']);
    expect(JSON.stringify(template.headers)).not.toContain(NONCE);
  });

  it('fills in a fresh nonce and the public origin everywhere the captured ones were', () => {
    const template = makeShellTemplate(capture());
    const nonce = 'ZnJlc2gtbm9uY2UtZm9yLXRoaXM=';
    const filled = fillShell(template, nonce, 'http://localhost:4000');
    expect(filled.html).toBe(page(nonce, 'http://localhost:4000'));
    expect(filled.headers).toContainEqual(['link', `</_next/static/chunks/a.css>; rel=preload; as="style"; nonce="${nonce}"`]);
  });

  it('refuses a capture it could not fill in later', () => {
    expect(() => makeShellTemplate(capture('<html></html>'))).toThrow(/not an HTML document/);
    expect(() => makeShellTemplate(capture(page('other-nonce-value-here', CAPTURE_ORIGIN)))).toThrow(/nonce/);
    expect(() => makeShellTemplate(capture(page(NONCE, 'http://localhost:3000')))).toThrow(/public origin/);
    expect(() => makeShellTemplate(capture(page(NONCE, CAPTURE_ORIGIN) + '__MCPSCOPE_SHELL_NONCE__'))).toThrow(/marker/);
  });

  it('puts in the page only an origin that needs no escaping in a script, a JSON string or HTML', () => {
    expect(fitsShell('http://localhost:3000')).toBe(true);
    expect(fitsShell('https://mcpscope.example.com/team_a')).toBe(true);
    expect(fitsShell('http://[::1]:3000')).toBe(true);
    for (const hostile of [
      'http://x"</script><script>alert(1)</script>',
      "http://a'b",
      'http://a\\u0022',
      'javascript:alert(1)',
      'http://a b',
    ])
      expect(fitsShell(hostile)).toBe(false);
    const template = makeShellTemplate(capture());
    expect(() => fillShell(template, 'ZnJlc2gtbm9uY2UtZm9yLXRoaXM=', 'http://x"</script>')).toThrow(/cannot be put in the page/);
    expect(() => fillShell(template, '"><script>', 'http://localhost:3000')).toThrow(/nonce/);
  });

  it('reads back only what it wrote: another format or a damaged file is no template', () => {
    const template = makeShellTemplate(capture());
    expect(parseShellTemplate(JSON.stringify(template))).toEqual(template);
    expect(parseShellTemplate('{')).toBeUndefined();
    expect(parseShellTemplate(JSON.stringify({ ...template, format: 2 }))).toBeUndefined();
    expect(parseShellTemplate(JSON.stringify({ ...template, headers: [['a']] }))).toBeUndefined();
  });
});
