// The fetch the SDK transports use. It sits in front of the recording fetch (lib/trace) and does the
// engine's share of the wire work:
// - tells the recorder which phase and purpose each exchange belongs to (decided per request, so a
//   standing GET stream and a concurrent POST never borrow each other's phase);
// - remembers what came back (status, content type, the start of an error body) so failures can be
//   explained and the era fallback decided;
// - buffers small error bodies so the recorder always sees them end, even when the SDK never reads them;
// - hands the SDK a POST's event-stream answer that is one JSON-RPC response, complete, as the JSON answer it is
//   equivalent to (sse-answer.ts), which the SDK handles at a fraction of the cost.
import { createRecordingFetch, type SecretSet, type TraceLog } from '../trace';
import type { ExchangePurpose } from '../trace/types';
import { classifyNetworkError, EngineError, isEngineError } from './errors';
import { isMcpContentType, mediaType } from './eras';
import { convertibleRequestId, settleSseAnswer } from './sse-answer';
import type { ExchangeAuthorizer } from './types';

export interface ExchangeContext {
  phaseId?: string;
  purpose: ExchangePurpose;
  /** The SDK acts on no notification on this exchange's stream but progress and cancellation (lib/trace RecordingContext). */
  notificationsUnheard?: boolean;
}

export interface OutgoingRequest {
  method: string;
  url: string;
  /** Mutable: the planner may add headers (e.g. Last-Event-ID) before the request is recorded and sent. */
  headers: Headers;
  /** The parsed JSON body, when there was one. */
  body?: unknown;
}

export interface ResponseObservation {
  method: string;
  url: string;
  status: number;
  statusText: string;
  contentType?: string;
  /** The start of the body, kept only for error-like responses (non-2xx, or not JSON/SSE). */
  bodySnippet?: string;
  wwwAuthenticate?: string;
  /** True for a non-2xx status or a body that is neither JSON nor an event stream. */
  errorLike: boolean;
}

export interface ExchangePlan {
  context: ExchangeContext;
  onResponse?: (observation: ResponseObservation) => void;
  onNetworkError?: (error: EngineError) => void;
}

export type ExchangePlanner = (request: OutgoingRequest) => ExchangePlan;

const ERROR_BODY_LIMIT = 64 * 1024;
const SNIPPET_LIMIT = 2048;
const ERROR_BODY_WAIT_MS = 3_000;

export class Wire {
  readonly fetch: typeof fetch;
  readonly observations: ResponseObservation[] = [];
  lastNetworkError: EngineError | undefined;
  /** Whether complete one-message event-stream answers reach the SDK as JSON (off only to compare costs). */
  sseAnswersAsJson: boolean;
  private current: ExchangeContext | undefined;
  private readonly recordingFetch: typeof fetch;

  constructor(options: {
    log: TraceLog;
    secrets: SecretSet;
    secretHeaderNames: Iterable<string>;
    baseFetch?: typeof fetch;
    authorize?: ExchangeAuthorizer;
    planner: ExchangePlanner;
    /** Default true. */
    sseAnswersAsJson?: boolean;
  }) {
    this.sseAnswersAsJson = options.sseAnswersAsJson ?? true;
    this.recordingFetch = createRecordingFetch(options.log, {
      baseFetch: options.baseFetch,
      secrets: options.secrets,
      secretHeaderNames: options.secretHeaderNames,
      // The recorder asks when a request starts; `current` is set around that synchronous call.
      context: () => this.current ?? { purpose: 'mcp' },
    });
    const planner = options.planner;
    const authorize = options.authorize;
    this.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      const body = parseJsonBody(init?.body);
      const plan = planner({ method, url, headers, body });
      // Every attempt is recorded under the request's phase (an authorizer may send a request twice, later).
      const record = ((attemptInput: RequestInfo | URL, attemptInit?: RequestInit) => {
        this.current = plan.context;
        try {
          return this.recordingFetch(attemptInput, attemptInit);
        } finally {
          this.current = undefined;
        }
      }) as typeof fetch;
      const pending = (authorize ? authorize(record) : record)(input, { ...init, method, headers });
      const failed = (error: unknown) => {
        // An authorizer's own failure (the token could not be renewed, a scope is missing) is explained already.
        const explained = isEngineError(error);
        const engineError = explained ? error : classifyNetworkError(error, url);
        if (engineError.code !== 'aborted' && !explained) this.lastNetworkError = engineError;
        plan.onNetworkError?.(engineError);
      };
      let response: Response;
      try {
        response = await pending;
      } catch (error) {
        failed(error);
        throw error;
      }
      const { observation, response: delivered } = await observe(method, url, response);
      this.observations.push(observation);
      plan.onResponse?.(observation);
      const requestId = this.sseAnswersAsJson && !observation.errorLike ? convertibleRequestId(method, body) : undefined;
      if (requestId === undefined || mediaType(observation.contentType) !== 'text/event-stream') return delivered;
      try {
        return await settleSseAnswer(delivered, requestId, init?.signal);
      } catch (error) {
        // Aborted before the first chunk: as fetch does, the request's signal's reason.
        failed(error);
        throw error;
      }
    }) as typeof fetch;
  }

  get lastObservation(): ResponseObservation | undefined {
    return this.observations.at(-1);
  }
}

function parseJsonBody(body: BodyInit | null | undefined): unknown {
  if (typeof body !== 'string') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

async function observe(method: string, url: string, response: Response): Promise<{ observation: ResponseObservation; response: Response }> {
  const contentType = response.headers.get('content-type') ?? undefined;
  const noBody = response.status === 202 || response.status === 204 || response.status === 304 || response.body === null;
  const errorLike = !response.ok || (!noBody && !isMcpContentType(contentType));
  const observation: ResponseObservation = {
    method,
    url,
    status: response.status,
    statusText: response.statusText,
    contentType,
    wwwAuthenticate: response.headers.get('www-authenticate') ?? undefined,
    errorLike,
  };
  if (!errorLike || noBody) return { observation, response };
  // Error pages are small and the SDK (or the EventSource) may never read them; reading them here
  // lets the recorder close the exchange with its body, and gives the error message something to quote.
  const text = await readCapped(response, ERROR_BODY_LIMIT);
  observation.bodySnippet = text.slice(0, SNIPPET_LIMIT);
  const replay = new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  return { observation, response: replay };
}

async function readCapped(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  // An error page that never finishes must not hold the connect hostage: keep what came in time.
  const deadline = Date.now() + ERROR_BODY_WAIT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    for (;;) {
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()));
      });
      const next = await Promise.race([reader.read(), late]);
      clearTimeout(timer);
      if (next === 'late') {
        await reader.cancel().catch(() => undefined);
        break;
      }
      const { done, value } = next;
      if (done) break;
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
      if (bytes >= limit) {
        await reader.cancel().catch(() => undefined);
        break;
      }
    }
  } catch {
    // A body that breaks mid-way still tells us what it started with.
  } finally {
    clearTimeout(timer);
  }
  return text + decoder.decode();
}
