// The one rule that says which names hold credentials (lib/trace/secret-names.ts), as a table.
import { describe, expect, it } from 'vitest';
import { isSecretName, nameWords } from '@/lib/trace';

describe('nameWords', () => {
  it('splits camelCase, acronyms, snake, kebab, dots and digits, lower-cased', () => {
    expect(nameWords('apiKey')).toEqual(['api', 'key']);
    expect(nameWords('APIKey')).toEqual(['api', 'key']);
    expect(nameWords('XApiKey')).toEqual(['x', 'api', 'key']);
    expect(nameWords('x-api-key')).toEqual(['x', 'api', 'key']);
    expect(nameWords('client_secret')).toEqual(['client', 'secret']);
    expect(nameWords('auth.token2')).toEqual(['auth', 'token', '2']);
    expect(nameWords('PASSWORD')).toEqual(['password']);
  });
});

describe('isSecretName', () => {
  // Issue 12: these stayed clear in exports and shares (case-sensitive list, string values only).
  it.each([
    'secret',
    'token',
    'Password',
    'password',
    'PASSWORD',
    'sessionToken',
    'session_token',
    'access_token',
    'accessToken',
    'accesstoken',
    'refresh_token',
    'id_token',
    'client_secret',
    'clientSecret',
    'api_key',
    'apiKey',
    'APIKey',
    'apikey',
    'x-api-key',
    'X-API-KEY',
    'private_key',
    'privateKey',
    'secret_key',
    'aws_secret_access_key',
    'access_key',
    'passwd',
    'pwd',
    'db_password',
    'dbPassword',
    'userpassword',
    'password2',
    'passphrase',
    'password_hash',
    'secretValue',
    'credentials',
    'credential',
    'auth',
    'authorization',
    'Authorization',
    'cookie',
    'Set-Cookie',
    'session',
    'code_verifier',
    'client_assertion',
    'device_code',
    'authorization_code',
    'otp',
    'pin',
    'pinCode',
    'jwt',
    'connectionString',
    'registration_access_token',
  ])('%s is a credential in JSON and in parameters', (name) => {
    expect(isSecretName(name, 'json')).toBe(true);
    expect(isSecretName(name, 'param')).toBe(true);
  });

  it.each([
    // Words that merely contain a secret word.
    'keyword',
    'keywords',
    'monkey',
    'hotkey',
    'tokenizer',
    'bypass',
    'pinned',
    'spinner',
    // Plurals and counts that are data (LLM usage, schema keys).
    'keys',
    'maxTokens',
    'max_tokens',
    'inputTokens',
    'token_count',
    'tokenCount',
    // Tokens that are handles, not credentials: MCP progress, paging.
    'progressToken',
    'nextPageToken',
    'continuation_token',
    'max_token',
    // Names about a secret, not the secret: its type, endpoint, expiry, name, id, policy.
    'token_type',
    'tokenType',
    'token_endpoint',
    'token_endpoint_auth_method',
    'token_endpoint_auth_methods_supported',
    'authorization_endpoint',
    'authorization_servers',
    'expires_in',
    'refresh_token_expires_in',
    'secret_name',
    'password_policy',
    'passwordLength',
    'password_required',
    'credential_id',
    'session_id',
    'sessionId',
    'client_secret_expires_at',
    'cookie_name',
    // `key` and `code` alone, or with an ordinary qualifier, are data in JSON.
    'key',
    'primaryKey',
    'sort_key',
    'keyId',
    'code',
    'error_code',
    'state',
    'nonce',
    'name',
    'description',
  ])('%s is ordinary data in JSON', (name) => {
    expect(isSecretName(name, 'json')).toBe(false);
  });

  it('counts the conventional bare URL and form parameters there only', () => {
    for (const name of ['key', 'code', 'state', 'nonce', 'sig', 'signature', 'X-Amz-Signature', 'id_token_hint', 'KEY']) {
      expect(isSecretName(name, 'param'), name).toBe(true);
    }
    for (const name of [
      'country_code',
      'page',
      'q',
      'sort_key',
      'redirect_uri',
      'client_id',
      'scope',
      'response_type',
      'code_challenge',
      'token_type_hint',
    ]) {
      expect(isSecretName(name, 'param'), name).toBe(false);
    }
    for (const name of ['sig', 'signature', 'state']) expect(isSecretName(name, 'json'), name).toBe(false);
  });

  it('reads header names with the JSON rules', () => {
    for (const name of ['x-auth-token', 'private-token', 'x-goog-api-key', 'proxy-authorization', 'x-csrf-token'])
      expect(isSecretName(name, 'header'), name).toBe(true);
    for (const name of ['mcp-session-id', 'sec-websocket-key', 'www-authenticate', 'authentication-info', 'content-type', 'x-request-id']) {
      expect(isSecretName(name, 'header'), name).toBe(false);
    }
  });
});
