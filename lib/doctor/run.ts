// The Connection Doctor: an ordered checklist run on purpose against a server URL, each step with what it saw and
// what to do, stopping at the first hard failure. Every request goes through the guarded fetch the caller gives
// (lib/security: target policy, size caps) and the session log's recorder, so each step links to its exchanges.
// Raw TCP and TLS probes connect only to an address the target policy allowed. Server-side only.
import net from 'node:net';
import {
  connect,
  classifyNetworkError,
  EngineError,
  validateServerUrl,
  watchWireFindings,
  type ExchangeAuthorizer,
  type McpConnection,
  type TransportMode,
} from '../mcp';
import { CLIENT_INFO } from '../mcp/link';
import {
  bearerChallenge,
  canUseClientMetadataDocument,
  OAuthFlowError,
  parseWwwAuthenticate,
  type DiscoveryResult,
  type OAuthClientFlow,
} from '../oauth';
import { discover } from '../oauth/discovery';
import { FlowRuntime } from '../oauth/runtime';
import { decideAddresses, decideTargetUrl, httpUrlRule, isIpLiteral, systemResolver, type Resolver, type TargetPolicy } from '../security';
import { createRecordingFetch, parseSseFrames, type PhaseHandle, type SecretSet, type TraceLog } from '../trace';
import type { ExchangePurpose, TraceEvent } from '../trace/types';
import { isJsonObject } from '../json';
import { adviceFor } from './advice';
import { redirectUriAcceptance } from './redirect';
import { inspectTls, judgeCertificate } from './tls';
import {
  DOCTOR_STEP_TITLES,
  DOCTOR_STEPS,
  type DoctorOutcome,
  type DoctorReport,
  type DoctorStatus,
  type DoctorStep,
  type DoctorStepId,
} from './types';

export interface DoctorOptions {
  url: string;
  /** Sent with every MCP request (a bearer token or API-key headers included); values already in `secrets`. */
  headers: Record<string, string>;
  log: TraceLog;
  secrets: SecretSet;
  transport?: TransportMode;
  policy: TargetPolicy;
  /**
   * The guarded fetch to send with (lib/security `guardedFetchFor`). Called again with `ca` when the person chose
   * to trust a self-signed certificate for this run: that fetch trusts exactly that certificate.
   */
  networkFetch(ca?: string[]): typeof fetch;
  /** The SHA-256 fingerprint of a self-signed certificate the person chose to trust for this run only. */
  trustCertificate?: string;
  /**
   * The OAuth flow a connect would use (the session's: its pre-registered client, metadata document or registered
   * one, its redirect URI). The redirect URI step sends its authorization request (registering a client first when
   * that is how the flow gets one) and reads the first answer; without it, that step does not apply.
   */
  oauthFlow?: () => Promise<OAuthClientFlow>;
  /**
   * mcpscope's own client ID metadata document URL (the app's, under its public URL); checked when the authorization
   * server accepts metadata documents. Only an https one can be a client ID, so an http one is noted, not fetched.
   */
  clientMetadataUrl?: string;
  /** Wraps each MCP exchange with the session's OAuth token (the session's `authorize`). */
  authorize?: ExchangeAuthorizer;
  /** Name resolution; default the system's. */
  resolve?: Resolver;
  /** Each step's network time limit. Default 10 s. */
  stepTimeoutMs?: number;
  /** The engine's connect time limit (the transport step). Default 15 s. */
  connectTimeoutMs?: number;
  /** Whether to name wire problems in the log here (the CLI); a web session's log has its own watcher. */
  watchFindings?: boolean;
  signal?: AbortSignal;
  now?: () => number;
}

/** The protocol version the first POST offers: the newest 2025-era one (a 2026-07-28 server is probed next). */
export const DOCTOR_PROTOCOL_VERSION = '2025-11-25';
const DOCTOR_REQUEST_ID = 'mcpscope-doctor-1';
const SLOW_CONNECT_MS = 5_000;
/** Error findings a client survives (the Doctor warns); and a warning the engine refuses to go past. */
const SOFT_FINDINGS = new Set(['duplicate_response_id', 'notification_flood', 'invalid_utf8', 'server_session_lost']);
const HARD_FINDINGS = new Set(['redirect_cross_origin']);
const TIMER_FINDINGS = new Set(['no_response', 'response_stalled']);
const SLOW_TCP_MS = 1_000;
const MAX_REDIRECTS = 5;
/** More notifications than this in one answer is a flood (the wire findings' threshold per second). */
const FLOOD_NOTIFICATIONS = 200;

type StepVerdict = { status: DoctorStatus; seen: string[]; advice?: string; code?: string };

class StepRecorder {
  readonly steps: DoctorStep[] = [];
  constructor(
    private readonly log: TraceLog,
    private readonly parentId: string,
    private readonly now: () => number,
  ) {}

