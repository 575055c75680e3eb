// `CreateSessionRequest` is the documented, hand-written shape of `POST /api/sessions` that the browser and the CLI
// build; `urlTargetSchema` is what the server accepts. The interface stays hand-written because the schema's input
// type is deliberately loose (`url: unknown`, so lib/mcp can answer invalid_url in its own words), but the two are
// held together here: at compile time (`npm run typecheck` checks tests/) the interface must fit the schema's input,
// and at run time a request using every documented field must parse.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { urlTargetSchema, type CreateSessionRequest } from '@/lib/contract';

type UrlTargetInput = z.input<ReturnType<typeof urlTargetSchema>>;

describe('CreateSessionRequest and the schema that checks it', () => {
  it('fits the schema input at compile time', () => {
    expectTypeOf<CreateSessionRequest>().toExtend<UrlTargetInput>();
  });

  it.each<[string, CreateSessionRequest]>([
    [
      'OAuth with a pre-registered client key',
      {
        kind: 'url',
        url: 'https://a.example/mcp',
        transport: 'streamable-http',
        headers: { 'X-Api-Key': 'k' },
        auth: {
          type: 'oauth',
          scopes: ['read', 'write'],
          clientId: 'client',
          clientKey: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----',
          clientKeyAlg: 'ES256',
          grant: 'client_credentials',
          guided: true,
          tolerate: ['issuer_mismatch'],
        },
        timeouts: { connectMs: 5000, requestMs: 20000, answerMs: 60000, requestMaxMs: 120000 },
        wait: false,
      },
    ],
    [
      'OAuth, enterprise-managed',
      {
        url: 'https://a.example/mcp',
        auth: {
          type: 'oauth',
          clientId: 'client',
          grant: 'id_jag',
          idp: { tokenEndpoint: 'https://idp.example/token', idToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', clientId: 'idp-client' },
        },
      },
    ],
    ['a bearer token', { url: 'https://a.example/mcp', transport: 'sse', auth: { type: 'bearer', token: 't0k3n' } }],
  ])('accepts every documented field: %s', (_name, request) => {
    const parsed = urlTargetSchema(60_000).safeParse(request);
    expect(parsed.success ? [] : parsed.error.issues.map((issue) => issue.message)).toEqual([]);
  });
});
