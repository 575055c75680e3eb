// The request bodies of the session API, as zod schemas: the route's input is checked against them (lib/sessions
// `parseBody`), and the types the browser builds requests with are derived from them, so the two cannot drift.
// Every complaint is a sentence that names the field and says what is expected: a person reads it in the UI.
// Browser-safe (zod only).
import * as z from 'zod';

// Ajv-style code generation (`new Function`) is forbidden by the page's CSP; zod's interpreter is enough here.
z.config({ jitless: true });

const jsonObject = (message: string) => z.record(z.string(), z.unknown(), { error: message });

/** `POST /api/sessions/:id/rpc` */
export const rpcRequestSchema = z.object(
  {
    method: z
      .string({ error: '"method" must be a non-empty string, e.g. "tools/call".' })
      .refine((method) => method.trim() !== '', '"method" must be a non-empty string, e.g. "tools/call".'),
    params: jsonObject('"params" must be a JSON object when present.').optional(),
    /** A client-chosen handle so the call can be cancelled with `POST /api/sessions/:id/cancel`. */
    callId: z
      .string({ error: '"callId" must be a non-empty string of at most 200 characters.' })
      .min(1, '"callId" must be a non-empty string of at most 200 characters.')
      .max(200, '"callId" must be a non-empty string of at most 200 characters.')
      .optional(),
  },
  { error: 'The body must be a JSON object like {"method": "tools/list"}.' },
);
export type RpcRequestBody = z.infer<typeof rpcRequestSchema>;

/** `POST /api/sessions/:id/cancel` */
export const cancelRequestSchema = z.object(
  {
    callId: z
      .string({ error: '"callId" must be the non-empty string the call was started with.' })
      .min(1, '"callId" must be the non-empty string the call was started with.'),
    // Kept short: it goes to the server in notifications/cancelled and into the log.
    reason: z
      .string({ error: '"reason" must be a string when present.' })
      .transform((reason) => reason.slice(0, 500))
      .optional(),
  },
  { error: 'The body must be a JSON object like {"callId": "..."}.' },
);
export type CancelRequestBody = z.input<typeof cancelRequestSchema>;

/** `POST /api/sessions/:id/reconnect`: empty, or `{tolerate: [check, ...]}` (the names are checked by lib/oauth). */
export const reconnectRequestSchema = z.strictObject(
  { tolerate: z.unknown().optional() },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `Unknown field "${issue.keys[0]}": reconnect takes only "tolerate".`
        : 'The body must be empty or a JSON object like {"tolerate": ["issuer_mismatch"]}.',
  },
);
export type ReconnectRequestBody = { tolerate?: string[] };

const ANSWER_SHAPE = 'The body must be {"result": {...}} or {"error": {"code": -1, "message": "..."}}.';
const ERROR_SHAPE = '"error" must be {"code": <integer>, "message": "<text>"}.';

/** `POST /api/sessions/:id/pending/:requestId` with an error: the server's request is refused with it. */
export const pendingErrorAnswerSchema = z.object(
  {
    error: z.object(
      { code: z.int({ error: ERROR_SHAPE }), message: z.string({ error: ERROR_SHAPE }), data: z.unknown().optional() },
      { error: ERROR_SHAPE },
    ),
  },
  { error: ANSWER_SHAPE },
);

/** `POST /api/sessions/:id/pending/:requestId` with a result (its shape per method: the schemas below). */
export const pendingResultAnswerSchema = z.object({ result: jsonObject('"result" must be a JSON object.') }, { error: ANSWER_SHAPE });

export type PendingAnswerBody = z.infer<typeof pendingErrorAnswerSchema> | z.infer<typeof pendingResultAnswerSchema>;

/** An elicitation's answer: what `result` must hold for `elicitation/create`. */
export const elicitationResultSchema = z.looseObject({
  action: z.enum(['accept', 'decline', 'cancel'], { error: 'An elicitation result needs "action": "accept", "decline" or "cancel".' }),
  content: jsonObject('"content" must be an object of field values.').optional(),
});

const SAMPLING_CONTENT = 'A sampling result needs "content": a content block like {"type": "text", "text": "..."} (or a list of them).';

/** A sampling answer: what `result` must hold for `sampling/createMessage`. */
export const samplingResultSchema = z.looseObject({
  role: z.enum(['assistant', 'user'], { error: 'A sampling result needs "role": "assistant".' }),
  model: z
    .string({ error: 'A sampling result needs "model": the name of the model that answered.' })
    .min(1, 'A sampling result needs "model": the name of the model that answered.'),
  content: z.union(
    [z.looseObject({ type: z.string() }), z.array(z.looseObject({ type: z.string() })).min(1, SAMPLING_CONTENT)],
    SAMPLING_CONTENT,
  ),
});

