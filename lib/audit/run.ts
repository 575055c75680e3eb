// The server audit: an active battery of checks against a connected server, each with its result, the spec
// section and level it comes from, the exchanges that show it and how to fix it. Requests go through the
// connection (SDK level) or, for the HTTP-level checks, through the guarded fetch and the session log's recorder
// (purpose "other": the session's health and wire findings are about its own connection, not these probes).
// Tools are called only with the person's consent, per tool. Server-side only.
import type { Tool } from '@modelcontextprotocol/client';
import { isJsonObject } from '../json';
import type { ExchangeAuthorizer, McpConnection, RpcOutcome } from '../mcp';
import { createRecordingFetch, parseSseFrames, type SecretSet, type TraceLog } from '../trace';
import type { TraceEvent } from '../trace/types';
import { duplicateNames, resetSchemaValidators, toolNameProblem, toolSchemaProblem } from './schemas';
import {
  scoreOf,
  type AuditCheck,
  type AuditLevel,
  type AuditReport,
  type AuditResult,
  type PassiveFinding,
  type SpecReference,
  type ToolConsent,
} from './types';

export interface AuditOptions {
  connection: McpConnection;
  /** The server URL to send the HTTP-level probes to (the real one, not the masked one). */
  url: string;
  /** The session's headers (credentials included) for the HTTP-level probes. */
  headers: Record<string, string>;
  /**
   * An OAuth session's authorizer (the one its connection sends with): the HTTP-level probes carry its current
   * access token (refreshed as the connection's would be), so an OAuth-protected server is audited, not refused.
   */
  authorize?: ExchangeAuthorizer;
  log: TraceLog;
  secrets: SecretSet;
  /** The guarded fetch (lib/security). */
  networkFetch: typeof fetch;
  /** Tools the person allows the audit to call. */
  consent?: readonly ToolConsent[];
  /** Each probe's time limit. Default 10 s. */
  timeoutMs?: number;
  now?: () => number;
}

const SPEC = 'https://modelcontextprotocol.io/specification/2025-11-25';
const REF = {
  tool: { section: 'MCP 2025-11-25 · Server › Tools § Tool', url: `${SPEC}/server/tools#tool` },
  toolNames: { section: 'MCP 2025-11-25 · Server › Tools § Tool names', url: `${SPEC}/server/tools#tool-names` },
  outputSchema: { section: 'MCP 2025-11-25 · Server › Tools § Output schema', url: `${SPEC}/server/tools#output-schema` },
  pagination: { section: 'MCP 2025-11-25 · Utilities › Pagination', url: `${SPEC}/server/utilities/pagination` },
  ping: { section: 'MCP 2025-11-25 · Utilities › Ping § Behavior requirements', url: `${SPEC}/basic/utilities/ping#behavior-requirements` },
  errors: {
    section: 'JSON-RPC 2.0 § 5.1 Error object; MCP 2025-11-25 · Basic § Responses',
    url: 'https://www.jsonrpc.org/specification#error_object',
  },
  toolErrors: { section: 'MCP 2025-11-25 · Server › Tools § Error handling', url: `${SPEC}/server/tools#error-handling` },
  versionHeader: {
    section: 'MCP 2025-11-25 · Transports § Protocol version header',
    url: `${SPEC}/basic/transports#protocol-version-header`,
  },
  security: { section: 'MCP 2025-11-25 · Transports § Security warning (DNS rebinding)', url: `${SPEC}/basic/transports#security-warning` },
  sessions: { section: 'MCP 2025-11-25 · Transports § Session management', url: `${SPEC}/basic/transports#session-management` },
  resumability: {
    section: 'MCP 2025-11-25 · Transports § Resumability and redelivery',
    url: `${SPEC}/basic/transports#resumability-and-redelivery`,
  },
  capabilities: { section: 'MCP 2025-11-25 · Lifecycle § Capability negotiation', url: `${SPEC}/basic/lifecycle#capability-negotiation` },
  notifications: { section: 'MCP 2025-11-25 · Basic § Notifications', url: `${SPEC}/basic#notifications` },
  authorization: {
    section: 'MCP 2025-11-25 · Authorization § Authorization server discovery (RFC 9728, RFC 8414)',
    url: `${SPEC}/basic/authorization#authorization-server-discovery`,
  },
} satisfies Record<string, SpecReference>;

const FOREIGN_HOST = 'mcpscope-audit.example';
const FOREIGN_ORIGIN = 'http://mcpscope-audit.example';
const BAD_VERSION = '1999-01-01';
const AUDIT_VERSION = '2025-11-25';

type CheckBody = { result: AuditResult; detail: string[]; fix?: string };