  /** Runs one step as a phase of the log; the verdict's exchanges and findings are read back from its seq range. */
  async run(id: DoctorStepId, body: (phase: PhaseHandle) => Promise<StepVerdict>): Promise<DoctorStep> {
    const fromSeq = this.log.lastSeq + 1;
    const started = this.now();
    const phase = this.log.beginPhase(`doctor:${id}`, { parentId: this.parentId, detail: DOCTOR_STEP_TITLES[id] });
    let verdict: StepVerdict;
    try {
      verdict = await body(phase);
    } catch (error) {
      const engineError = error instanceof EngineError ? error : classifyNetworkError(error);
      verdict = { status: 'fail', seen: [engineError.message], code: engineError.code };
    }
    const evidence = this.evidence(fromSeq);
    if (verdict.status === 'fail') phase.fail({ code: verdict.code ?? 'doctor_step_failed', message: verdict.seen.at(-1) ?? 'failed' });
    else if (verdict.status === 'na') phase.skip(verdict.seen[0]);
    else phase.ok(verdict.seen[0]);
    const step: DoctorStep = {
      id,
      title: DOCTOR_STEP_TITLES[id],
      status: verdict.status,
      seen: verdict.seen,
      ...(verdict.status === 'fail' || verdict.status === 'warn' ? { advice: verdict.advice ?? adviceFor(verdict.code) } : {}),
      ...(verdict.code ? { code: verdict.code } : {}),
      exchangeIds: evidence.exchangeIds,
      findings: evidence.findings,
      fromSeq,
      toSeq: this.log.lastSeq,
      durationMs: this.now() - started,
    };
    this.steps.push(step);
    return step;
  }

  skip(id: DoctorStepId, why: string): void {
    this.notRun(id, 'skipped', why);
  }

  na(id: DoctorStepId, why: string): void {
    this.notRun(id, 'na', why);
  }

  /** A step that did not run: no exchanges, no findings, no time, saying why. */
  private notRun(id: DoctorStepId, status: 'skipped' | 'na', why: string): void {
    const seq = this.log.lastSeq;
    this.steps.push({
      id,
      title: DOCTOR_STEP_TITLES[id],
      status,
      seen: [why],
      exchangeIds: [],
      findings: [],
      fromSeq: seq,
      toSeq: seq,
      durationMs: 0,
    });
  }

  evidence(fromSeq: number): { exchangeIds: string[]; findings: string[] } {
    const exchangeIds: string[] = [];
    const findings: string[] = [];
    for (const event of this.log.events(fromSeq - 1)) {
      if (event.kind === 'http.request') exchangeIds.push(event.exchangeId);
      else if (event.kind === 'finding' && !findings.includes(event.code)) findings.push(event.code);
    }
    return { exchangeIds, findings };
  }
}

function findingEvents(log: TraceLog, fromSeq: number): Array<Extract<TraceEvent, { kind: 'finding' }>> {
  return log.events(fromSeq - 1).filter((event): event is Extract<TraceEvent, { kind: 'finding' }> => event.kind === 'finding');
}

