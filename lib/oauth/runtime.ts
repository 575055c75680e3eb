// Each OAuth step runs as a phase of the session log, and every HTTP exchange it makes is recorded under that
// phase. The current step is tracked with AsyncLocalStorage, so exchanges land under the right phase even when
// steps overlap (two requests refreshing at once, a callback arriving while a refresh runs).
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  InsecureTokenEndpointError,
  IssuerMismatchError,
  OAuthError as SdkOAuthError,
  RegistrationRejectedError,
} from '@modelcontextprotocol/client';
import { createRecordingFetch, describeFetchError, type PhaseHandle, type SecretSet, type TraceLog } from '../trace';
import type { FindingSeverity, JwtNote } from '../trace';
import { explainOAuthError, OAuthFlowError, readOAuthErrorBody, type OAuthErrorBody, type OAuthFlowErrorCode } from './errors';
import { refusalFor, toleranceHint, type CheckRefusal, type TolerableCheck } from './tolerate';

/** The last error answer seen in a step, kept so failures can quote the server's own words. */
export interface ErrorResponse {
  status: number;
  url: string;
  text: string;
}

export interface StepContext {
  phase: PhaseHandle;
  lastErrorResponse?: ErrorResponse;
}

/** How a step's failure is reported when the error is not already an OAuthFlowError. */
export interface StepFailure {
  code: OAuthFlowErrorCode;
  /** What failed, as the start of a sentence: "The token endpoint refused the authorization code". */
  what: string;
  hint?: string;
  /** The URL the step talks to, for explaining network failures. */
  url?: string;
}

const MAX_ERROR_BODY_CHARS = 16_384;

export class FlowRuntime {
  readonly fetch: typeof fetch;
  /** The checks this flow's person chose to get past (see ./tolerate); empty by default. */
  readonly tolerated = new Set<TolerableCheck>();
  private readonly steps = new AsyncLocalStorage<StepContext>();