/** `PUT /api/sessions/:id/roots`; each root is checked on its own (lib/sessions), its index in the message. */
export const rootsRequestSchema = z.object(
  { roots: z.array(z.unknown(), { error: 'The body must be {"roots": [{"uri": "file:///path", "name": "..."}]}.' }) },
  { error: 'The body must be {"roots": [{"uri": "file:///path", "name": "..."}]}.' },
);
export type RootsRequestBody = { roots: Array<{ uri: string; name?: string }> };

/** `POST /api/sessions/:id/skills/load` */
export const skillLoadSchema = z.object(
  {
    uri: z.string().trim().min(1, 'The body must be {"uri": "<the skill\'s SKILL.md URI or its name>"}.'),
  },
  { error: 'The body must be {"uri": "<the skill\'s SKILL.md URI or its name>"}.' },
);

/**
 * The first problem zod found, as the sentence a person reads: the schema's own message (every field above has
 * one), or one naming the field when zod's default had to speak.
 */
export function describeRequestIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request body is not valid.';
  const custom = issue.message && !/^(Invalid input|Invalid option|Expected |Too small|Too big|Unrecognized key)/.test(issue.message);
  if (custom || issue.path.length === 0) return issue.message;
  return `"${issue.path.map(String).join('.')}": ${issue.message}.`;
}

/** The levels of `logging/setLevel` (RFC 5424 severities, as the spec lists them). */
export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;

/** `POST /api/sessions/:id/log-level` */
export const logLevelRequestSchema = z.object(
  { level: z.enum(LOG_LEVELS, { error: `"level" must be one of ${LOG_LEVELS.join(', ')}.` }) },
  { error: `"level" must be one of ${LOG_LEVELS.join(', ')}.` },
);

const SUBSCRIPTIONS = '"filter.resourceSubscriptions" must be a list of resource URIs.';
const LISTEN_SHAPE = 'The body must be {"filter": {"toolsListChanged": true, "resourceSubscriptions": ["uri"], ...}}.';
const flag = (name: string) => z.boolean({ error: `"filter.${name}" must be true or false.` }).optional();

/** `POST /api/sessions/:id/listen` (2026-07-28 `subscriptions/listen`). */
export const listenRequestSchema = z.object(
  {
    filter: z.object(
      {
        toolsListChanged: flag('toolsListChanged'),
        promptsListChanged: flag('promptsListChanged'),
        resourcesListChanged: flag('resourcesListChanged'),
        resourceSubscriptions: z.array(z.string().min(1, SUBSCRIPTIONS), { error: SUBSCRIPTIONS }).optional(),
      },
      { error: LISTEN_SHAPE },
    ),
  },
  { error: LISTEN_SHAPE },
);
export type ListenRequestBody = z.input<typeof listenRequestSchema>;

const GUIDED_STEPS = ['discovery', 'client', 'authorize', 'token', 'connect'] as const;
const nullableText = (key: string) =>
  z
    .string({ error: `"settings.${key}" must be a string or null.` })
    .trim()
    .nullable()
    .optional();

/**
 * `POST /api/sessions/:id/auth/guided`: run one step, with settings changed first. Scope names and `tolerate`
 * entries are checked further by lib/sessions (RFC 6749 scope syntax, the known checks).
 */
export const guidedStepRequestSchema = z.object(
  {
    step: z.enum(GUIDED_STEPS, { error: `"step" must be one of ${GUIDED_STEPS.join(', ')}.` }),
    settings: z
      .object(
        {
          // jwt_bearer and id_jag need an assertion or an identity provider, given when connecting, not here.
          grant: z
            .enum(['authorization_code', 'client_credentials'], {
              error:
                '"settings.grant" must be authorization_code or client_credentials (jwt_bearer and id_jag are chosen when connecting).',
            })
            .optional(),
          clientId: nullableText('clientId'),
          /** Omitted: keep the current secret. Empty string or null: none. */
          clientSecret: nullableText('clientSecret'),
          clientMetadataUrl: nullableText('clientMetadataUrl'),
          scopes: z.unknown().optional(),
          /** "Continue anyway for this session" past refused identity checks (each logged as a finding). */
          tolerate: z.unknown().optional(),
        },
        { error: '"settings" must be an object.' },
      )
      .optional(),
  },
  { error: 'The body must be a JSON object like {"step": "discovery"}.' },
);
