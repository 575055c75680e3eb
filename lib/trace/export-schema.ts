// The shape of a session export's meta and events, as schemas: an imported file (JSON export, our HAR, a share
// document) is checked field by field before any view trusts it. A file that passed the old hand checks with
// `headers: [42]` crashed the Headers tab later; a schema says what every field must be, so that cannot happen.
// The schemas are pinned to the types in ./types (a compile error here when the two drift apart). Unknown extra
// fields are kept (a newer minor version may add some); known fields must have the right type.
import * as z from 'zod';
import type {
  ExchangePurpose,
  FindingSeverity,
  JwtSignature,
  PhaseStatus,
  ProtocolEraName,
  RpcMessageType,
  TraceEvent,
  TraceMeta,
} from './types';

// Ajv-style code generation (`new Function`) is forbidden by the page's CSP; zod's interpreter is enough here.
z.config({ jitless: true });

/** Compile-time check that a list of literals holds exactly the members of a union. */
type Exactly<List extends readonly string[], Union extends string> = [List[number]] extends [Union]
  ? [Union] extends [List[number]]
    ? List
    : never
  : never;
function literals<Union extends string>() {
  return <const List extends readonly [Union, ...Union[]]>(list: Exactly<List, Union>) => list;
}

const PURPOSES = literals<ExchangePurpose>()(['mcp', 'mcp-stream', 'oauth', 'probe', 'other']);
const PHASE_STATUSES = literals<PhaseStatus>()(['started', 'ok', 'failed', 'skipped']);
const SEVERITIES = literals<FindingSeverity>()(['info', 'warning', 'error']);
const RPC_TYPES = literals<RpcMessageType>()(['request', 'notification', 'result', 'error']);
const ERAS = literals<ProtocolEraName>()(['legacy-sse', 'stateful-2025', 'stateless-2026']);
const TRANSPORTS = literals<TraceMeta['transport']>()(['auto', 'streamable-http', 'sse', 'stdio']);
const JWT_SIGNATURE_STATES = literals<JwtSignature['state']>()(['verified', 'signed_by_mcpscope', 'not_verified']);

const count = z.number().finite().nonnegative();
const headerList = z.array(z.tuple([z.string(), z.string()]), { error: 'must be a list of [name, value] pairs of strings' });
const body = z.looseObject({
  text: z.string(),
  encoding: z.enum(['utf8', 'base64']),
  size: count,
  truncated: z.boolean(),
  dropped: z.boolean().optional(),
});
const traceError = z.looseObject({ code: z.string(), message: z.string() });
const base = { seq: z.number().int().positive(), t: z.number().finite() };

const eventSchemas = {
  'http.request': z.looseObject({
    ...base,
    kind: z.literal('http.request'),
    exchangeId: z.string(),
    phaseId: z.string().optional(),
    // A purpose this version does not know (a newer file) reads as `other`.
    purpose: z.enum(PURPOSES).catch('other'),
    method: z.string(),
    url: z.string(),
    headers: headerList,
    body: body.optional(),
  }),
  'http.response': z.looseObject({
    ...base,
    kind: z.literal('http.response'),
    exchangeId: z.string(),
    status: z.number().int(),
    statusText: z.string(),
    headers: headerList,
    ttfbMs: count,
  }),
  'http.end': z.looseObject({
    ...base,
    kind: z.literal('http.end'),
    exchangeId: z.string(),
    body: body.optional(),
    bytes: count,
    durationMs: count,
    error: traceError.optional(),
    aborted: z.boolean().optional(),
  }),
  'sse.frame': z.looseObject({
    ...base,
    kind: z.literal('sse.frame'),
    exchangeId: z.string(),
    index: z.number().int().nonnegative(),
    id: z.string().optional(),
    event: z.string().optional(),
    data: z.string().optional(),
    retry: z.number().optional(),
    comment: z.string().optional(),
    raw: z.string(),
    truncated: z.boolean().optional(),
    dropped: z.boolean().optional(),
    incomplete: z.boolean().optional(),
  }),
  rpc: z.looseObject({
    ...base,
    kind: z.literal('rpc'),
    direction: z.enum(['in', 'out']),
    type: z.enum(RPC_TYPES),
    method: z.string().optional(),
    id: z.union([z.string(), z.number()]).optional(),
    exchangeId: z.string().optional(),
    pairSeq: z.number().int().optional(),
    latencyMs: count.optional(),
    message: z.unknown().optional(),
    size: count,
    dropped: z.boolean().optional(),
  }),
  phase: z.looseObject({
    ...base,
    kind: z.literal('phase'),
    phaseId: z.string(),
    name: z.string(),
    status: z.enum(PHASE_STATUSES),
    detail: z.string().optional(),
    error: traceError.optional(),
    durationMs: count.optional(),
    parentId: z.string().optional(),
  }),
  finding: z.looseObject({
    ...base,
    kind: z.literal('finding'),
    severity: z.enum(SEVERITIES),
    code: z.string(),
    message: z.string(),
    exchangeId: z.string().optional(),
    phaseId: z.string().optional(),
    folded: z.array(z.looseObject({ method: z.string(), count, firstT: z.number(), lastT: z.number() })).optional(),
    jwt: z
      .looseObject({
        label: z.string(),
        header: z.record(z.string(), z.unknown()),
        claims: z.record(z.string(), z.unknown()),
        signature: z.looseObject({
          state: z.enum(JWT_SIGNATURE_STATES),
          alg: z.string().optional(),
          key: z.string().optional(),
          detail: z.string(),
        }),
      })
      .optional(),
  }),
  'app.message': z.looseObject({
    ...base,
    kind: z.literal('app.message'),
    direction: z.enum(['in', 'out']),
    type: z.enum(RPC_TYPES),
    method: z.string().optional(),
    id: z.union([z.string(), z.number()]).optional(),
    viewId: z.string(),
    resourceUri: z.string(),
    pairSeq: z.number().int().optional(),
    latencyMs: count.optional(),
    message: z.unknown().optional(),
    size: count,
    dropped: z.boolean().optional(),
  }),
  'stdio.line': z.looseObject({
    ...base,
    kind: z.literal('stdio.line'),
    exchangeId: z.string(),
    direction: z.enum(['in', 'out']),
    phaseId: z.string().optional(),
    size: count,
    text: z.string().optional(),
    truncated: z.boolean().optional(),
    dropped: z.boolean().optional(),
  }),
  'stdio.stderr': z.looseObject({
    ...base,
    kind: z.literal('stdio.stderr'),
    text: z.string(),
    size: count,
    truncated: z.boolean().optional(),
    dropped: z.boolean().optional(),
  }),
  'stdio.process': z.looseObject({
    ...base,
    kind: z.literal('stdio.process'),
    state: z.enum(['started', 'exited', 'failed']),
    command: z.string(),
    pid: z.number().int().optional(),
    code: z.number().int().nullable().optional(),
    signal: z.string().nullable().optional(),
    stopped: z.boolean().optional(),
    error: traceError.optional(),
    stderrTail: z.array(z.string()).optional(),
  }),
} as const;