  constructor(
    readonly log: TraceLog,
    baseFetch: typeof fetch,
    readonly secrets: SecretSet,
    private readonly parentPhaseId?: string,
  ) {
    const steps = this.steps;
    // Keeps a copy of each error body for the explanation; the recording fetch (outside) logs the exchange.
    const keepingErrors = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await baseFetch(input, init);
      const context = steps.getStore();
      if (context && response.status >= 400) {
        try {
          const text = await response.clone().text();
          context.lastErrorResponse = {
            status: response.status,
            url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
            text: text.slice(0, MAX_ERROR_BODY_CHARS),
          };
        } catch {
          // an unreadable body only costs the quote
        }
      }
      return response;
    }) as typeof fetch;
    this.fetch = createRecordingFetch(log, {
      baseFetch: keepingErrors,
      secrets,
      context: () => {
        const phaseId = steps.getStore()?.phase.id;
        return phaseId !== undefined ? { phaseId, purpose: 'oauth' } : { purpose: 'oauth' };
      },
    });
  }

  current(): StepContext | undefined {
    return this.steps.getStore();
  }

  /**
   * Runs `fn` as a phase nested under the current step (or the flow's parent phase). The phase closes `ok`
   * unless `fn` closed it itself; a failure closes it `failed` with an OAuthFlowError that explains it.
   */
  async step<T>(name: string, detail: string | undefined, failure: StepFailure, fn: (context: StepContext) => Promise<T>): Promise<T> {
    const parentId = this.steps.getStore()?.phase.id ?? this.parentPhaseId;
    const phase = this.log.beginPhase(name, {
      ...(parentId !== undefined ? { parentId } : {}),
      ...(detail !== undefined ? { detail } : {}),
    });
    const context: StepContext = { phase };
    try {
      const result = await this.steps.run(context, () => fn(context));
      phase.ok();
      return result;
    } catch (err) {
      const error = this.explain(err, context, failure);
      phase.fail(error.toTraceError());
      throw error;
    }
  }

  /**
   * A tolerable check failed: `problem` says what the server did. Refused (an OAuthFlowError with the check's code
   * and both values) unless the person tolerates that check, in which case it is a warning finding and the flow
   * goes on with `continuing` (what mcpscope does instead).
   */
  enforce(check: TolerableCheck, values: { expected: string; received: string | undefined }, problem: string, continuing: string): void {
    const refusal: CheckRefusal = refusalFor(check, values.expected, values.received);
    if (this.tolerated.has(check)) {
      this.finding(
        'warning',
        check,
        `${problem} (${refusal.rule}). ${continuing} because this session tolerates ${check}, as the person asked.`,
      );
      return;
    }
    throw new OAuthFlowError(check, `${problem} (${refusal.rule}), so mcpscope stopped before authorizing. ${toleranceHint(check)}`, {
      refusal,
    });
  }

  finding(severity: FindingSeverity, code: string, message: string, jwt?: JwtNote): void {
    const phaseId = this.steps.getStore()?.phase.id;
    this.log.finding(severity, code, message, { ...(phaseId !== undefined ? { phaseId } : {}), ...(jwt ? { jwt } : {}) });
  }

  /** Reads an error body and reports a misspelled message key once per step. */
  readErrorBody(text: string | undefined): OAuthErrorBody {
    const body = readOAuthErrorBody(text);
    if (body.misspelledKey) {
      this.finding(
        'warning',
        'oauth_error_misspelled_key',
        `The server's error body names its message "${body.misspelledKey}" instead of "message" or "error_description"; mcpscope read it anyway.`,
      );
    }
    return body;
  }

  /** Any failure inside a step as an OAuthFlowError with the server's explanation. */
  explain(err: unknown, context: StepContext, failure: StepFailure): OAuthFlowError {
    if (err instanceof OAuthFlowError) return err;
    const last = context.lastErrorResponse;
    if (err instanceof InsecureTokenEndpointError) return new OAuthFlowError('insecure_endpoint', err.message, { cause: err });
    if (err instanceof IssuerMismatchError) {
      return new OAuthFlowError(
        err.kind === 'authorization_response' ? 'iss_mismatch' : 'issuer_mismatch',
        `${err.message}. The authorization response claims to come from another server than the one the flow started with, so the code was not used.`,
        { cause: err },
      );
    }
    if (err instanceof RegistrationRejectedError) {
      const body = this.readErrorBody(err.body);
      return new OAuthFlowError(failure.code, explainOAuthError(failure.what, err.status, body, failure.hint), {
        status: err.status,
        ...(body.error ? { oauthError: body.error } : {}),
        cause: err,
      });
    }
    if (isNetworkError(err)) {
      const url = last?.url ?? failure.url ?? '';
      const described = describeFetchError(err, url);
      return new OAuthFlowError('network_error', `${failure.what}: ${described.message}`, { cause: err });
    }
    if (last) {
      const body = this.readErrorBody(last.text);
      if (!body.error && err instanceof SdkOAuthError) body.error = err.code;
      return new OAuthFlowError(failure.code, explainOAuthError(failure.what, last.status, body, failure.hint), {
        status: last.status,
        ...(body.error ? { oauthError: body.error } : {}),
        cause: err,
      });
    }
    if (err instanceof SdkOAuthError) {
      return new OAuthFlowError(
        failure.code,
        explainOAuthError(failure.what, undefined, { error: err.code, description: err.message }, failure.hint),
        {
          oauthError: err.code,
          cause: err,
        },
      );
    }
    const name = (err as { name?: unknown })?.name;
    if (name === 'ZodError' || name === '$ZodError') {
      return new OAuthFlowError(
        'invalid_response',
        `${failure.what}: the server's answer is not a valid OAuth response (${summarizeZod(err)}).`,
        { cause: err },
      );
    }
    const message = err instanceof Error ? err.message : String(err);
    return new OAuthFlowError(failure.code, `${failure.what}: ${message}`, { cause: err });
  }
}

function isNetworkError(err: unknown): boolean {
  if (!(err instanceof TypeError)) return false;
  const cause = (err as { cause?: unknown }).cause;
  return err.message === 'fetch failed' || (typeof cause === 'object' && cause !== null && 'code' in cause);
}

function summarizeZod(err: unknown): string {
  const issues = (err as { issues?: Array<{ path?: unknown[]; message?: string }> }).issues;
  if (!Array.isArray(issues) || issues.length === 0) return 'unexpected shape';
  return issues
    .slice(0, 3)
    .map((i) => `${(i.path ?? []).join('.') || 'body'}: ${i.message ?? 'invalid'}`)
    .join('; ');
}
