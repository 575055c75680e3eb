// Finding the recorded request that best matches a new one: the same method, and params as alike as possible.
// A mock answers with the best match's answer, and a replay answers a server's request (elicitation, sampling,
// roots) with what the client answered to the best matching one in the recording.
import { isJsonObject } from '../json';
import { requestLabel, type RecordedOutcome } from './recording';

export interface Candidate {
  method: string;
  params?: Record<string, unknown>;
}

export interface Match<T extends Candidate> {
  candidate: T;
  /** 1 when the params are equal, down to 0 when nothing in them agrees. */
  score: number;
}

/** Leaf values of a JSON value by path (`a.b[0]`), bounded so a hostile value cannot make this expensive. */
function leaves(value: unknown, prefix = '', out = new Map<string, string>(), depth = 0): Map<string, string> {
  if (out.size >= 2000) return out;
  if (depth > 32 || value === null || typeof value !== 'object') {
    out.set(prefix, JSON.stringify(value) ?? 'undefined');
    return out;
  }
  const entries = Array.isArray(value)
    ? value.map((v, i) => [`[${i}]`, v] as const)
    : Object.entries(value).map(([k, v]) => [`.${k}`, v] as const);
  if (entries.length === 0) out.set(prefix, Array.isArray(value) ? '[]' : '{}');
  for (const [key, child] of entries) leaves(child, `${prefix}${key}`, out, depth + 1);
  return out;
}

/** How alike two params objects are: shared equal leaves over all leaves (Jaccard), with the subject weighed most. */
export function similarity(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): number {
  const left = leaves(a ?? {});
  const right = leaves(b ?? {});
  let equal = 0;
  for (const [path, value] of left) if (right.get(path) === value) equal += 1;
  const union = left.size + right.size - equal;
  const base = union === 0 ? 1 : equal / union;
  // The tool, prompt or resource asked for decides more than any argument: a call to another tool is a worse
  // match than the same tool with other arguments.
  const subject = (p: Record<string, unknown> | undefined) =>
    (p && (typeof p.name === 'string' ? p.name : typeof p.uri === 'string' ? p.uri : undefined)) ?? undefined;
  const sa = subject(a);
  const sb = subject(b);
  if (sa === undefined && sb === undefined) return base;
  return sa === sb ? 0.5 + base / 2 : base / 2;
}

/** The best candidate with the same method, or undefined when none has it. Ties go to the earliest. */
export function bestMatch<T extends Candidate>(
  method: string,
  params: Record<string, unknown> | undefined,
  candidates: readonly T[],
): Match<T> | undefined {
  let best: Match<T> | undefined;
  for (const candidate of candidates) {
    if (candidate.method !== method) continue;
    const score = similarity(withoutMeta(params), withoutMeta(candidate.params));
    if (!best || score > best.score) best = { candidate, score };
    if (score === 1) break;
  }
  return best;
}

/** The candidate closest to a request that none matches: the same method first, then the most alike params. */
export function nearest<T extends Candidate>(
  method: string,
  params: Record<string, unknown> | undefined,
  candidates: readonly T[],
): T | undefined {
  let best: { candidate: T; score: number } | undefined;
  for (const candidate of candidates) {
    const score =
      (candidate.method === method ? 1 : 0) +
      similarity(withoutMeta(params), withoutMeta(candidate.params)) / 2 +
      methodLikeness(method, candidate.method) / 4;
    if (!best || score > best.score) best = { candidate, score };
  }
  return best?.candidate;
}

function methodLikeness(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  return pa[0] === pb[0] ? 1 : 0;
}

function withoutMeta(params: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!isJsonObject(params) || !('_meta' in params)) return params;
  const { _meta: _ignored, ...rest } = params;
  return rest;
}

/** `tools/call add {"a":1,"b":2}`, clipped: how a report or an error names a recorded request. */
export function describeRequest(candidate: Candidate, max = 160): string {
  const params = withoutMeta(candidate.params);
  const args = params && isJsonObject(params.arguments) ? params.arguments : undefined;
  const text = `${requestLabel(candidate.method, params)}${args ? ` ${JSON.stringify(args)}` : ''}`;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * What the client answered to the recorded server request most like this one (elicitation, sampling, roots), or
 * undefined when the recording has none of that method with an answer: then a person (or a refusal) must answer.
 */
export function recordedServerAnswer(
  serverRequests: ReadonlyArray<Candidate & { outcome?: RecordedOutcome }>,
  method: string,
  params: Record<string, unknown> | undefined,
): RecordedOutcome | undefined {
  return bestMatch(
    method,
    params,
    serverRequests.filter((r) => r.outcome),
  )?.candidate.outcome;
}

/** How a client answers a server's request: a result object, or a JSON-RPC error. */
export type ServerRequestAnswer = { result: Record<string, unknown> } | { error: { code: number; message: string; data?: unknown } };

/**
 * The answer a replay gives to a server's request (elicitation, sampling, roots): what the recording's client
 * answered to the closest one, in the shape a client sends back; undefined when the recording has no usable answer
 * (then a person, a configured fallback, or a refusal answers). The command line and the app both answer this way.
 */
export function answerFromRecording(
  serverRequests: ReadonlyArray<Candidate & { outcome?: RecordedOutcome }>,
  method: string,
  params: Record<string, unknown> | undefined,
): ServerRequestAnswer | undefined {
  const recorded = recordedServerAnswer(serverRequests, method, params);
  if (!recorded) return undefined;
  if ('error' in recorded) return { error: recorded.error };
  return isJsonObject(recorded.result) ? { result: recorded.result } : undefined;
}

/** The refusal a replay sends when the recording holds no answer to a server's request. */
export function noRecordedAnswer(method: string): { code: number; message: string } {
  return { code: -1, message: `The recording holds no answer to ${method}.` };
}
