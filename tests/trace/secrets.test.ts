import { describe, expect, it } from 'vitest';
import { maskBodyText, maskSecret, maskUrl, redactHeaders, SecretSet } from '@/lib/trace';

describe('maskSecret', () => {
  it('keeps only the last 4 characters of long values', () => {
    expect(maskSecret('sk-live-0123456789abcd')).toBe('••••abcd');
    expect(maskSecret('123456789')).toBe('••••6789');
  });

  it('hides values of 8 characters or fewer entirely', () => {
    expect(maskSecret('12345678')).toBe('••••');
    expect(maskSecret('abc')).toBe('••••');
    expect(maskSecret('')).toBe('••••');
  });
});

describe('redactHeaders', () => {
  it('lower-cases names, keeps order, masks credentials and leaves other headers alone', () => {
    const out = redactHeaders({
      'Content-Type': 'application/json',
      Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.payload.sigwxyz',
      'X-API-Key': 'key-1234567890',
      'Mcp-Session-Id': 'session-abc-123',
    });
    expect(out).toEqual([
      ['content-type', 'application/json'],
      ['authorization', 'Bearer ••••wxyz'],
      ['x-api-key', '••••7890'],
      ['mcp-session-id', 'session-abc-123'],
    ]);
  });

  it('keeps the scheme of Authorization and Proxy-Authorization', () => {
    const out = redactHeaders([
      ['authorization', 'Basic dXNlcjpwYXNzd29yZA=='],
      ['proxy-authorization', 'Bearer short'],
      ['authorization', 'rawtokenwithoutscheme1234'],
    ]);
    expect(out).toEqual([
      ['authorization', 'Basic ••••ZA=='],
      ['proxy-authorization', 'Bearer ••••'],
      ['authorization', '••••1234'],
    ]);
  });

  it('masks cookie values but keeps cookie names and Set-Cookie attributes', () => {
    const out = redactHeaders([
      ['Cookie', 'sid=abcdefghijkl1234; theme=dark'],
      ['Set-Cookie', 'sid=zyxwvutsrq9876; Path=/; HttpOnly; Secure'],
    ]);
    expect(out).toEqual([
      ['cookie', 'sid=••••1234; theme=••••'],
      ['set-cookie', 'sid=••••9876; Path=/; HttpOnly; Secure'],
    ]);
  });

  it('masks every always-secret name and any extra names given, case-insensitively', () => {
    const h = new Headers();
    for (const n of ['api-key', 'x-auth-token', 'X-Custom-Secret', 'x-other']) h.set(n, 'value-0123456789');
    const out = new Map(redactHeaders(h, { secretHeaderNames: ['x-custom-SECRET'] }));
    expect(out.get('api-key')).toBe('••••6789');
    expect(out.get('x-auth-token')).toBe('••••6789');
    expect(out.get('x-custom-secret')).toBe('••••6789');
    expect(out.get('x-other')).toBe('value-0123456789');
  });

  it('learns credentials into a SecretSet when asked, and masks known secrets in other headers', () => {
    const secrets = new SecretSet();
    redactHeaders({ authorization: 'Bearer tok_ABCDEFGHIJ_9999' }, { secrets, learn: true });
    expect(secrets.has('tok_ABCDEFGHIJ_9999')).toBe(true);
    const out = redactHeaders({ 'x-echo': 'you sent tok_ABCDEFGHIJ_9999' }, { secrets });
    expect(out).toEqual([['x-echo', 'you sent ••••9999']]);
  });

  it('masks OAuth codes in a Location header', () => {
    const out = redactHeaders({ Location: 'http://localhost:3000/callback?code=authcode-123456789&state=s1' });
    expect(out).toEqual([['location', 'http://localhost:3000/callback?code=••••6789&state=s1']]);
  });
});

describe('SecretSet', () => {
  it('replaces every occurrence of every known secret, in URLs and bodies', () => {
    const secrets = new SecretSet(['supersecretvalue1', 'another-secret-2222']);
    expect(secrets.maskText('a=supersecretvalue1&b=supersecretvalue1')).toBe('a=••••lue1&b=••••lue1');
    expect(secrets.maskText('{"k":"another-secret-2222","n":1}')).toBe('{"k":"••••2222","n":1}');
    expect(secrets.maskText('nothing to see')).toBe('nothing to see');
  });

  it('ignores values shorter than 6 characters, which would mask innocent text', () => {
    const secrets = new SecretSet(['abc', '12345']);
    expect(secrets.size).toBe(0);
    expect(secrets.maskText('abc 12345')).toBe('abc 12345');
  });

  it('masks the percent-encoded and JSON-escaped spellings too', () => {
    const secrets = new SecretSet(['p@ss/word "quoted"']);
    expect(secrets.maskText('https://h/x?pw=p%40ss%2Fword%20%22quoted%22')).toBe('https://h/x?pw=••••ted"');
    expect(secrets.maskText('{"pw":"p@ss/word \\"quoted\\""}')).toBe('{"pw":"••••ted""}');
  });

  it('replaces the longest secret when one contains another', () => {
    const secrets = new SecretSet(['token-123456', 'token-123456-extended']);
    expect(secrets.maskText('x token-123456-extended y')).toBe('x ••••nded y');
  });

  it('is usable for masking URLs with known secrets', () => {
    const secrets = new SecretSet(['sk_live_ABCDEFGH1234']);
    expect(maskUrl('https://api.example.com/v1/sk_live_ABCDEFGH1234/mcp', secrets)).toBe(
      'https://api.example.com/v1/••••1234/mcp',
    );
  });
});

describe('maskUrl and maskBodyText', () => {
  it('masks credential query parameters and userinfo passwords, learning the values', () => {
    const secrets = new SecretSet();
    const out = maskUrl('https://user:hunter2pass@example.com/mcp?api_key=AKIA1234567890&page=2#frag', secrets);
    expect(out).toBe('https://user:••••pass@example.com/mcp?api_key=••••7890&page=2#frag');
    expect(secrets.has('AKIA1234567890')).toBe(true);
  });

  it('masks OAuth form bodies field by field', () => {
    const body =
      'grant_type=authorization_code&code=abcdefghijkl&code_verifier=verifier-0123456789&client_id=mcpscope&client_secret=shh-0000000000';
    expect(maskBodyText(body, 'application/x-www-form-urlencoded')).toBe(
      'grant_type=authorization_code&code=••••ijkl&code_verifier=••••6789&client_id=mcpscope&client_secret=••••0000',
    );
  });

  it('masks token fields in JSON bodies, keeping the formatting, and leaves ordinary fields alone', () => {
    const secrets = new SecretSet();
    const body = '{\n  "access_token": "at-0123456789",\n  "token_type": "Bearer",\n  "code": "print(1)"\n}';
    expect(maskBodyText(body, 'application/json', secrets)).toBe(
      '{\n  "access_token": "••••6789",\n  "token_type": "Bearer",\n  "code": "print(1)"\n}',
    );
    // Learned: the token is masked wherever it appears later.
    expect(secrets.maskText('Bearer at-0123456789')).toBe('Bearer ••••6789');
  });
});
