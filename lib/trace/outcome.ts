// Which failures in a log are real. Connecting in `auto` mode probes on purpose: a 2025 server refuses
// `server/discover`, a legacy SSE server refuses the Streamable HTTP POST, an OAuth server answers 401 until it has a
// token. Those answers are how the protocol negotiates, so they are shown neutrally ("probed: not supported",
// "challenge") and left out of failure counts. One function decides it for every view (Timeline, Messages, Traffic,
// summaries), from the log alone, so a live session, an import and a share read the same.
import type { PhaseStatus } from './types';

/** What a step, a message or an exchange amounts to. */
export type Verdict =
  /** Finished as hoped. */
  | 'ok'
  /** Still open. */
  | 'running'
  /** Left out on purpose (the engine said so). */
  | 'skipped'
  /** A probe that found the feature absent, and the client went on without it. */
  | 'not-supported'
  /** The server asked for authorization (401), and the client went on to authorize. */
  | 'challenge'
  /** A real failure: counted, shown in red. */
  | 'failed';

/** The words each expected outcome is shown with. */
export const VERDICT_LABEL: Record<Verdict, string> = {
  ok: 'ok',
  running: 'running',
  skipped: 'skipped',
  'not-supported': 'probed: not supported',
  challenge: 'challenge',
  failed: 'failed',
};

/** Why an expected outcome is not an error, in a sentence a person can read beside it. */
export const VERDICT_REASON: Partial<Record<Verdict, string>> = {
  'not-supported': 'An expected answer to a probe: the server does not offer this, and mcpscope went on without it.',
  challenge: 'An expected answer: the server asked for authorization (HTTP 401), and mcpscope went on to authorize.',
};

/** True for the neutral outcomes of negotiation: shown, explained, never counted as failures. */
export function isExpected(verdict: Verdict): boolean {
  return verdict === 'not-supported' || verdict === 'challenge';
}

/** The fields of a phase the classification reads (`PhaseNode`, the UI's `PhaseView`, an event all have them). */
export interface PhaseFacts {
  phaseId: string;
  name: string;
  status: PhaseStatus;
  parentId?: string;
  error?: { code: string };
  /** Position in start order (the seq of its first event); only the order matters. */
  seq: number;
}

/** The fields of a JSON-RPC message the classification reads. */
export interface RpcFacts {
  type: 'request' | 'notification' | 'result' | 'error';
  method?: string;
  /** The request this answers was filed under this phase (when known). */
  phaseId?: string;
}

/** The fields of an HTTP exchange the classification reads. */
export interface ExchangeFacts {
  phaseId?: string;
  purpose?: string;
  status?: number;
  /** The exchange failed without a usable response (refused, reset, timed out). */
  failed?: boolean;
  aborted?: boolean;
}

export type Subject = { kind: 'phase'; phase: PhaseFacts } | { kind: 'rpc'; rpc: RpcFacts } | { kind: 'exchange'; exchange: ExchangeFacts };

/** What the classification knows about the whole log: built once per log version by `outcomeContext`. */
export interface OutcomeContext {
  readonly phases: ReadonlyMap<string, PhaseFacts>;
  /** Verdict of every phase, by id. */
  readonly verdicts: ReadonlyMap<string, Verdict>;
}

const PROBE_PREFIX = 'probe:';
const OAUTH_PREFIX = 'oauth:';
const AUTH_REQUIRED = 'auth_required';
/** The era probe of 2026-07-28: older servers answer it with an error, which is how they say "not me". */
const DISCOVER = 'server/discover';

/**
 * Classifies one subject. The rules, in order:
 * - a failed phase that answered an authorization challenge (`auth_required`) which an OAuth step followed is a
 *   `challenge`;
 * - a failed transport probe (`probe:…`) that a later probe under the same parent followed (the fallback to the
 *   legacy transport), and every failed step inside it, is `not-supported`;
 * - a failed `server/discover` inside a probe that then succeeded is `not-supported`;
 * - a JSON-RPC error answering `server/discover` is `not-supported` (the engine goes on with `initialize`; if that
 *   fails, it is the failure);
 * - an HTTP exchange inherits the verdict of its phase when it was refused (4xx) inside an expected step, and a
 *   `probe` exchange refused with a 4xx is `not-supported`;
 * - everything else keeps its plain status.
 */
