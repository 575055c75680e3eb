import { describe, expect, it } from 'vitest';
import { maskBodyText, maskJsonCredentials, maskSecret, maskUrl, redactHeaders, SecretSet } from '@/lib/trace';

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
  it.each<[name: string, headers: Parameters<typeof redactHeaders>[0], redacted: Array<[string, string]>]>([
    [
      'lower-cases names, keeps order, masks credentials and leaves other headers alone',
      {
        'Content-Type': 'application/json',
        Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.payload.sigwxyz',
        'X-API-Key': 'key-1234567890',
        'Mcp-Session-Id': 'session-abc-123',
      },
      [
        ['content-type', 'application/json'],
        ['authorization', 'Bearer ••••wxyz'],
        ['x-api-key', '••••7890'],
        ['mcp-session-id', 'session-abc-123'],
      ],
    ],
    [
      'keeps the scheme of Authorization and Proxy-Authorization',
      [
        ['authorization', 'Basic dXNlcjpwYXNzd29yZA=='],
        ['proxy-authorization', 'Bearer short'],
        ['authorization', 'rawtokenwithoutscheme1234'],
      ],
      [
        ['authorization', 'Basic ••••ZA=='],
        ['proxy-authorization', 'Bearer ••••'],
        ['authorization', '••••1234'],
      ],
    ],
    [
      'masks cookie values but keeps cookie names and Set-Cookie attributes',
      [
        ['Cookie', 'sid=abcdefghijkl1234; theme=dark'],
        ['Set-Cookie', 'sid=zyxwvutsrq9876; Path=/; HttpOnly; Secure'],
      ],
      [
        ['cookie', 'sid=••••1234; theme=••••'],
        ['set-cookie', 'sid=••••9876; Path=/; HttpOnly; Secure'],
      ],
    ],
  ])('%s', (_name, headers, redacted) => {
    expect(redactHeaders(headers)).toEqual(redacted);
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

  it('remembers short header values only under a secret name: a typed X-Env: prod must not mask "prod" everywhere', () => {
    const secrets = new SecretSet();
    const out = redactHeaders(
      { 'X-Env': 'prod', 'X-Api-Key': 'k123', Cookie: 'theme=dark; session=ab12; sid=0123456789' },
      { secrets, learn: true, secretHeaderNames: ['X-Env'] },
    );
    // Both headers are masked where they are...
    expect(out).toEqual([
      ['x-env', '••••'],
      ['x-api-key', '••••'],
      ['cookie', 'theme=••••; session=••••; sid=••••6789'],
    ]);
    // ...but only the secret-named short ones (and long ones) are masked wherever else they appear.
    expect(secrets.maskText('env prod, key k123, theme dark, session ab12, sid 0123456789')).toBe(
      'env prod, key ••••, theme dark, session ••••, sid ••••6789',
    );
  });

  it('masks OAuth codes and state in a Location header', () => {
    const out = redactHeaders({
      Location: 'http://localhost:3000/callback?code=authcode-123456789&state=st-0123456789abc&iss=https%3A%2F%2Fas',
    });
    expect(out).toEqual([['location', 'http://localhost:3000/callback?code=••••6789&state=••••9abc&iss=https%3A%2F%2Fas']]);
  });

  it('masks headers whose names say they are credentials, not only the well-known ones', () => {
    const out = new Map(
      redactHeaders({
        'X-Session-Token': 'sess-0123456789',
        'X-Amz-Security-Token': 'amz-0123456789',
        'X-Client-Secret': 'cs-0123456789',
        'X-Db-Password': 'pw-0123456789',
        'Mcp-Session-Id': 'session-abc-123',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZQ==',
        'X-Tokens-Used': '1234',
      }),
    );
    expect(out.get('x-session-token')).toBe('••••6789');
    expect(out.get('x-amz-security-token')).toBe('••••6789');
    expect(out.get('x-client-secret')).toBe('••••6789');
    expect(out.get('x-db-password')).toBe('••••6789');
    expect(out.get('mcp-session-id')).toBe('session-abc-123');
    expect(out.get('sec-websocket-key')).toBe('dGhlIHNhbXBsZQ==');
    expect(out.get('x-tokens-used')).toBe('1234');
  });
});