export async function runAudit(options: AuditOptions): Promise<AuditReport> {
  const now = options.now ?? Date.now;
  const { connection, log } = options;
  const startedAt = now();
  const fromSeq = log.lastSeq + 1;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const root = log.beginPhase('audit', { detail: `server audit of ${log.meta.serverUrl}` });
  const checks: AuditCheck[] = [];
  let phaseId: string | undefined = root.id;
  const recorder = createRecordingFetch(log, {
    baseFetch: options.networkFetch,
    secrets: options.secrets,
    secretHeaderNames: Object.keys(options.headers),
    context: () => ({ ...(phaseId ? { phaseId } : {}), purpose: 'other' }),
  });
  // Above the recorder, as the engine does: the log shows the (masked) token and any refresh-and-retry.
  const authorize = options.authorize;
  const record: typeof fetch = authorize ? (input, init) => authorize(recorder)(input, init) : recorder;
  resetSchemaValidators();
  const stateful = connection.era === 'stateful-2025';
  const modern = connection.era === 'stateless-2026';
  const legacy = connection.era === 'legacy-sse';
  const serverHost = new URL(options.url).hostname.replace(/^\[|\]$/g, '');
  const loopback = serverHost === 'localhost' || serverHost === '::1' || /^127\./.test(serverHost);

  /** Runs one check as a phase; what it sent and read is its evidence. */
  const check = async (
    id: string,
    title: string,
    level: AuditLevel,
    spec: SpecReference,
    body: () => Promise<CheckBody>,
  ): Promise<AuditCheck> => {
    const phase = log.beginPhase(`audit:${id}`, { parentId: root.id, detail: title });
    phaseId = phase.id;
    const from = log.lastSeq + 1;
    let outcome: CheckBody;
    try {
      outcome = await body();
    } catch (error) {
      outcome = { result: 'fail', detail: [`the check could not complete: ${error instanceof Error ? error.message : String(error)}`] };
    }
    const events = log.events(from - 1);
    const exchangeIds = [...new Set(events.flatMap((event) => (event.kind === 'http.request' ? [event.exchangeId] : [])))];
    const seqs = events
      .filter((event) => event.kind === 'http.request' || event.kind === 'rpc')
      .map((event) => event.seq)
      .slice(0, 50);
    if (outcome.result === 'fail') {
      phase.fail({ code: `audit_${id.replace(/-/g, '_')}`, message: outcome.detail.at(-1) ?? title });
      log.finding(
        level === 'MUST' ? 'error' : 'warning',
        `audit_${id.replace(/-/g, '_')}`,
        `Audit (${level}, ${spec.section}): ${title}: ${outcome.detail.join('; ')}`,
        { phaseId: phase.id },
      );
    } else if (outcome.result === 'pass') phase.ok(outcome.detail[0]);
    else phase.skip(outcome.detail[0]);
    phaseId = root.id;
    const done: AuditCheck = {
      id,
      title,
      level,
      spec,
      result: outcome.result,
      detail: outcome.detail,
      ...(outcome.fix && outcome.result === 'fail' ? { fix: outcome.fix } : {}),
      exchangeIds,
      seqs,
    };
    checks.push(done);
    return done;
  };

  const rpc = (method: string, params?: Record<string, unknown>): Promise<RpcOutcome> => connection.request(method, params, { timeoutMs });

  // Tools: schemas and names (what was listed at connect, listed again here so the evidence is in this audit).
  let tools: Tool[] = [...connection.tools];
  await check('tool-schemas', 'Tool input and output schemas are valid JSON Schema', 'MUST', REF.tool, async () => {
    if (!connection.capabilities.tools) return { result: 'na', detail: ['the server declares no tools'] };
    try {
      tools = await connection.refreshTools();
    } catch {
      // the capability check reports a failing tools/list; the tools listed at connect are judged here
    }
    const problems = tools.flatMap((tool) =>
      (['inputSchema', 'outputSchema'] as const).flatMap((kind) => {
        const problem = toolSchemaProblem((tool as Record<string, unknown>)[kind], kind);
        return problem ? [`"${clip(tool.name, 60)}" ${problem}`] : [];
      }),
    );
    if (problems.length === 0)
      return {
        result: 'pass',
        detail: [
          `${tools.length} tool${tools.length === 1 ? '' : 's'}: every inputSchema and outputSchema is a valid, usable JSON Schema object (2020-12 unless $schema says otherwise)`,
        ],
      };
    return {
      result: 'fail',
      detail: problems.slice(0, 20),
      fix: 'Give every tool an inputSchema (and any outputSchema) that is a JSON Schema object with "type": "object", valid for its dialect (2020-12 when $schema is absent); check with a JSON Schema validator in your build.',
    };
  });
  await check('tool-names', 'Tool names follow the naming rules', 'SHOULD', REF.toolNames, async () => {
    if (!connection.capabilities.tools) return { result: 'na', detail: ['the server declares no tools'] };
    const problems = tools.flatMap((tool) => {
      const problem = toolNameProblem(tool.name);
      return problem ? [`"${clip(tool.name, 60)}" ${problem}`] : [];
    });
    for (const name of duplicateNames(tools.map((tool) => tool.name))) problems.push(`"${clip(name, 60)}" is listed more than once`);
    if (problems.length === 0)
      return { result: 'pass', detail: [`${tools.length} names: 1–128 characters of A-Z a-z 0-9 _ - ., each unique`] };
    return {
      result: 'fail',
      detail: problems.slice(0, 20),
      fix: 'Name tools with 1–128 characters from A-Z a-z 0-9 _ - . (no spaces), unique within the server.',
    };
  });

  // Pagination: every page of each declared list, cursors never repeating; a made-up cursor refused with -32602.
  await check('pagination', 'List cursors page through every item; an invalid cursor is refused', 'SHOULD', REF.pagination, async () => {
    const methods = listMethods(connection.capabilities);
    if (methods.length === 0) return { result: 'na', detail: ['the server declares nothing to list'] };
    const detail: string[] = [];
    let failed = false;
    for (const { method, key } of methods) {
      const seen = new Set<string>();
      let cursor: string | undefined;
      let items = 0;
      let pages = 0;
      for (; pages < 50; pages++) {
        const outcome = await rpc(method, cursor === undefined ? undefined : { cursor });
        if ('error' in outcome) {
          detail.push(
            `${method}${cursor ? ' (next page)' : ''} answered JSON-RPC error ${outcome.error.code}: ${clip(outcome.error.message, 120)}`,
          );
          // A first page refused is the capabilities check's matter; a next page refused breaks paging.
          if (cursor !== undefined) failed = true;
          break;
        }
        const result = isJsonObject(outcome.result) ? outcome.result : {};
        items += Array.isArray(result[key]) ? (result[key] as unknown[]).length : 0;
        cursor = typeof result.nextCursor === 'string' && result.nextCursor !== '' ? result.nextCursor : undefined;
        if (cursor === undefined) break;
        if (seen.has(cursor)) {
          detail.push(`${method} returned the cursor "${clip(cursor, 40)}" twice: paging never ends`);
          failed = true;
          break;
        }
        seen.add(cursor);
      }
      if (pages === 0 && items === 0 && detail.at(-1)?.startsWith(`${method} answered JSON-RPC error`)) continue;
      detail.push(`${method}: ${items} ${key} in ${pages + 1} page${pages === 0 ? '' : 's'}`);
      const bogus = await rpc(method, { cursor: 'mcpscope-audit-not-a-cursor' });
      if ('error' in bogus) {
        if (bogus.error.code !== -32602) {
          detail.push(`a made-up cursor was refused with ${bogus.error.code}, not -32602 (invalid params)`);
          failed = true;
        }
      } else if (seen.size > 0) {
        detail.push('a made-up cursor was accepted as if it were valid');
        failed = true;
      }
    }
    return failed
      ? {
          result: 'fail',
          detail,
          fix: 'Return an opaque nextCursor only when more items follow, never the same one twice, and answer an unknown cursor with JSON-RPC error -32602.',
        }
      : { result: 'pass', detail };
  });

  await check('ping', 'ping is answered with an empty result', 'MUST', REF.ping, async () => {
    if (modern) return { result: 'na', detail: ['2026-07-28 has no ping'] };
    const outcome = await rpc('ping');
    if ('error' in outcome)
      return {
        result: 'fail',
        detail: [`ping answered JSON-RPC error ${outcome.error.code}: ${clip(outcome.error.message, 120)}`],
        fix: 'Answer ping promptly with an empty result {}.',
      };
    if (!isJsonObject(outcome.result) || Object.keys(outcome.result).some((key) => key !== '_meta')) {
      return {
        result: 'fail',
        detail: [`ping answered ${clip(JSON.stringify(outcome.result), 120)}, not an empty result`],
        fix: 'Answer ping with an empty result {}.',
      };
    }
    return { result: 'pass', detail: ['ping answered {}'] };
  });

  await check('unknown-method', 'An unknown method is answered with -32601', 'MUST', REF.errors, async () => {
    const outcome = await rpc('mcpscope/audit-no-such-method', {});
    if (!('error' in outcome))
      return {
        result: 'fail',
        detail: [`an unknown method got a result: ${clip(JSON.stringify(outcome.result), 120)}`],
        fix: 'Answer methods you do not implement with JSON-RPC error -32601 (Method not found).',
      };
    if (outcome.error.code !== -32601)
      return {
        result: 'fail',
        detail: [`an unknown method got error ${outcome.error.code} (${clip(outcome.error.message, 100)}), not -32601`],
        fix: 'Answer methods you do not implement with JSON-RPC error -32601 (Method not found).',
      };
    return { result: 'pass', detail: [`-32601: ${clip(outcome.error.message, 100)}`] };
  });

  await check('invalid-params', 'Invalid params are answered with -32602 and a message', 'SHOULD', REF.toolErrors, async () => {
    const target = connection.capabilities.tools
      ? {
          method: 'tools/call',
          params: { name: 'mcpscope-audit-no-such-tool', arguments: {} },
          what: 'a call to a tool that does not exist',
        }
      : connection.capabilities.prompts
        ? { method: 'prompts/get', params: { name: 'mcpscope-audit-no-such-prompt' }, what: 'a prompt that does not exist' }
        : connection.capabilities.resources
          ? { method: 'resources/read', params: { uri: 42 }, what: 'resources/read with a number for uri' }
          : undefined;
    if (!target) return { result: 'na', detail: ['the server declares no tools, prompts or resources to ask wrongly'] };
    const outcome = await rpc(target.method, target.params);
    const fix =
      'Answer requests whose params are wrong (an unknown tool or prompt name, a missing or mistyped argument) with JSON-RPC error -32602 and a message saying what is wrong.';
    if (!('error' in outcome)) {
      const result = isJsonObject(outcome.result) ? outcome.result : {};
      if (target.method === 'tools/call' && result.isError === true)
        return { result: 'fail', detail: [`${target.what} was answered with a tool result (isError), not a protocol error`], fix };
      return { result: 'fail', detail: [`${target.what} got a result`], fix };
    }
    if (outcome.error.code !== -32602)
      return { result: 'fail', detail: [`${target.what} got error ${outcome.error.code}, not -32602`], fix };
    if (!outcome.error.message.trim()) return { result: 'fail', detail: [`${target.what} got -32602 with an empty message`], fix };
    return { result: 'pass', detail: [`${target.what}: -32602 "${clip(outcome.error.message, 100)}"`] };
  });

  // HTTP-level checks: the connection's own recorded request, sent again with one thing changed.
  const baseline = stateful || modern ? await baselineRequest(log, connection) : undefined;
  const send = async (
    change: (headers: Record<string, string>) => void,
    method = 'POST',
    body?: string,
  ): Promise<{ status: number; text: string; contentType: string }> => {
    const headers: Record<string, string> = { ...(baseline?.headers ?? {}), ...options.headers };
    change(headers);
    const response = await record(options.url, {
      method,
      headers,
      ...(method === 'POST' ? { body: body ?? baseline?.body(nextId()) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const contentType = response.headers.get('content-type') ?? '';
    const text = contentType.includes('event-stream') ? await readSome(response, 1_500) : await response.text();
    return { status: response.status, text, contentType };
  };

  await check(
    'protocol-version-header',
    modern
      ? 'A request whose Mcp-Method header contradicts its body is refused'
      : 'An unsupported MCP-Protocol-Version header is refused with 400',
    'MUST',
    REF.versionHeader,
    async () => {
      if (legacy || !baseline)
        return {
          result: 'na',
          detail: [legacy ? 'the legacy HTTP+SSE transport has no protocol version header' : 'no request of this connection to vary'],
        };
      const detail: string[] = [];
      let failed = false;
      const fix = modern
        ? 'Check the Mcp-Method (and Mcp-Name) headers against the JSON-RPC body and answer a mismatch with HTTP 400.'
        : 'Answer a request whose MCP-Protocol-Version header names a version you do not support with HTTP 400 Bad Request.';
      if (modern) {
        const wrong = await send((headers) => setHeader(headers, 'mcp-method', 'tools/call'));
        detail.push(`Mcp-Method: tools/call on a ${baseline.method} request: HTTP ${wrong.status}`);
        if (wrong.status !== 400) failed = true;
      } else {
        const wrong = await send((headers) => setHeader(headers, 'mcp-protocol-version', BAD_VERSION));
        detail.push(`MCP-Protocol-Version: ${BAD_VERSION}: HTTP ${wrong.status}`);
        if (wrong.status !== 400) failed = true;
        const missing = await send((headers) => deleteHeader(headers, 'mcp-protocol-version'));
        detail.push(
          `no MCP-Protocol-Version header: HTTP ${missing.status}${missing.status < 300 ? ' (accepted, as 2025-03-26: right)' : ''}`,
        );
        if (missing.status >= 300) {
          detail.push('a request without the header must be taken as 2025-03-26 (SHOULD), not refused');
        }
      }
      return failed ? { result: 'fail', detail, fix } : { result: 'pass', detail };
    },
  );

  await check('dns-rebinding', 'A foreign Host or Origin is refused on a loopback server', 'MUST', REF.security, async () => {
    if (!loopback) return { result: 'na', detail: ['the server is not on loopback'] };
    if (!baseline && !legacy) return { result: 'na', detail: ['no request of this connection to vary'] };
    if (legacy) return { result: 'na', detail: ['checked on Streamable HTTP servers only'] };
    const host = await send((headers) => setHeader(headers, 'host', FOREIGN_HOST));
    const origin = await send((headers) => setHeader(headers, 'origin', FOREIGN_ORIGIN));
    const detail = [`Host: ${FOREIGN_HOST}: HTTP ${host.status}`, `Origin: ${FOREIGN_ORIGIN}: HTTP ${origin.status}`];
    const refused = (status: number) => status === 400 || status === 403 || status === 421;
    if (refused(host.status) && refused(origin.status)) return { result: 'pass', detail };
    return {
      result: 'fail',
      detail,
      fix: 'A server on localhost must check Host and Origin (DNS rebinding): answer anything but localhost, 127.0.0.1 and [::1] with 403 (the SDKs ship validators: allowedHosts / hostHeaderValidation).',
    };
  });

  await check('session-lifecycle', 'Session ids: required, ended by DELETE, then 404', 'MUST', REF.sessions, async () => {
    if (!stateful || !connection.sessionId)
      return { result: 'na', detail: [stateful ? 'the server issues no Mcp-Session-Id' : `no sessions in this era (${connection.era})`] };
    return sessionLifecycle(options.url, { ...options.headers }, record, timeoutMs);
  });

  await check('sse-resumption', 'An event stream with event ids resumes from Last-Event-ID', 'SHOULD', REF.resumability, async () => {
    if (!stateful || !connection.sessionId) return { result: 'na', detail: ['no standing GET stream in this era'] };
    return sseResumption(options.url, { ...options.headers }, record, timeoutMs);
  });

  await check(
    'capabilities',
    'Declared capabilities are answered; undeclared ones are not pretended',
    'MUST',
    REF.capabilities,
    async () => {
      const detail: string[] = [];
      let failed = false;
      for (const { capability, method } of [
        { capability: 'tools', method: 'tools/list' },
        { capability: 'prompts', method: 'prompts/list' },
        { capability: 'resources', method: 'resources/list' },
      ]) {
        const declared = Boolean(connection.capabilities[capability]);
        const outcome = await rpc(method);
        const answered = !('error' in outcome);
        if (declared && !answered) {
          failed = true;
          detail.push(`declares ${capability} but ${method} answered error ${(outcome as { error: { code: number } }).error.code}`);
        } else
          detail.push(
            `${capability}: ${declared ? 'declared' : 'not declared'}, ${method} ${answered ? 'answered' : `refused (${(outcome as { error: { code: number } }).error.code})`}`,
          );
      }
      if (connection.capabilities.logging && !modern) {
        const outcome = await rpc('logging/setLevel', { level: 'info' });
        if ('error' in outcome) {
          failed = true;
          detail.push(`declares logging but logging/setLevel answered error ${outcome.error.code}`);
        } else detail.push('logging: declared, logging/setLevel answered');
      }
      return failed
        ? { result: 'fail', detail, fix: 'Declare exactly the capabilities you implement, and answer their methods.' }
        : { result: 'pass', detail };
    },
  );

  // Structured results: only tools the person allowed, each called once with the arguments given.
  const consent = options.consent ?? [];
  const withSchema = tools.filter((tool) => tool.outputSchema !== undefined);
  await check('structured-results', 'Structured results match their outputSchema', 'MUST', REF.outputSchema, async () => {
    if (withSchema.length === 0) return { result: 'na', detail: ['no tool declares an outputSchema'] };
    const allowed = withSchema.filter((tool) => consent.some((entry) => entry.name === tool.name));
    if (allowed.length === 0)
      return {
        result: 'consent',
        detail: [
          `${withSchema.length} tool${withSchema.length === 1 ? '' : 's'} declare an outputSchema (${withSchema
            .map((tool) => tool.name)
            .slice(0, 8)
            .join(', ')}); calling them may change the server's state, so the audit calls only those you allow`,
        ],
      };
    const { validateStructuredContent } = await import('../schema-form');
    const detail: string[] = [];
    let failed = false;
    for (const tool of allowed) {
      const args = consent.find((entry) => entry.name === tool.name)?.arguments ?? {};
      const outcome = await rpc('tools/call', { name: tool.name, arguments: args });
      if ('error' in outcome) {
        detail.push(`${tool.name}: JSON-RPC error ${outcome.error.code} (${clip(outcome.error.message, 80)}); give arguments it accepts`);
        continue;
      }
      const result = isJsonObject(outcome.result) ? outcome.result : {};
      if (result.isError === true) {
        detail.push(`${tool.name}: the tool reported an error (isError); not judged`);
        continue;
      }
      if (result.structuredContent === undefined) {
        failed = true;
        detail.push(`${tool.name}: no structuredContent although it declares an outputSchema`);
        continue;
      }
      const verdict = validateStructuredContent(tool.outputSchema, result.structuredContent);
      if (verdict.status === 'invalid') {
        failed = true;
        detail.push(`${tool.name}: structuredContent does not match the outputSchema (${verdict.errors.slice(0, 3).join('; ')})`);
      } else detail.push(`${tool.name}: structuredContent matches its outputSchema`);
    }
    return failed
      ? { result: 'fail', detail, fix: 'A tool with an outputSchema MUST return structuredContent that conforms to it.' }
      : { result: 'pass', detail };
  });

  await check('notifications', 'Notifications the server sent are well formed', 'MUST', REF.notifications, async () => {
    const problems: string[] = [];
    let count = 0;
    for (const event of log.events()) {
      if (event.kind !== 'rpc' || event.direction !== 'in' || event.type !== 'notification' || event.message === undefined) continue;
      count++;
      const problem = notificationProblem(event.message);
      if (problem && problems.length < 10) problems.push(`#${event.seq} ${problem}`);
    }
    if (count === 0) return { result: 'na', detail: ['the server sent no notification in this session'] };
    return problems.length > 0
      ? {
          result: 'fail',
          detail: problems,
          fix: 'Send notifications as {"jsonrpc": "2.0", "method": ..., "params": {...}} without an id, with the params the MCP schema gives each method.',
        }
      : { result: 'pass', detail: [`${count} notification${count === 1 ? '' : 's'}, all well formed`] };
  });

  await check('auth-metadata', 'Authorization metadata is consistent', 'MUST', REF.authorization, async () => {
    const codes = new Set([
      'resource_mismatch',
      'issuer_mismatch',
      'iss_mismatch',
      'unsafe_url',
      'missing_www_authenticate',
      'malformed_www_authenticate',
    ]);
    const used = log.events().some((event) => event.kind === 'http.request' && event.purpose === 'oauth');
    const bad = log
      .events()
      .filter((event): event is Extract<TraceEvent, { kind: 'finding' }> => event.kind === 'finding' && codes.has(event.code));
    if (!used && bad.length === 0) return { result: 'na', detail: ['the session used no OAuth'] };
    if (bad.length > 0)
      return {
        result: 'fail',
        detail: bad.slice(0, 5).map((finding) => `${finding.code}: ${clip(finding.message, 200)}`),
        fix: 'Make the protected resource metadata name this server as its resource, and the authorization server metadata carry the issuer it is published for.',
      };
    return { result: 'pass', detail: ['the OAuth discovery of this session found consistent metadata'] };
  });

  const passive: PassiveFinding[] = log
    .events()
    .filter(
      (event): event is Extract<TraceEvent, { kind: 'finding' }> =>
        event.kind === 'finding' && event.seq < fromSeq && (event.severity === 'error' || event.severity === 'warning'),
    )
    .slice(-100)
    .map((finding) => ({
      seq: finding.seq,
      severity: finding.severity as 'error' | 'warning',
      code: finding.code,
      message: finding.message,
      ...(finding.exchangeId ? { exchangeId: finding.exchangeId } : {}),
    }));
  const score = scoreOf(checks);
  const line = `${score.mustFailures} MUST failure${score.mustFailures === 1 ? '' : 's'}, ${score.shouldFailures} SHOULD failure${score.shouldFailures === 1 ? '' : 's'}, ${score.passed} passed, ${score.notApplicable} not applicable${score.needConsent ? `, ${score.needConsent} awaiting consent` : ''}`;
  if (score.mustFailures + score.shouldFailures > 0) root.fail({ code: 'audit_failures', message: line });
  else root.ok(line);
  return {
    url: log.meta.serverUrl,
    era: connection.era,
    protocolVersion: connection.protocolVersion,
    server: { name: connection.serverInfo.name, version: connection.serverInfo.version },
    checks,
    passive,
    score,
    consented: consent.map((entry) => entry.name),
    startedAt,
    durationMs: now() - startedAt,
    fromSeq,
    toSeq: log.lastSeq,
  };
}

let auditIds = 0;
function nextId(): string {
  auditIds += 1;
  return `mcpscope-audit-${auditIds}`;
}

function listMethods(capabilities: Record<string, unknown>): Array<{ method: string; key: string }> {
  return [
    ...(capabilities.tools ? [{ method: 'tools/list', key: 'tools' }] : []),
    ...(capabilities.prompts ? [{ method: 'prompts/list', key: 'prompts' }] : []),
    ...(capabilities.resources
      ? [
          { method: 'resources/list', key: 'resources' },
          { method: 'resources/templates/list', key: 'resourceTemplates' },
        ]
      : []),
  ];
}

interface Baseline {
  method: string;
  headers: Record<string, string>;
  body(id: string): string;
}

/** The protocol headers and body of a request this connection sent (credentials come from the session, unmasked). */
async function baselineRequest(log: TraceLog, connection: McpConnection): Promise<Baseline | undefined> {
  // A fresh, harmless request of the connection, so the copy carries the current session id and headers.
  const method = connection.era === 'stateless-2026' ? (connection.capabilities.tools ? 'tools/list' : 'server/discover') : 'ping';
  const before = log.lastSeq;
  await connection.request(method, undefined).catch(() => undefined);
  const request = log
    .events(before)
    .find(
      (event): event is Extract<TraceEvent, { kind: 'http.request' }> =>
        event.kind === 'http.request' && event.method === 'POST' && (event.body?.text ?? '').includes(`"${method}"`),
    );
  if (!request?.body) return undefined;
  let message: Record<string, unknown>;
  try {
    const parsed = JSON.parse(request.body.text) as unknown;
    if (!isJsonObject(parsed)) return undefined;
    message = parsed;
  } catch {
    return undefined;
  }
  const keep = /^(mcp-|accept$|content-type$)/;
  const headers = Object.fromEntries(request.headers.filter(([name, value]) => keep.test(name) && !value.includes('••')));
  return { method, headers, body: (id) => JSON.stringify({ ...message, id }) };
}

function setHeader(headers: Record<string, string>, name: string, value: string): void {
  deleteHeader(headers, name);
  headers[name] = value;
}

function deleteHeader(headers: Record<string, string>, name: string): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) delete headers[key];
}

async function readSome(response: Response, ms: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  try {
    while (Date.now() < deadline) {
      const next = await Promise.race([
        reader.read(),
        new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), Math.max(1, deadline - Date.now()))),
      ]);
      if (next === 'late' || next.done) break;
      text += decoder.decode(next.value, { stream: true });
      if (/\n\n/.test(text) && text.includes('"id"')) break;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text;
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A session of the audit's own: initialize, then without the id (400), DELETE, then with the ended id (404). */
async function sessionLifecycle(
  url: string,
  credentials: Record<string, string>,
  record: typeof fetch,
  timeoutMs: number,
): Promise<CheckBody> {
  const post = (headers: Record<string, string>, message: Record<string, unknown>) =>
    record(url, {
      method: 'POST',
      headers: { ...credentials, ...JSON_HEADERS, ...headers },
      body: JSON.stringify({ jsonrpc: '2.0', ...message }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  const drain = async (response: Response) => {
    const type = response.headers.get('content-type') ?? '';
    return type.includes('event-stream') ? readSome(response, 1_500) : response.text();
  };
  const init = await post(
    {},
    {
      id: nextId(),
      method: 'initialize',
      params: { protocolVersion: AUDIT_VERSION, capabilities: {}, clientInfo: { name: 'mcpscope-audit', version: '0.1.0' } },
    },
  );
  await drain(init);
  const sessionId = init.headers.get('mcp-session-id');
  if (!sessionId) return { result: 'na', detail: [`a fresh initialize (HTTP ${init.status}) issued no Mcp-Session-Id`] };
  const version = { 'mcp-protocol-version': AUDIT_VERSION };
  await drain(await post({ 'mcp-session-id': sessionId, ...version }, { method: 'notifications/initialized' }));
  const detail: string[] = [`initialize issued a session id (HTTP ${init.status})`];
  let failed = false;
  let shouldFailed = false;
  const withId = await post({ 'mcp-session-id': sessionId, ...version }, { id: nextId(), method: 'ping' });
  await drain(withId);
  detail.push(`ping with it: HTTP ${withId.status}`);
  const without = await post(version, { id: nextId(), method: 'ping' });
  await drain(without);
  detail.push(`ping without it: HTTP ${without.status}${without.status === 400 ? '' : ' (SHOULD be 400)'}`);
  if (without.status !== 400) shouldFailed = true;
  const ended = await record(url, {
    method: 'DELETE',
    headers: { ...credentials, 'mcp-session-id': sessionId, ...version },
    signal: AbortSignal.timeout(timeoutMs),
  });
  await ended.text().catch(() => '');
  detail.push(`DELETE: HTTP ${ended.status}`);
  if (ended.status === 405) {
    detail.push('the server does not end sessions on request (405, allowed)');
    return shouldFailed
      ? { result: 'fail', detail, fix: 'Answer a request without the Mcp-Session-Id the server requires with HTTP 400.' }
      : { result: 'pass', detail };
  }
  if (ended.status >= 300) {
    failed = true;
    detail.push('DELETE of a live session failed');
  } else {
    const after = await post({ 'mcp-session-id': sessionId, ...version }, { id: nextId(), method: 'ping' });
    await drain(after);
    detail.push(`ping with the ended session id: HTTP ${after.status}${after.status === 404 ? '' : ' (MUST be 404)'}`);
    if (after.status !== 404) failed = true;
  }
  if (failed || shouldFailed) {
    return {
      result: 'fail',
      detail,
      fix: 'After a session ends (DELETE, expiry), answer requests carrying its id with HTTP 404 Not Found, so clients start a new session; answer requests without a required session id with 400.',
    };
  }
  return { result: 'pass', detail };
}

/** Opens the standing GET stream; where its events carry ids, comes back with Last-Event-ID and expects the stream again. */
async function sseResumption(
  url: string,
  credentials: Record<string, string>,
  record: typeof fetch,
  timeoutMs: number,
): Promise<CheckBody> {
  const init = await record(url, {
    method: 'POST',
    headers: { ...credentials, ...JSON_HEADERS },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: nextId(),
      method: 'initialize',
      params: { protocolVersion: AUDIT_VERSION, capabilities: {}, clientInfo: { name: 'mcpscope-audit', version: '0.1.0' } },
    }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const initText = (init.headers.get('content-type') ?? '').includes('event-stream') ? await readSome(init, 1_500) : await init.text();
  const sessionId = init.headers.get('mcp-session-id');
  if (!sessionId) return { result: 'na', detail: ['no session to open a stream for'] };
  const headers = { ...credentials, 'mcp-session-id': sessionId, 'mcp-protocol-version': AUDIT_VERSION, accept: 'text/event-stream' };
  try {
    await record(url, {
      method: 'POST',
      headers: { ...headers, ...JSON_HEADERS },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      signal: AbortSignal.timeout(timeoutMs),
    }).then((response) => response.text());
    const ids = parseSseFrames([initText]).filter((frame) => frame.id !== undefined && frame.id !== '');
    let lastId = ids.at(-1)?.id;
    const stream = await record(url, { method: 'GET', headers, signal: AbortSignal.timeout(timeoutMs) });
    if (stream.status === 405) {
      await stream.body?.cancel().catch(() => undefined);
      if (!lastId) return { result: 'na', detail: ['no standing GET stream (405) and no event ids on POST streams'] };
    } else {
      const text = await readSome(stream, 1_500);
      lastId =
        parseSseFrames([text])
          .filter((frame) => frame.id !== undefined && frame.id !== '')
          .at(-1)?.id ?? lastId;
    }
    if (!lastId)
      return { result: 'na', detail: [`the server's streams carry no event ids (GET: HTTP ${stream.status}): nothing to resume`] };
    const resumed = await record(url, {
      method: 'GET',
      headers: { ...headers, 'last-event-id': lastId },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const type = resumed.headers.get('content-type') ?? '';
    await readSome(resumed, 500);
    const detail = [
      `event id seen: ${clip(lastId, 60)}`,
      `GET with Last-Event-ID: HTTP ${resumed.status}, ${type.split(';')[0] || 'no content type'}`,
    ];
    if (resumed.status === 200 && type.includes('event-stream')) return { result: 'pass', detail };
    return {
      result: 'fail',
      detail,
      fix: 'A server that puts ids on its SSE events should accept a GET with Last-Event-ID and replay what came after it on a new stream.',
    };
  } finally {
    await record(url, {
      method: 'DELETE',
      headers: { ...credentials, 'mcp-session-id': sessionId, 'mcp-protocol-version': AUDIT_VERSION },
      signal: AbortSignal.timeout(timeoutMs),
    })
      .then((response) => response.text())
      .catch(() => undefined);
  }
}

const LOG_LEVELS = new Set(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']);

/** What is wrong with a notification the server sent, if anything. Pure. */
export function notificationProblem(message: unknown): string | undefined {
  if (!isJsonObject(message)) return 'is not a JSON object';
  if (message.jsonrpc !== '2.0') return 'lacks "jsonrpc": "2.0"';
  if ('id' in message) return 'carries an id (a notification has none)';
  if (typeof message.method !== 'string') return 'has no method';
  const params = message.params;
  if (params !== undefined && !isJsonObject(params)) return `${message.method}: params is not an object`;
  const p = (params ?? {}) as Record<string, unknown>;
  switch (message.method) {
    case 'notifications/message':
      if (typeof p.level !== 'string' || !LOG_LEVELS.has(p.level))
        return `notifications/message: level ${JSON.stringify(p.level)} is not a log level`;
      if (!('data' in p)) return 'notifications/message: no data';
      return undefined;
    case 'notifications/progress':
      if (typeof p.progressToken !== 'string' && typeof p.progressToken !== 'number') return 'notifications/progress: no progressToken';
      if (typeof p.progress !== 'number') return 'notifications/progress: progress is not a number';
      return undefined;
    case 'notifications/resources/updated':
      return typeof p.uri === 'string' ? undefined : 'notifications/resources/updated: no uri';
    case 'notifications/cancelled':
      return p.requestId === undefined ? 'notifications/cancelled: no requestId' : undefined;
    default:
      return undefined;
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