/** Runs the checklist. Never throws for a server's fault: that is a failed step. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const now = options.now ?? Date.now;
  const { log } = options;
  const startedAt = now();
  const fromSeq = log.lastSeq + 1;
  const stopWatching = options.watchFindings ? watchWireFindings(log) : undefined;
  const root = log.beginPhase('doctor', { detail: `Connection Doctor for ${log.meta.serverUrl}` });
  const steps = new StepRecorder(log, root.id, now);
  const stepTimeoutMs = options.stepTimeoutMs ?? 10_000;
  let outcome: DoctorOutcome = 'ok';
  let failedStep: DoctorStepId | undefined;
  let summary = '';

  const stop = (step: DoctorStep, why: string) => {
    outcome = 'failed';
    failedStep = step.id;
    summary = `Stopped at "${step.title}": ${step.seen.at(-1) ?? 'failed'}`;
    for (const id of DOCTOR_STEPS) if (!steps.steps.some((done) => done.id === id)) steps.skip(id, why);
  };

  try {
    // 1. URL and scheme policy.
    let url: URL | undefined;
    const urlStep = await steps.run('url', async () => {
      url = validateServerUrl(options.url);
      const rule = httpUrlRule(options.policy);
      if (url.protocol === 'http:' && rule !== 'allow' && (rule === 'refuse' || !rule.allows(url))) {
        return {
          status: 'fail',
          code: 'target_forbidden',
          seen: [`${url.origin}: plain http is not allowed for this host here`],
          advice: 'Use https, or run mcpscope locally for a development server on plain http.',
        };
      }
      const seen = [`${url.protocol.replace(':', '')} to ${url.host}, path ${url.pathname}`];
      if (url.protocol === 'http:' && !isLoopbackName(url.hostname)) {
        return {
          status: 'warn',
          code: 'plain_http',
          seen: [...seen, 'plain http beyond this machine: tokens and data travel unencrypted'],
          advice: 'Serve the MCP endpoint over https; MCP authorization requires it beyond localhost.',
        };
      }
      return { status: 'pass', seen };
    });
    if (urlStep.status === 'fail' || !url) return finish(stop(urlStep, 'the URL is not usable'));
    const target = url;
    const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));

    // 2. Name resolution, and what the target policy says about the addresses.
    let address: string | undefined;
    const dnsStep = await steps.run('dns', async () => {
      const byUrl = decideTargetUrl(target, options.policy);
      if (byUrl && !byUrl.allowed) return { status: 'fail', code: 'target_forbidden', seen: [byUrl.message] };
      const hostname = target.hostname.replace(/^\[|\]$/g, '');
      if (isIpLiteral(hostname)) {
        address = hostname;
        const decision = decideAddresses(hostname, [{ address: hostname, family: hostname.includes(':') ? 6 : 4 }], options.policy);
        if (!decision.allowed) return { status: 'fail', code: 'target_forbidden', seen: [decision.message] };
        return { status: 'na', seen: [`${hostname} is an IP address: nothing to resolve`] };
      }
      let addresses;
      try {
        addresses = await withTimeout((options.resolve ?? systemResolver)(hostname), stepTimeoutMs, 'DNS lookup');
      } catch (error) {
        const explained = classifyNetworkError(error, target.href);
        return {
          status: 'fail',
          code: explained.code === 'network_error' ? 'host_not_found' : explained.code,
          seen: [`${hostname} does not resolve: ${(error as Error).message}`],
        };
      }
      if (addresses.length === 0) return { status: 'fail', code: 'host_not_found', seen: [`${hostname} resolves to no address`] };
      const decision = decideAddresses(hostname, addresses, options.policy);
      if (!decision.allowed) return { status: 'fail', code: 'target_forbidden', seen: [decision.message] };
      address = addresses[0]!.address;
      return { status: 'pass', seen: [`${hostname} → ${addresses.map((a) => a.address).join(', ')}`] };
    });
    if (dnsStep.status === 'fail' || !address) return finish(stop(dnsStep, 'the host cannot be reached'));
    const resolved = address;

    // 3. TCP connect.
    const tcpStep = await steps.run('tcp', async () => {
      const started = now();
      await tcpConnect(resolved, port, stepTimeoutMs, options.signal).catch((error: unknown) => {
        throw classifyNetworkError(error, target.href);
      });
      const took = now() - started;
      const seen = [`connected to ${resolved.includes(':') ? `[${resolved}]` : resolved}:${port} in ${took} ms`];
      if (took > SLOW_TCP_MS) return { status: 'warn', code: 'slow_connect', seen: [...seen, 'slow for a TCP handshake'] };
      return { status: 'pass', seen };
    });
    if (tcpStep.status === 'fail') return finish(stop(tcpStep, 'nothing to talk to'));

    // 4. TLS.
    let trustedCa: string[] | undefined;
    if (target.protocol === 'https:') {
      const tlsStep = await steps.run('tls', async () => {
        const facts = await inspectTls({
          address: resolved,
          port,
          hostname: target.hostname.replace(/^\[|\]$/g, ''),
          timeoutMs: stepTimeoutMs,
          signal: options.signal,
        }).catch((error: unknown) => {
          throw new EngineError('tls_error', `The TLS handshake with ${target.host} failed: ${(error as Error).message}`);
        });
        const trusted = options.trustCertificate !== undefined && sameFingerprint(options.trustCertificate, facts.fingerprint256);
        const judgement = judgeCertificate(facts, now(), trusted);
        if (trusted && judgement.status === 'warn' && judgement.code === 'tls_self_signed_trusted') trustedCa = [facts.pem];
        if (options.trustCertificate !== undefined && !trusted) {
          judgement.seen.push(`the certificate asked to be trusted (${options.trustCertificate}) is not the one presented: not trusted`);
        }
        return judgement;
      });
      if (tlsStep.status === 'fail') return finish(stop(tlsStep, 'the TLS certificate is not accepted'));
    } else {
      steps.na('tls', 'plain http: no TLS');
    }

    const networkFetch = options.networkFetch(trustedCa);
    let phaseId: string | undefined;
    let purpose: ExchangePurpose = 'probe';
    const record = createRecordingFetch(log, {
      baseFetch: networkFetch,
      secrets: options.secrets,
      secretHeaderNames: Object.keys(options.headers),
      context: () => ({ ...(phaseId ? { phaseId } : {}), purpose }),
    });

    // 5. The first POST: initialize, as a 2025-era client sends it.
    let challenge: string | undefined;
    let unauthorized = false;
    const hasCredentials = Object.keys(options.headers).length > 0 || options.authorize !== undefined;
    const httpStep = await steps.run('http', async (phase) => {
      phaseId = phase.id;
      purpose = 'probe';
      return firstPost({
        url: target,
        headers: options.headers,
        fetch: options.authorize ? options.authorize(record) : record,
        log,
        phase,
        timeoutMs: stepTimeoutMs,
        hasCredentials,
        onChallenge: (header) => {
          unauthorized = true;
          challenge = header;
        },
      });
    });
    if (httpStep.status === 'fail' && !unauthorized) return finish(stop(httpStep, 'the first request failed'));

    // 6-9. Authorization metadata, when the server asked for authorization.
    if (unauthorized) {
      const authFailed = await authorizationSteps({
        steps,
        log,
        options,
        url: target,
        challenge,
        fetch: networkFetch,
        record,
        setPhase: (id, kind) => {
          phaseId = id;
          purpose = kind;
        },
      });
      if (authFailed) return finish(stop(authFailed, 'the authorization metadata is broken'));
      if (httpStep.status === 'fail') return finish(stop(httpStep, 'the credentials were refused'));
      outcome = 'auth_required';
      summary = 'The server wants authorization and its metadata checks out: connect with OAuth (or a token) to go further.';
      for (const id of ['transport', 'session', 'list'] as const)
        steps.skip(id, 'needs authorization: connect with OAuth or a token first');
      return finish();
    }
    for (const id of ['resource-metadata', 'authorization-server', 'client-registration', 'redirect-uri', 'token-endpoint'] as const) {
      steps.na(
        id,
        options.authorize ? "the requests carried the session's OAuth token and were accepted" : 'the server asked for no authorization',
      );
    }
    phaseId = undefined;

    // 10. Transport and era: the engine's own connect, each probe a phase.
    let connection: McpConnection | undefined;
    const transportStep = await steps.run('transport', async () => {
      const before = log.lastSeq;
      const started = now();
      try {
        connection = await connect({
          url: target.href,
          transport: options.transport ?? 'auto',
          headers: options.headers,
          log,
          secrets: options.secrets,
          connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
          requestTimeoutMs: stepTimeoutMs,
          baseFetch: networkFetch,
          ...(options.authorize ? { authorize: options.authorize } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        const engineError = error instanceof EngineError ? error : new EngineError('protocol_error', String(error));
        return { status: 'fail', code: engineError.code, seen: [...probeLines(log, before), engineError.message] };
      }
      const took = now() - started;
      const seen = [
        ...probeLines(log, before),
        `${connection.era} (${connection.transport}), protocol ${connection.protocolVersion}; server ${connection.serverInfo.name} ${connection.serverInfo.version}`.trim(),
      ];
      if (took > SLOW_CONNECT_MS)
        return { status: 'warn', code: 'slow_connect', seen: [...seen, `connecting took ${(took / 1000).toFixed(1)} s`] };
      return { status: 'pass', seen };
    });
    if (transportStep.status === 'fail' || !connection) return finish(stop(transportStep, 'no MCP connection'));
    const live: McpConnection = connection;

    try {
      // 11. Session handling.
      if (live.era === 'stateful-2025' && live.sessionId) {
        const sessionStep = await steps.run('session', async () => {
          const outcome = await live.request('ping', undefined);
          if ('error' in outcome && outcome.error.code !== -32601) {
            return {
              status: 'fail',
              code: 'session_refused',
              seen: [
                `the server issued Mcp-Session-Id, then answered ping with JSON-RPC error ${outcome.error.code}: ${outcome.error.message}`,
              ],
            };
          }
          return { status: 'pass', seen: ['the server issued an Mcp-Session-Id; a request carrying it (ping) was accepted'] };
        });
        if (sessionStep.status === 'fail') return finish(stop(sessionStep, 'the session does not hold'));
      } else {
        steps.na(
          'session',
          live.era === 'stateless-2026'
            ? 'stateless 2026-07-28 server: no session'
            : live.era === 'legacy-sse'
              ? 'legacy HTTP+SSE: the event stream is the session'
              : 'the server issued no Mcp-Session-Id (a stateless 2025 server)',
        );
      }

      // 12. The first list call.
      const caps = live.capabilities;
      const listMethod = caps.tools ? 'tools/list' : caps.prompts ? 'prompts/list' : caps.resources ? 'resources/list' : undefined;
      if (!listMethod) {
        steps.na('list', 'the server declares no tools, prompts or resources');
      } else {
        const listStep = await steps.run('list', async () => {
          const outcome = await live.request(listMethod, undefined);
          if ('error' in outcome) {
            return {
              status: 'fail',
              code: 'list_failed',
              seen: [`${listMethod} answered JSON-RPC error ${outcome.error.code}: ${outcome.error.message}`],
            };
          }
          const result = outcome.result as Record<string, unknown> | undefined;
          const key = listMethod.split('/')[0]!;
          const items = Array.isArray(result?.[key]) ? (result[key] as unknown[]) : undefined;
          if (!items) return { status: 'fail', code: 'list_failed', seen: [`${listMethod} answered without a "${key}" array`] };
          const more = typeof result?.nextCursor === 'string' ? ' (more pages follow)' : '';
          return { status: 'pass', seen: [`${listMethod}: ${items.length} ${key}${more}`] };
        });
        if (listStep.status === 'fail') return finish(stop(listStep, 'listing failed'));
      }
    } finally {
      await live.close().catch(() => undefined);
    }
    return finish();
  } finally {
    stopWatching?.();
  }

  function finish(_stopped?: void): DoctorReport {
    const ordered = DOCTOR_STEPS.map((id) => steps.steps.find((step) => step.id === id)).filter((step): step is DoctorStep => !!step);
    const warnings = ordered.filter((step) => step.status === 'warn');
    if (outcome === 'ok') {
      summary =
        warnings.length === 0
          ? 'Every step passed.'
          : `Connected, with ${warnings.length} warning${warnings.length === 1 ? '' : 's'}: ${warnings.map((step) => step.title).join(', ')}.`;
    }
    if (outcome === 'failed') root.fail({ code: 'doctor_failed', message: summary });
    else root.ok(summary);
    return {
      url: log.meta.serverUrl,
      outcome,
      ...(failedStep ? { failedStep } : {}),
      summary,
      steps: ordered,
      startedAt,
      durationMs: now() - startedAt,
      fromSeq,
      toSeq: log.lastSeq,
    };
  }
}

function isLoopbackName(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
}

function sameFingerprint(a: string, b: string): boolean {
  const norm = (text: string) =>
    text
      .replace(/^sha256[:=]/i, '')
      .replace(/[^0-9a-f]/gi, '')
      .toLowerCase();
  return norm(a) !== '' && norm(a) === norm(b);
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} took longer than ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

function tcpConnect(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const done = (error?: Error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(
      () => done(Object.assign(new Error(`TCP connect took longer than ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
    const onAbort = () => done(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done());
    socket.once('error', (error) => done(error));
  });
}

/** Lines for the transport step: each probe phase the engine opened after `afterSeq`, with how it ended. */
function probeLines(log: TraceLog, afterSeq: number): string[] {
  const names = new Map<string, string>();
  const lines: string[] = [];
  for (const event of log.events(afterSeq)) {
    if (event.kind !== 'phase') continue;
    if (event.status === 'started') {
      if (/^probe:|^server\/discover$|^initialize$/.test(event.name)) names.set(event.phaseId, event.name);
      continue;
    }
    const name = names.get(event.phaseId);
    if (!name) continue;
    const what = event.status === 'ok' ? 'ok' : event.status === 'skipped' ? 'not used' : 'failed';
    const detail = event.error?.message ?? event.detail;
    lines.push(`${name}: ${what}${detail ? ` — ${detail}` : ''}`);
  }
  return lines;
}