describe('SecretSet', () => {
  it('replaces every occurrence of every known secret, in URLs and bodies', () => {
    const secrets = new SecretSet(['supersecretvalue1', 'another-secret-2222']);
    expect(secrets.maskText('a=supersecretvalue1&b=supersecretvalue1')).toBe('a=••••lue1&b=••••lue1');
    expect(secrets.maskText('{"k":"another-secret-2222","n":1}')).toBe('{"k":"••••2222","n":1}');
    expect(secrets.maskText('nothing to see')).toBe('nothing to see');
  });

  it('ignores values shorter than 4 characters, which would mask innocent text everywhere', () => {
    const secrets = new SecretSet(['abc', '7', '']);
    expect(secrets.size).toBe(0);
    expect(secrets.maskText('abc 7')).toBe('abc 7');
  });

  it('masks secrets of 4 and 5 characters where they stand alone, never inside a longer word or number', () => {
    const secrets = new SecretSet(['4821', 'pw12x']);
    expect(secrets.maskText('your PIN is 4821.')).toBe('your PIN is ••••.');
    expect(secrets.maskText('{"echo":"4821","n":4821}')).toBe('{"echo":"••••","n":••••}');
    expect(secrets.maskText('/x?pin=4821&p=pw12x')).toBe('/x?pin=••••&p=••••');
    expect(secrets.maskText('148213 a4821 4821b pw12xy')).toBe('148213 a4821 4821b pw12xy');
  });

  it('does not learn masked values back', () => {
    const secrets = new SecretSet(['••••abcd', '••••']);
    expect(secrets.size).toBe(0);
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
    expect(maskUrl('https://api.example.com/v1/sk_live_ABCDEFGH1234/mcp', secrets)).toBe('https://api.example.com/v1/••••1234/mcp');
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

// Issue 12: JSON keys were matched case-sensitively from a short list, and only on string values.
describe('maskJsonCredentials: every credential key, any value type', () => {
  it('masks secret, token, Password, a numeric password and sessionToken, keeping the formatting', () => {
    const secrets = new SecretSet();
    const body = [
      '{',
      '  "secret": "s3cr3t-value-ABCD",',
      '  "token": "tok-0123456789",',
      '  "Password": "Hunter2-Password",',
      '  "password": 123456,',
      '  "sessionToken": "sess-9876543210",',
      '  "nested": {"API_KEY": "ak-55555555559999"},',
      '  "keyword": "weather", "maxTokens": 512, "token_type": "Bearer"',
      '}',
    ].join('\n');
    expect(maskJsonCredentials(body, secrets)).toBe(
      [
        '{',
        '  "secret": "••••ABCD",',
        '  "token": "••••6789",',
        '  "Password": "••••word",',
        '  "password": "••••",',
        '  "sessionToken": "••••3210",',
        '  "nested": {"API_KEY": "••••9999"},',
        '  "keyword": "weather", "maxTokens": 512, "token_type": "Bearer"',
        '}',
      ].join('\n'),
    );
    // Every value is remembered, the number as its digits.
    for (const v of ['s3cr3t-value-ABCD', 'tok-0123456789', 'Hunter2-Password', '123456', 'sess-9876543210', 'ak-55555555559999'])
      expect(secrets.has(v), v).toBe(true);
  });

  it('masks booleans and whole objects and arrays under a credential key, and learns the secrets inside', () => {
    const secrets = new SecretSet();
    const body = JSON.stringify({
      secret: true,
      credentials: { type: 'basic', username: 'alice', password: 'pw12', keys: ['k-1111', 'k-2222'] },
      apiKeys: ['ak-one-000001', 'ak-two-000002'],
      auth: null,
      token: '',
    });
    const masked = maskJsonCredentials(body, secrets);
    expect(JSON.parse(masked)).toEqual({
      secret: '••••',
      credentials: '••••',
      apiKeys: ['ak-one-000001', 'ak-two-000002'],
      auth: null,
      token: '',
    });
    // The nested password is remembered however short; the nested array under a credential key too; the
    // username and the type are not secrets by themselves.
    expect(secrets.has('pw12')).toBe(true);
    expect(secrets.has('alice')).toBe(false);
    expect(secrets.has('basic')).toBe(false);
    expect(secrets.maskText('echo: pw12')).toBe('echo: ••••');
  });

  it('masks an array of secrets under a plural credential key whole', () => {
    const secrets = new SecretSet();
    expect(maskJsonCredentials('{"secrets":["abcd1234","efgh5678"],"tokens":{"a":"x"}}', secrets)).toBe(
      '{"secrets":"••••","tokens":{"a":"x"}}',
    );
    expect(secrets.has('abcd1234')).toBe(true);
    expect(secrets.has('efgh5678')).toBe(true);
  });

  it('reads escaped keys and values, and escapes what it writes', () => {
    const secrets = new SecretSet();
    expect(maskJsonCredentials('{"pass\\u0077ord":"ab\\"cd\\\\ef\\"gh"}', secrets)).toBe('{"pass\\u0077ord":"••••f\\"gh"}');
    expect(secrets.has('ab"cd\\ef"gh')).toBe(true);
    expect(JSON.parse(maskJsonCredentials('{"token":"0123456789\\""}'))).toEqual({ token: '••••789"' });
  });

  it('masks what it can in cut or invalid JSON: a body cut inside a credential object is masked to its end', () => {
    expect(maskJsonCredentials('{"a":1,"password":"hunter2hunter2","credentials":{"x":"y", "z": [1, 2')).toBe(
      '{"a":1,"password":"••••ter2","credentials":"••••"',
    );
    expect(maskJsonCredentials('data: {"token":"tok-0123456789"}\n\n')).toBe('data: {"token":"••••6789"}\n\n');
    expect(maskJsonCredentials('{"token": oops}')).toBe('{"token": oops}');
  });

  it('leaves masked values as they are (masking twice changes nothing)', () => {
    const once = maskJsonCredentials('{"token":"tok-0123456789","password":42}');
    expect(maskJsonCredentials(once)).toBe(once);
  });

  it('does not recurse: 100,000 levels of nesting under and around credential keys cost one pass', () => {
    const deep = `${'{"secret":'.repeat(100_000)}"x"${'}'.repeat(100_000)}`;
    expect(maskJsonCredentials(deep, new SecretSet())).toBe('{"secret":"••••"}');
    const around = `${'{"a":'.repeat(100_000)}{"password":"pw-0123456789"}${'}'.repeat(100_000)}`;
    expect(maskJsonCredentials(around)).toContain('{"password":"••••6789"}');
  });

  it('remembers a short secret and masks its echo in another body, header and URL', () => {
    const secrets = new SecretSet();
    maskBodyText(
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"login","arguments":{"pin":"x","password":"8421"}}}',
      'application/json',
      secrets,
    );
    expect(maskBodyText('{"result":{"content":[{"type":"text","text":"Logged in with 8421"}]}}', 'application/json', secrets)).toBe(
      '{"result":{"content":[{"type":"text","text":"Logged in with ••••"}]}}',
    );
    expect(redactHeaders({ 'x-echo': '8421' }, { secrets })).toEqual([['x-echo', '••••']]);
    expect(maskUrl('https://h/cb?p=8421&n=18421', secrets)).toBe('https://h/cb?p=••••&n=18421');
  });
});

describe('maskUrl parameters by name pattern', () => {
  it('masks any query value whose name is a credential, in any case, and OAuth state', () => {
    const secrets = new SecretSet();
    expect(
      maskUrl(
        'https://mcp.example.com/mcp?API_KEY=ak-0123456789&apiKey=ak2-0123456789&Secret=sh-0123456789&access_token=at-0123456789&profile=dev&state=st-0123456789',
        secrets,
      ),
    ).toBe('https://mcp.example.com/mcp?API_KEY=••••6789&apiKey=••••6789&Secret=••••6789&access_token=••••6789&profile=dev&state=••••6789');
    expect(secrets.has('sh-0123456789')).toBe(true);
    expect(secrets.has('dev')).toBe(false);
  });
});

describe('maskJsonCredentials and JSON Schema', () => {
  it('keeps a tool schema whose fields are named password or token readable, and masks the call that fills them', () => {
    const list = JSON.stringify({
      tools: [
        {
          name: 'login',
          inputSchema: {
            type: 'object',
            properties: {
              user: { type: 'string' },
              password: { type: 'string', minLength: 4 },
              token: { type: 'string', format: 'password' },
              secret: true,
            },
            required: ['user', 'password'],
            $defs: { apiKey: { type: 'string' } },
          },
        },
      ],
    });
    expect(maskJsonCredentials(list)).toBe(list);
    const call = '{"name":"login","arguments":{"user":"ann","password":"pw-0123456789","properties":{"token":"tok-0123456789"}}}';
    expect(maskJsonCredentials(call)).toBe(
      '{"name":"login","arguments":{"user":"ann","password":"••••6789","properties":{"token":"••••6789"}}}',
    );
  });
});
