// A finding that says only "fetch failed" names nothing a person can act on: the cause under it does.
import { describe, expect, it } from 'vitest';
import { describeSdkReport } from '@/lib/mcp';
import { SecretSet } from '@/lib/trace';

const secrets = new SecretSet();
const fetchFailed = (code: string, message = `connect ${code} 127.0.0.1:9`) =>
  Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });

describe('describeSdkReport names the cause of "fetch failed"', () => {
  it.each([
    ['ECONNREFUSED', 'connection_refused', /Connection refused by 127\.0\.0\.1:9/],
    ['ENOTFOUND', 'host_not_found', /could not be found \(DNS lookup failed\)/],
    ['CERT_HAS_EXPIRED', 'tls_error', /TLS \(https\) handshake .* failed/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls_error', /TLS/],
    ['ECONNRESET', 'network_error', /closed the connection unexpectedly/],
  ])('%s → %s', (code, expected, words) => {
    const report = describeSdkReport(fetchFailed(code), { secrets, streamUrl: 'http://127.0.0.1:9/mcp' });
    expect(report?.code).toBe(expected);
    expect(report?.message).toMatch(words);
    expect(report?.message).not.toMatch(/: fetch failed$/);
  });

  it('finds the network failure under an SDK error that wraps it', () => {
    const wrapped = new Error('Error POSTing to endpoint: fetch failed', { cause: fetchFailed('ECONNREFUSED') });
    expect(describeSdkReport(wrapped, { secrets, streamUrl: 'http://127.0.0.1:9/mcp' })).toMatchObject({ code: 'connection_refused' });
  });

  it('keeps other client errors as they are', () => {
    expect(describeSdkReport(new Error('Unexpected token'), { secrets })).toMatchObject({
      code: 'client_error',
      message: 'The MCP client reported: Unexpected token',
    });
  });
});
