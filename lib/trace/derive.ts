// Views of the log that the UI renders: exchanges with everything that happened on them, and the phase tree.
// Pure functions of an event array: the same code serves a live session, an import and a share.
import type {
  FindingEvent,
  HttpEndEvent,
  HttpRequestEvent,
  HttpResponseEvent,
  PhaseStatus,
  RpcEvent,
  SseFrameEvent,
  TraceError,
  TraceEvent,
} from './types';

export type ExchangeState = 'pending' | 'streaming' | 'done' | 'failed' | 'aborted';

/** Every event recorded on one HTTP exchange, grouped (exports read it; the browser's ExchangeView is a summary). */
export interface ExchangeEvents {
  exchangeId: string;
  phaseId?: string;
  request?: HttpRequestEvent;
  response?: HttpResponseEvent;
  end?: HttpEndEvent;
  frames: SseFrameEvent[];
  rpc: RpcEvent[];
  findings: FindingEvent[];
  state: ExchangeState;
  /** The seq of the first event seen for this exchange (for ordering). */
  firstSeq: number;
}

/** Exchanges by id, in the order they started. */
export function groupExchanges(events: readonly TraceEvent[]): Map<string, ExchangeEvents> {
  const out = new Map<string, ExchangeEvents>();
  const get = (id: string, seq: number): ExchangeEvents => {
    let x = out.get(id);
    if (!x) {
      x = { exchangeId: id, frames: [], rpc: [], findings: [], state: 'pending', firstSeq: seq };
      out.set(id, x);
    }
    return x;
  };
  for (const e of events) {
    switch (e.kind) {
      case 'http.request': {
        const x = get(e.exchangeId, e.seq);
        x.request = e;
        if (e.phaseId !== undefined) x.phaseId = e.phaseId;
        break;
      }
      case 'http.response':
        get(e.exchangeId, e.seq).response = e;
        break;
      case 'http.end':
        get(e.exchangeId, e.seq).end = e;
        break;
      case 'sse.frame':
        get(e.exchangeId, e.seq).frames.push(e);
        break;
      case 'rpc':
        if (e.exchangeId !== undefined) get(e.exchangeId, e.seq).rpc.push(e);
        break;
      case 'finding':
        if (e.exchangeId !== undefined) get(e.exchangeId, e.seq).findings.push(e);
        break;
      default:
        break;
    }
  }
  for (const x of out.values()) x.state = exchangeState(x);
  return out;
}

function exchangeState(x: ExchangeEvents): ExchangeState {
  if (x.end) {
    if (x.end.aborted) return 'aborted';
    return x.end.error ? 'failed' : 'done';
  }
  return x.response ? 'streaming' : 'pending';
}

export interface PhaseNode {
  phaseId: string;
  name: string;
  /** `started` while the phase is still open. */
  status: PhaseStatus;
  detail?: string;
  error?: TraceError;
  parentId?: string;
  startSeq: number;
  startT: number;
  endSeq?: number;
  endT?: number;
  durationMs?: number;
  children: PhaseNode[];
  /** Exchanges recorded while this phase was open (tagged with its id), in order. */
  exchangeIds: string[];
}

/** Phases as a forest (roots in start order), each with its children and exchanges. */
export function phaseTree(events: readonly TraceEvent[]): PhaseNode[] {
  const nodes = new Map<string, PhaseNode>();
  const order: PhaseNode[] = [];
  const orphanExchanges: Array<[string, string]> = [];
  for (const e of events) {
    if (e.kind === 'phase') {
      let node = nodes.get(e.phaseId);
      if (!node) {
        node = {
          phaseId: e.phaseId,
          name: e.name,
          status: e.status,
          startSeq: e.seq,
          startT: e.t,
          children: [],
          exchangeIds: [],
        };
        if (e.parentId !== undefined) node.parentId = e.parentId;
        nodes.set(e.phaseId, node);
        order.push(node);
      }
      if (e.detail !== undefined) node.detail = e.detail;
      if (e.status !== 'started') {
        node.status = e.status;
        node.endSeq = e.seq;
        node.endT = e.t;
        // An imported log may have lost the opening event; its closing one still knows the duration.
        node.durationMs = e.durationMs ?? e.t - node.startT;
        if (node.startSeq === e.seq) node.startT = e.t - node.durationMs;
        if (e.error !== undefined) node.error = e.error;
      }
    } else if (e.kind === 'http.request' && e.phaseId !== undefined) {
      const node = nodes.get(e.phaseId);
      if (node) node.exchangeIds.push(e.exchangeId);
      else orphanExchanges.push([e.phaseId, e.exchangeId]);
    }
  }
  for (const [phaseId, exchangeId] of orphanExchanges) nodes.get(phaseId)?.exchangeIds.push(exchangeId);
  const roots: PhaseNode[] = [];
  for (const node of order) {
    const parent = node.parentId !== undefined ? nodes.get(node.parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** The JSON-RPC messages of a log, in order (the message list view). */
export function rpcMessages(events: readonly TraceEvent[]): RpcEvent[] {
  return events.filter((e): e is RpcEvent => e.kind === 'rpc');
}
