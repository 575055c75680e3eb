// Replaying a recording and comparing two: each request paired with its counterpart, its answers diffed, a
// verdict per request (identical / differs / failed), and the interface diff of what both sides listed. The
// sending is given (a function), so this runs the same for the command line, the app and the tests.
import { diffJson, type IgnoreRule, type JsonChange } from './diff';
import { diffInterfaces, interfaceFromAnswers, type InterfaceChange } from './interface';
import { bestMatch } from './match';
import { requestLabel, type RecordedOutcome, type RecordedRequest, type Recording } from './recording';

export type Verdict = 'identical' | 'differs' | 'failed';

export interface RequestComparison {
  /** Position in the recording (the first one, for a comparison of two). */
  index: number;
  method: string;
  /** `tools/call add`, `resources/read file:///x`. */
  label: string;
  params?: Record<string, unknown>;
  verdict: Verdict;
  /** Differences beyond the ignore rules, as JSON paths into `{result}` / `{error}`. */
  changes: JsonChange[];
  /** How many differences the ignore rules set aside, per rule. */
  ignored: Record<string, number>;
  /** Differences past the listing limit. */
  omitted: number;
  recorded?: RecordedOutcome;
  replayed?: RecordedOutcome;
  /** Why there is nothing to compare: the replay's request failed, or the recording holds no answer. */
  failure?: { code: string; message: string };
  /** For a comparison of two recordings: a request only one of them made. */
  only?: 'a' | 'b';
  latencyMs: { recorded?: number; replayed?: number };
}

export interface ComparisonReport {
  requests: RequestComparison[];
  interface: InterfaceChange[];
  summary: { total: number; identical: number; differs: number; failed: number; breaking: number };
  /** Anything differs or failed (beyond the ignore rules): the command line exits 6. */
  differs: boolean;
}

/** Sends one request to the target; resolves with its outcome, rejects when no answer came (a failure). */
export type SendRequest = (method: string, params: Record<string, unknown> | undefined) => Promise<RecordedOutcome>;

export interface ReplayOptions {
  ignore?: readonly IgnoreRule[];
  /** Called after each request, e.g. to show progress. */
  onResult?: (result: RequestComparison) => void;
  signal?: AbortSignal;
}

/** Compares two outcomes of the same request. */
export function compareOutcomes(
  recorded: RecordedOutcome | undefined,
  replayed: RecordedOutcome | undefined,
  ignore: readonly IgnoreRule[],
): Pick<RequestComparison, 'verdict' | 'changes' | 'ignored' | 'omitted'> {
  if (!recorded || !replayed) return { verdict: 'failed', changes: [], ignored: {}, omitted: 0 };
  const diff = diffJson(recorded, replayed, { ignore });
  const ignored: Record<string, number> = {};
  for (const change of diff.ignored) ignored[change.rule] = (ignored[change.rule] ?? 0) + 1;
  const differs = diff.changes.length > 0 || diff.omitted > 0;
  return { verdict: differs ? 'differs' : 'identical', changes: diff.changes, ignored, omitted: diff.omitted };
}

/** Re-issues the recording's requests in order through `send` and compares each answer with the recorded one. */
export async function replayRecording(recording: Recording, send: SendRequest, options: ReplayOptions = {}): Promise<ComparisonReport> {
  const ignore = options.ignore ?? [];
  const results: RequestComparison[] = [];
  const replayedAnswers: Array<{ method: string; params?: Record<string, unknown>; result?: unknown }> = [];
  for (const request of recording.requests) {
    if (options.signal?.aborted) break;
    const started = Date.now();
    let replayed: RecordedOutcome | undefined;
    let failure: RequestComparison['failure'];
    try {
      replayed = await send(request.method, request.params);
    } catch (error) {
      failure = {
        code: typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'request_failed',
        message: error instanceof Error ? error.message : String(error),
      };
    }
    const latency = Date.now() - started;
    if (!request.outcome && !failure)
      failure = {
        code: 'no_recorded_answer',
        message: 'The recording holds no answer to this request (cancelled, timed out, or dropped by the log cap).',
      };
    if (replayed && 'result' in replayed)
      replayedAnswers.push({ method: request.method, ...(request.params ? { params: request.params } : {}), result: replayed.result });
    const result: RequestComparison = {
      index: request.index,
      method: request.method,
      label: requestLabel(request.method, request.params),
      ...(request.params ? { params: request.params } : {}),
      ...compareOutcomes(request.outcome, replayed, ignore),
      ...(request.outcome ? { recorded: request.outcome } : {}),
      ...(replayed ? { replayed } : {}),
      ...(failure ? { failure } : {}),
      latencyMs: {
        ...(request.latencyMs !== undefined ? { recorded: request.latencyMs } : {}),
        ...(replayed ? { replayed: latency } : {}),
      },
    };
    results.push(result);
    options.onResult?.(result);
  }
  return report(results, diffInterfaces(recordedInterface(recording), interfaceFromAnswers(replayedAnswers)));
}