interface FirstPostInput {
  url: URL;
  headers: Record<string, string>;
  fetch: typeof fetch;
  log: TraceLog;
  phase: PhaseHandle;
  timeoutMs: number;
  hasCredentials: boolean;
  onChallenge(wwwAuthenticate: string | undefined): void;
}

async function firstPost(input: FirstPostInput): Promise<StepVerdict> {
  const { log } = input;
  const fromSeq = log.lastSeq + 1;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    // Failing the phase first lets the wire findings name what was still open (no_response / response_stalled).
    input.phase.fail({ code: 'timeout', message: `no complete answer within ${input.timeoutMs / 1000} s` });
    controller.abort(new EngineError('timeout', 'The Doctor stopped waiting.'));
  }, input.timeoutMs);
  const headers: Record<string, string> = {
    ...input.headers,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: DOCTOR_REQUEST_ID,
    method: 'initialize',
    params: {
      protocolVersion: DOCTOR_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: `${CLIENT_INFO.name}-doctor`, version: CLIENT_INFO.version },
    },
  });
  let response: Response;
  let text: string;
  const hops: string[] = [];
  try {
    // Redirects one hop at a time, so each is recorded and judged: a client follows one only on the same origin.
    let at = input.url;
    const visited = new Set([at.href]);
    for (;;) {
      response = await input.fetch(at.href, { method: 'POST', headers, body, signal: controller.signal, redirect: 'manual' });
      const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      if (!location) break;
      await response.body?.cancel().catch(() => undefined);
      const next = new URL(location, at);
      hops.push(`HTTP ${response.status} from ${at.pathname} to ${next.origin === at.origin ? next.pathname : next.href}`);
      if (next.origin !== input.url.origin) {
        clearTimeout(timer);
        return {
          status: 'fail',
          code: 'redirect_cross_origin',
          seen: [...hops, `redirected to another origin (${next.origin}): clients do not follow that with credentials`],
        };
      }
      if (visited.has(next.href) || hops.length > MAX_REDIRECTS) {
        clearTimeout(timer);
        const code = visited.has(next.href) ? 'redirect_loop' : 'too_many_redirects';
        return { status: 'fail', code, seen: [...hops, 'the redirects never reach an answer'] };
      }
      visited.add(next.href);
      at = next;
    }
    text = await response.text();
  } catch (error) {
    clearTimeout(timer);
    // A stall or silence is this step's verdict only when its own timer fired (another phase's timeout marks every
    // open exchange of the log, this one included).
    const errors = findingEvents(log, fromSeq).filter(
      (finding) => finding.severity === 'error' && (timedOut || !TIMER_FINDINGS.has(finding.code)),
    );
    if (timedOut) {
      const named = errors.find((finding) => finding.code === 'no_response' || finding.code === 'response_stalled');
      return {
        status: 'fail',
        code: named?.code ?? 'no_response',
        seen: [named?.message ?? `no complete answer within ${input.timeoutMs / 1000} s`],
      };
    }
    const finding = errors[0];
    if (finding) return { status: 'fail', code: finding.code, seen: [finding.message] };
    // The session's authorizer could not give a token (gone, or its refresh refused): the request never went out.
    const oauth = oauthFailure(error);
    if (oauth) return { status: 'fail', code: 'credentials_refused', seen: [`no usable OAuth token: ${oauth}`] };
    const explained = classifyNetworkError(error, input.url.href);
    return { status: 'fail', code: explained.code, seen: [explained.message] };
  }
  clearTimeout(timer);
  const status = response.status;
  const contentType = response.headers.get('content-type') ?? '';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const seen = [
    ...hops,
    `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}, ${type || 'no content type'}, ${text.length} characters`,
  ];
  const sessionId = response.headers.get('mcp-session-id');
  if (sessionId) {
    seen.push('the server issued an Mcp-Session-Id');
    // Ends the server session this probe opened (the transport step opens its own).
    await input
      .fetch(input.url.href, {
        method: 'DELETE',
        headers: { ...input.headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': DOCTOR_PROTOCOL_VERSION },
      })
      .then(
        (answer) => answer.body?.cancel(),
        () => undefined,
      );
  }
  const findings = findingEvents(log, fromSeq);
  const firstError = findings.find(
    (finding) =>
      (finding.severity === 'error' && !SOFT_FINDINGS.has(finding.code) && !TIMER_FINDINGS.has(finding.code)) ||
      HARD_FINDINGS.has(finding.code),
  );
  const warnings = findings.filter((finding) => finding.severity !== 'info' && finding !== firstError);

  if (status === 401) {
    input.onChallenge(response.headers.get('www-authenticate') ?? undefined);
    if (input.hasCredentials) return { status: 'fail', code: 'credentials_refused', seen: [...seen, 'the credentials sent were refused'] };
    return { status: 'warn', code: 'auth_required', seen: [...seen, 'the server wants authorization'] };
  }
  if (status === 403) return { status: 'fail', code: 'forbidden', seen };
  if (firstError) return { status: 'fail', code: firstError.code, seen: [...seen, firstError.message] };
  if (status >= 500) return { status: 'fail', code: 'server_error_status', seen: [...seen, `the server failed (HTTP ${status})`] };
  if (status >= 400) {
    return {
      status: 'warn',
      code: 'not_streamable_http',
      seen: [...seen, 'a 4xx to the POST: the server may speak only the legacy HTTP+SSE transport (the transport step tries it)'],
    };
  }
  if (status === 202 || status === 204)
    return { status: 'fail', code: 'no_initialize_result', seen: [...seen, 'no body: initialize is a request and needs an answer'] };

  // The body: the JSON-RPC answer to initialize, as JSON or inside an event stream.
  let messages: unknown[] = [];
  if (type === 'text/event-stream') {
    const frames = parseSseFrames([text]);
    for (const frame of frames) {
      if (frame.incomplete || frame.data === undefined || frame.data === '') continue;
      try {
        messages.push(JSON.parse(frame.data));
      } catch {
        return { status: 'fail', code: 'invalid_json_body', seen: [...seen, `an SSE event whose data is not JSON: ${clip(frame.data)}`] };
      }
    }
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      if (type === 'application/json')
        return { status: 'fail', code: 'invalid_json_body', seen: [...seen, `the body does not parse as JSON: ${clip(text)}`] };
      return {
        status: 'warn',
        code: looksHtml(type, text) ? 'html_instead_of_mcp' : 'not_mcp',
        seen: [...seen, 'not MCP: the transport step tries the legacy transport too'],
      };
    }
    messages = Array.isArray(parsed) ? parsed : [parsed];
    if (type !== 'application/json') {
      return {
        status: 'fail',
        code: 'unexpected_content_type',
        seen: [...seen, `a JSON body labelled ${type || 'with no type'}: clients refuse it`],
      };
    }
  }
  const answer = messages.find((message) => isJsonObject(message) && 'id' in message && ('result' in message || 'error' in message)) as
    Record<string, unknown> | undefined;
  if (!answer) {
    // An SSE stream that ended mid-event, or events without data: the wire findings name which.
    const named = warnings[0];
    return {
      status: 'fail',
      code: named?.code ?? 'no_initialize_result',
      seen: [...seen, 'the answer carries no JSON-RPC response to initialize', ...(named ? [named.message] : [])],
    };
  }
  if (answer.jsonrpc !== '2.0')
    return { status: 'fail', code: 'jsonrpc_nonconformant', seen: [...seen, 'the response lacks "jsonrpc": "2.0"'] };
  if (answer.id !== DOCTOR_REQUEST_ID)
    return {
      status: 'fail',
      code: 'unknown_response_id',
      seen: [...seen, `the response's id ${clip(JSON.stringify(answer.id))} is not the request's`],
    };
  if ('result' in answer && 'error' in answer)
    return { status: 'fail', code: 'result_and_error', seen: [...seen, 'the response carries both "result" and "error"'] };
  if ('error' in answer) {
    const error = isJsonObject(answer.error) ? answer.error : {};
    return {
      status: 'warn',
      code: 'initialize_refused',
      seen: [...seen, `initialize refused with JSON-RPC error ${String(error.code)}: ${clip(String(error.message ?? ''))}`],
      advice: 'A 2026-07-28 server refuses initialize; the transport step probes server/discover. A 2025 server must answer initialize.',
    };
  }
  const result = isJsonObject(answer.result) ? answer.result : {};
  const info = isJsonObject(result.serverInfo) ? result.serverInfo : {};
  seen.push(
    `initialize answered: protocol ${String(result.protocolVersion ?? '?')}, server ${String(info.name ?? '?')} ${String(info.version ?? '')}`.trim(),
  );
  if (warnings.length > 0)
    return { status: 'warn', code: warnings[0]!.code, seen: [...seen, ...warnings.map((finding) => finding.message)] };
  // Counted here too: a session's log names a flood once, and it may have done so before this run.
  const notifications = messages.filter(
    (message) => isJsonObject(message) && typeof message.method === 'string' && !('id' in message),
  ).length;
  if (notifications > FLOOD_NOTIFICATIONS) {
    return {
      status: 'warn',
      code: 'notification_flood',
      seen: [...seen, `${notifications} notifications came with the answer to initialize`],
    };
  }
  return { status: 'pass', seen };
}