export type TraceEventKindName = keyof typeof eventSchemas;
export const TRACE_EVENT_KINDS = Object.keys(eventSchemas) as TraceEventKindName[];

export const traceMetaSchema = z.looseObject({
  sessionId: z.string(),
  serverUrl: z.string(),
  startedAt: z.number().finite(),
  transport: z.enum(TRANSPORTS),
  era: z.enum(ERAS).optional(),
  protocolVersion: z.string().optional(),
  serverInfo: z.looseObject({ name: z.string(), version: z.string(), title: z.string().optional() }).optional(),
  capabilities: z.record(z.string(), z.unknown()).optional(),
  instructions: z.string().optional(),
});

// The schemas produce values of the log's own types.
type Parsed<K extends TraceEventKindName> = z.infer<(typeof eventSchemas)[K]>;
const eventsFit: { [K in TraceEventKindName]: (value: Parsed<K>) => Extract<TraceEvent, { kind: K }> } = {
  'http.request': (v) => v,
  'http.response': (v) => v,
  'http.end': (v) => v,
  'sse.frame': (v) => v,
  rpc: (v) => v,
  phase: (v) => v,
  finding: (v) => v,
  'app.message': (v) => v,
  'stdio.line': (v) => v,
  'stdio.stderr': (v) => v,
  'stdio.process': (v) => v,
};
const metaFits = (value: z.infer<typeof traceMetaSchema>): TraceMeta => value;
// …and name every field the types have, optional ones too (a field the schema forgot would pass unchecked).
type Unchecked<T, Shape> = Exclude<keyof T, keyof Shape>;
const everyFieldChecked: { [K in TraceEventKindName]: Unchecked<Extract<TraceEvent, { kind: K }>, (typeof eventSchemas)[K]['shape']> } & {
  meta: Unchecked<TraceMeta, (typeof traceMetaSchema)['shape']>;
} = {} as { [K in TraceEventKindName | 'meta']: never };
void eventsFit;
void metaFits;
void everyFieldChecked;

export function isTraceEventKind(kind: unknown): kind is TraceEventKindName {
  return typeof kind === 'string' && Object.hasOwn(eventSchemas, kind);
}

/** A field that is wrong, said in words: `"headers[0]" must be a list of …`. */
export interface SchemaProblem {
  path: string;
  message: string;
}

type Checked<T> = { ok: true; value: T } | { ok: false; problems: SchemaProblem[] };

function problemsOf(error: z.ZodError): SchemaProblem[] {
  return error.issues.slice(0, 3).map((issue) => ({
    path: issue.path.reduce<string>(
      (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
      '',
    ),
    message: issue.message,
  }));
}

/** Checks one event whose kind is known. */
export function checkTraceEvent(kind: TraceEventKindName, value: unknown): Checked<TraceEvent> {
  const result = eventSchemas[kind].safeParse(value);
  return result.success ? { ok: true, value: result.data as TraceEvent } : { ok: false, problems: problemsOf(result.error) };
}

export function checkTraceMeta(value: unknown): Checked<TraceMeta> {
  const result = traceMetaSchema.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsOf(result.error) };
}