export function classify(subject: Subject, context: OutcomeContext): Verdict {
  switch (subject.kind) {
    case 'phase':
      return context.verdicts.get(subject.phase.phaseId) ?? plainVerdict(subject.phase.status);
    case 'rpc': {
      const { rpc } = subject;
      if (rpc.type !== 'error') return rpc.type === 'request' ? 'running' : 'ok';
      if (rpc.method === DISCOVER) return 'not-supported';
      const phaseVerdict = rpc.phaseId !== undefined ? context.verdicts.get(rpc.phaseId) : undefined;
      return phaseVerdict !== undefined && isExpected(phaseVerdict) ? phaseVerdict : 'failed';
    }
    case 'exchange': {
      const { exchange } = subject;
      const refused = exchange.status !== undefined && exchange.status >= 400 && exchange.status < 500;
      const broken = (exchange.failed === true && !exchange.aborted) || (exchange.status !== undefined && exchange.status >= 400);
      if (!broken) return exchange.status === undefined && !exchange.failed ? 'running' : 'ok';
      if (refused) {
        const phaseVerdict = exchange.phaseId !== undefined ? context.verdicts.get(exchange.phaseId) : undefined;
        if (phaseVerdict !== undefined && isExpected(phaseVerdict)) return phaseVerdict;
        if (exchange.purpose === 'probe') return 'not-supported';
      }
      return 'failed';
    }
  }
}

function plainVerdict(status: PhaseStatus): Verdict {
  return status === 'started' ? 'running' : status;
}

/** Indexes the phases once; `classify` then answers in constant time per subject. */
export function outcomeContext(phases: readonly PhaseFacts[]): OutcomeContext {
  const byId = new Map<string, PhaseFacts>();
  const children = new Map<string, PhaseFacts[]>();
  let lastOAuthSeq = Number.NEGATIVE_INFINITY;
  for (const phase of phases) {
    byId.set(phase.phaseId, phase);
    if (phase.name.startsWith(OAUTH_PREFIX)) lastOAuthSeq = Math.max(lastOAuthSeq, phase.seq);
  }
  for (const phase of phases) {
    if (phase.parentId === undefined || !byId.has(phase.parentId)) continue;
    const list = children.get(phase.parentId) ?? [];
    list.push(phase);
    children.set(phase.parentId, list);
  }

  const probeVerdict = new Map<string, Verdict | undefined>();
  /** A failed probe followed by another probe under the same parent: the fallback found this transport absent. */
  const probeFellBack = (probe: PhaseFacts): boolean => {
    if (probe.parentId === undefined) return false;
    return (children.get(probe.parentId) ?? []).some(
      (sibling) => sibling !== probe && sibling.name.startsWith(PROBE_PREFIX) && sibling.seq > probe.seq,
    );
  };
  /** The nearest enclosing probe (itself included), bounded against parent cycles in a corrupt log. */
  const enclosingProbe = (phase: PhaseFacts): PhaseFacts | undefined => {
    let current: PhaseFacts | undefined = phase;
    for (let hops = 0; current && hops < 64; hops += 1) {
      if (current.name.startsWith(PROBE_PREFIX)) return current;
      current = current.parentId !== undefined ? byId.get(current.parentId) : undefined;
    }
    return undefined;
  };

  const verdicts = new Map<string, Verdict>();
  for (const phase of phases) {
    let verdict = plainVerdict(phase.status);
    if (verdict === 'failed') {
      if (phase.error?.code === AUTH_REQUIRED && lastOAuthSeq > phase.seq) {
        verdict = 'challenge';
      } else {
        const probe = enclosingProbe(phase);
        if (probe) {
          if (!probeVerdict.has(probe.phaseId))
            probeVerdict.set(probe.phaseId, probe.status === 'failed' && probeFellBack(probe) ? 'not-supported' : undefined);
          if (probeVerdict.get(probe.phaseId) === 'not-supported') verdict = 'not-supported';
          else if (phase.name === DISCOVER && probe.status === 'ok') verdict = 'not-supported';
        }
      }
    }
    verdicts.set(phase.phaseId, verdict);
  }
  return { phases: byId, verdicts };
}

/** How many phases failed for real (what a "N failed steps" summary counts). */
export function countFailures(context: OutcomeContext): number {
  let count = 0;
  for (const verdict of context.verdicts.values()) if (verdict === 'failed') count += 1;
  return count;
}