interface AuthStepsInput {
  steps: StepRecorder;
  log: TraceLog;
  options: DoctorOptions;
  url: URL;
  challenge: string | undefined;
  fetch: typeof fetch;
  record: typeof fetch;
  setPhase(id: string | undefined, purpose: ExchangePurpose): void;
}

/** The authorization steps; returns the step that failed hard, if one did. */
async function authorizationSteps(input: AuthStepsInput): Promise<DoctorStep | undefined> {
  const { steps, log, options, url, challenge } = input;
  let discovery: DiscoveryResult | undefined;
  let discoveryError: OAuthFlowError | undefined;

  const resourceStep = await steps.run('resource-metadata', async (phase) => {
    const seen: string[] = [];
    if (!challenge) {
      seen.push('the 401 carries no WWW-Authenticate header');
    } else if (parseWwwAuthenticate(challenge).length === 0 || (challenge.replace(/\\./g, '').match(/"/g)?.length ?? 0) % 2 === 1) {
      return {
        status: 'fail',
        code: 'malformed_www_authenticate',
        seen: [`WWW-Authenticate does not parse: ${clip(options.secrets.maskText(challenge))}`],
      };
    } else {
      const bearer = bearerChallenge(challenge);
      seen.push(`WWW-Authenticate: ${clip(options.secrets.maskText(challenge))}`);
      if (bearer.scope) seen.push(`scope asked for: ${bearer.scope}`);
    }
    const runtime = new FlowRuntime(log, input.fetch, options.secrets, phase.id);
    try {
      discovery = await discover(runtime, url.href, challenge, httpUrlRule(options.policy));
    } catch (error) {
      discoveryError = error instanceof OAuthFlowError ? error : new OAuthFlowError('network_error', String(error));
    }
    if (discoveryError?.code === 'resource_mismatch')
      return { status: 'fail', code: 'resource_mismatch', seen: [...seen, discoveryError.message] };
    if (!challenge) return { status: 'fail', code: 'missing_www_authenticate', seen };
    const found = discovery?.resourceMetadata ? { url: discovery.resourceMetadataUrl } : resourceMetadataPhase(log, phase.id);
    if (discoveryError && found && !discovery) {
      // Discovery failed later (the authorization server): this step's part was fine.
      return { status: 'pass', seen: [...seen, `found at ${found.url ?? '(a well-known URL)'}`] };
    }
    if (discovery?.resourceMetadata) {
      return {
        status: 'pass',
        seen: [
          ...seen,
          `found at ${discovery.resourceMetadataUrl}: resource ${String(discovery.resourceMetadata.resource)}, authorization servers ${(discovery.resourceMetadata.authorization_servers ?? []).join(', ') || '(none)'}`,
        ],
      };
    }
    if (discoveryError) return { status: 'fail', code: discoveryError.code, seen: [...seen, discoveryError.message] };
    return { status: 'warn', code: 'no_resource_metadata', seen: [...seen, 'no protected resource metadata (RFC 9728) found'] };
  });
  if (resourceStep.status === 'fail') return failRest(resourceStep);

  const serverStep = await steps.run('authorization-server', async () => {
    if (discoveryError) return { status: 'fail', code: discoveryError.code, seen: [discoveryError.message] };
    const found = discovery!;
    if (!found.metadata) {
      return {
        status: 'warn',
        code: 'no_authorization_server_metadata',
        seen: [
          `no metadata at ${found.authorizationServerUrl}; default endpoints ${found.endpoints.authorization}, ${found.endpoints.token}`,
        ],
      };
    }
    const metadata = found.metadata;
    const seen = [
      `${found.metadataKind === 'oidc' ? 'OpenID' : 'RFC 8414'} metadata at ${found.metadataUrl}, issuer ${metadata.issuer}`,
      `authorize ${metadata.authorization_endpoint}; token ${metadata.token_endpoint}`,
    ];
    const methods = metadata.code_challenge_methods_supported;
    if (!Array.isArray(methods) || !methods.includes('S256')) {
      return {
        status: 'fail',
        code: 'no_pkce_s256',
        seen: [...seen, `code_challenge_methods_supported: ${Array.isArray(methods) ? methods.join(', ') || '(empty)' : '(absent)'}`],
      };
    }
    return { status: 'pass', seen: [...seen, 'PKCE S256 supported'] };
  });
  if (serverStep.status === 'fail') return failRest(serverStep);
  const found = discovery!;

  await steps.run('client-registration', async (phase) => {
    const metadata = found.metadata as (Record<string, unknown> & { client_id_metadata_document_supported?: unknown }) | undefined;
    const seen: string[] = [];
    const registers = Boolean(found.endpoints.registration && (metadata?.registration_endpoint || !metadata));
    if (registers) seen.push(`dynamic client registration at ${found.endpoints.registration}`);
    const documentsAccepted = metadata?.client_id_metadata_document_supported === true;
    if (documentsAccepted) seen.push('client ID metadata documents accepted (client_id_metadata_document_supported)');
    if (seen.length === 0)
      return {
        status: 'warn',
        code: 'no_client_registration',
        seen: ['neither dynamic registration nor client ID metadata documents: a pre-registered client id is needed'],
      };
    if (!documentsAccepted) return { status: 'pass', seen };
    const documentUrl = options.clientMetadataUrl;
    if (!canUseClientMetadataDocument(true, documentUrl)) {
      seen.push(
        registers
          ? "mcpscope's own metadata document is its client ID only under an https public URL (PUBLIC_URL): this connect registers dynamically"
          : "mcpscope's own metadata document is its client ID only under an https public URL (PUBLIC_URL)",
      );
      return { status: 'pass', seen };
    }
    input.setPhase(phase.id, 'oauth');
    const verdict = await clientMetadataReachability(input.record, documentUrl, options.stepTimeoutMs ?? 10_000);
    input.setPhase(undefined, 'probe');
    return verdict.ok
      ? { status: 'pass', seen: [...seen, verdict.seen] }
      : { status: registers ? 'warn' : 'fail', code: 'client_metadata_unreachable', seen: [...seen, verdict.seen] };
  });

  const flowFor = options.oauthFlow;
  if (!flowFor) {
    steps.na(
      'redirect-uri',
      'no OAuth flow to send an authorization request with: the session does not use OAuth (in the CLI: give --oauth or --client-id)',
    );
  } else {
    const redirectStep = await steps.run('redirect-uri', async (phase) => {
      input.setPhase(phase.id, 'oauth');
      return redirectUriAcceptance({
        flow: await flowFor(),
        challenge,
        send: input.record,
        secrets: options.secrets,
        timeoutMs: options.stepTimeoutMs ?? 10_000,
      });
    });
    input.setPhase(undefined, 'probe');
    if (redirectStep.status === 'fail') return redirectStep;
  }

  const tokenStep = await steps.run('token-endpoint', async (phase) => {
    input.setPhase(phase.id, 'oauth');
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code: 'mcpscope-doctor-probe',
      redirect_uri: 'http://localhost/callback',
      client_id: 'mcpscope-doctor-probe',
      code_verifier: 'mcpscope-doctor-probe-verifier-0123456789abcdefghijklmnop',
    });
    const response = await input.record(found.endpoints.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      signal: AbortSignal.timeout(options.stepTimeoutMs ?? 10_000),
    });
    const text = await response.text();
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const seen = [`a made-up code sent to ${found.endpoints.token}: HTTP ${response.status}, ${type || 'no content type'}`];
    if (looksHtml(type, text))
      return { status: 'fail', code: 'oauth_html_response', seen: [...seen, 'an HTML page instead of a JSON error'] };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { status: 'fail', code: 'token_endpoint_unexpected', seen: [...seen, `the body is not JSON: ${clip(text)}`] };
    }
    const error = isJsonObject(body) && typeof body.error === 'string' ? body.error : undefined;
    if (response.status >= 400 && response.status < 500 && error)
      return { status: 'pass', seen: [...seen, `refused as it should be: "${error}"`] };
    if (response.status === 404)
      return { status: 'fail', code: 'token_endpoint_unexpected', seen: [...seen, 'no token endpoint at that URL'] };
    return {
      status: 'warn',
      code: 'token_endpoint_unexpected',
      seen: [...seen, error ? `error "${error}" with HTTP ${response.status}` : 'no OAuth error in the answer'],
    };
  });
  input.setPhase(undefined, 'probe');
  if (tokenStep.status === 'fail') return tokenStep;
  return undefined;

  function failRest(step: DoctorStep): DoctorStep {
    return step;
  }
}