/**
 * Compares two recordings offline. Requests are paired in order: each request of `a` with the first unpaired one
 * of `b` with the same method and the most alike params (the same tool, prompt or resource at least); what only one
 * side made is listed as such.
 */
export function compareRecordings(a: Recording, b: Recording, options: { ignore?: readonly IgnoreRule[] } = {}): ComparisonReport {
  const ignore = options.ignore ?? [];
  const unpaired = [...b.requests];
  const results: RequestComparison[] = [];
  for (const request of a.requests) {
    const match = bestMatch(request.method, request.params, unpaired);
    // Below 0.5 the subject (tool name, URI) differs: that is another request, not a changed answer.
    const counterpart = match && match.score >= 0.5 ? match.candidate : undefined;
    if (!counterpart) {
      results.push(onlyIn('a', request));
      continue;
    }
    unpaired.splice(unpaired.indexOf(counterpart), 1);
    const failure =
      !request.outcome || !counterpart.outcome
        ? {
            code: 'no_recorded_answer',
            message: `${!request.outcome ? 'The first' : 'The second'} recording holds no answer to this request.`,
          }
        : undefined;
    results.push({
      index: request.index,
      method: request.method,
      label: requestLabel(request.method, request.params),
      ...(request.params ? { params: request.params } : {}),
      ...compareOutcomes(request.outcome, counterpart.outcome, ignore),
      ...(request.outcome ? { recorded: request.outcome } : {}),
      ...(counterpart.outcome ? { replayed: counterpart.outcome } : {}),
      ...(failure ? { failure } : {}),
      latencyMs: {
        ...(request.latencyMs !== undefined ? { recorded: request.latencyMs } : {}),
        ...(counterpart.latencyMs !== undefined ? { replayed: counterpart.latencyMs } : {}),
      },
    });
  }
  for (const request of unpaired) results.push(onlyIn('b', request));
  return report(results, diffInterfaces(recordedInterface(a), recordedInterface(b)));
}

function onlyIn(side: 'a' | 'b', request: RecordedRequest): RequestComparison {
  return {
    index: request.index,
    method: request.method,
    label: requestLabel(request.method, request.params),
    ...(request.params ? { params: request.params } : {}),
    verdict: 'differs',
    changes: [],
    ignored: {},
    omitted: 0,
    ...(request.outcome ? (side === 'a' ? { recorded: request.outcome } : { replayed: request.outcome }) : {}),
    only: side,
    latencyMs: request.latencyMs !== undefined ? (side === 'a' ? { recorded: request.latencyMs } : { replayed: request.latencyMs }) : {},
  };
}

/** What the recording's own list answers say the server offered. */
export function recordedInterface(recording: Recording) {
  return interfaceFromAnswers(
    recording.requests.flatMap((r) =>
      r.outcome && 'result' in r.outcome ? [{ method: r.method, ...(r.params ? { params: r.params } : {}), result: r.outcome.result }] : [],
    ),
  );
}

function report(requests: RequestComparison[], interfaceChanges: InterfaceChange[]): ComparisonReport {
  const count = (verdict: Verdict) => requests.filter((r) => r.verdict === verdict).length;
  const summary = {
    total: requests.length,
    identical: count('identical'),
    differs: count('differs'),
    failed: count('failed'),
    breaking: interfaceChanges.filter((c) => c.breaking).length,
  };
  return { requests, interface: interfaceChanges, summary, differs: summary.differs + summary.failed > 0 || interfaceChanges.length > 0 };
}