/**
 * Whether the client ID metadata document the flow would name as its client_id answers as an authorization server
 * needs it to (draft-ietf-oauth-client-id-metadata-document §4): HTTP 200, JSON, its `client_id` the URL itself,
 * redirect URIs listed. Fetched from here: it proves the document is served, not that the authorization server's
 * network reaches it.
 */
export async function clientMetadataReachability(
  record: typeof fetch,
  documentUrl: string,
  timeoutMs: number,
): Promise<{ ok: boolean; seen: string }> {
  const response = await record(documentUrl, {
    method: 'GET',
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  const where = `client ID metadata document ${documentUrl}: HTTP ${response.status}`;
  if (response.status !== 200) return { ok: false, seen: where };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, seen: `${where}, not JSON: ${clip(text)}` };
  }
  if (!isJsonObject(body) || body.client_id !== documentUrl)
    return { ok: false, seen: `${where}, its client_id is not the document's own URL` };
  if (!Array.isArray(body.redirect_uris) || body.redirect_uris.length === 0) return { ok: false, seen: `${where}, no redirect_uris` };
  return { ok: true, seen: `${where}, client_id matches, ${body.redirect_uris.length} redirect URI(s)` };
}

/** The protected resource metadata URL discovery read successfully under `parentId`, if it did. */
function resourceMetadataPhase(log: TraceLog, parentId: string): { url?: string } | undefined {
  const opened = new Map<string, string | undefined>();
  for (const event of log.events()) {
    if (event.kind !== 'phase' || event.name !== 'oauth:resource-metadata') continue;
    if (event.status === 'started' && event.parentId === parentId) opened.set(event.phaseId, event.detail);
    else if (event.status === 'ok' && opened.has(event.phaseId)) return { url: opened.get(event.phaseId) };
  }
  return undefined;
}

/** The message of an OAuth failure in an error's causes (the session's authorizer wraps it as `auth_required`). */
function oauthFailure(error: unknown): string | undefined {
  let at: unknown = error;
  for (let depth = 0; depth < 6 && at; depth++) {
    if (at instanceof OAuthFlowError) return at.message;
    if (at instanceof EngineError && at.code === 'auth_required') return at.message;
    at = (at as { cause?: unknown }).cause;
  }
  return undefined;
}

function looksHtml(type: string, text: string): boolean {
  if (type === 'text/html') return true;
  const start = text.trimStart().slice(0, 64).toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html');
}

function clip(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
