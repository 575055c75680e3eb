// Writing an MCP App's bridge traffic into the session log: one `app.message` event per JSON-RPC message, paired
// request → answer within its view (latency as the browser measured it), and findings for what an app got wrong.
// The browser hosts the view and forwards what crossed the bridge; this side decides what it means, so a page
// cannot write arbitrary findings into a log.
import { capJsonDepth, classifyRpcMessage, RpcPairer, utf8ByteLength, type AppMessageEvent, type TraceLog } from '../trace';
import { APP_MIME_TYPE } from './meta';

/** One message as the browser saw it cross the bridge. */
export interface BridgeMessage {
  direction: 'in' | 'out';
  /** Epoch milliseconds in the browser when it crossed. */
  at: number;
  message: unknown;
}

/** Something the host refused or saw that the messages alone do not show. Phrased here, never by the page. */
export type BridgeNote =
  | { code: 'app_tool_not_visible'; tool: string }
  | { code: 'app_resource_mime_type'; mimeType: string }
  | { code: 'app_csp_violation'; directive: string; blockedUri: string };

export interface BridgeBatch {
  viewId: string;
  resourceUri: string;
  messages: BridgeMessage[];
  notes?: BridgeNote[];
}

export interface RecordBridgeOptions {
  /** Masks the session's known secrets (and credential-named keys) in the message's JSON text. */
  maskJson?: (text: string) => string;
}

interface ViewState {
  pairer: RpcPairer;
  initialized: boolean;
  /** Finding codes already reported for this view: one of each is enough to see it. */
  reported: Set<string>;
}

const MAX_VIEWS_PER_LOG = 200;
const views = new WeakMap<TraceLog, Map<string, ViewState>>();

function viewState(log: TraceLog, viewId: string): ViewState {
  let map = views.get(log);
  if (!map) {
    map = new Map();
    views.set(log, map);
  }
  let state = map.get(viewId);
  if (!state) {
    state = { pairer: new RpcPairer(1000), initialized: false, reported: new Set() };
    map.set(viewId, state);
    if (map.size > MAX_VIEWS_PER_LOG) map.delete(map.keys().next().value as string);
  }
  return state;
}

/** Methods a view may send before `ui/notifications/initialized` (the handshake itself, and pings). */
const BEFORE_INITIALIZED = new Set(['ui/initialize', 'ping', 'ui/notifications/initialized', 'ui/notifications/sandbox-proxy-ready']);

/** The resource's HTML rides in `sandbox-resource-ready`; the log has it already from `resources/read`. */
function withoutHtml(message: unknown): unknown {
  if (!message || typeof message !== 'object') return message;
  const m = message as { method?: unknown; params?: unknown };
  if (m.method !== 'ui/notifications/sandbox-resource-ready' || !m.params || typeof m.params !== 'object') return message;
  const params = m.params as Record<string, unknown>;
  if (typeof params.html !== 'string') return message;
  return {
    ...m,
    params: { ...params, html: `(${params.html.length.toLocaleString('en-US')} characters of HTML, as read by resources/read)` },
  };
}

function maskMessage(message: unknown, options: RecordBridgeOptions): unknown {
  if (!options.maskJson) return message;
  try {
    return JSON.parse(options.maskJson(JSON.stringify(message)));
  } catch {
    return message;
  }
}

/** Appends the batch's messages and findings; returns the `app.message` events appended. */
export function recordBridgeBatch(log: TraceLog, batch: BridgeBatch, options: RecordBridgeOptions = {}): AppMessageEvent[] {
  const state = viewState(log, batch.viewId);
  const out: AppMessageEvent[] = [];
  const once = (code: string, message: string, severity: 'warning' | 'error' = 'warning') => {
    if (state.reported.has(code)) return;
    state.reported.add(code);
    log.finding(severity, code, message);
  };
  const where = `The app view of ${batch.resourceUri}`;
  for (const entry of batch.messages) {
    const info = classifyRpcMessage(entry.message);
    const { value } = capJsonDepth(maskMessage(withoutHtml(entry.message), options));
    const size = utf8ByteLength(JSON.stringify(value) ?? '');
    const base: Omit<AppMessageEvent, 'seq' | 't'> = {
      kind: 'app.message',
      direction: entry.direction,
      type: info?.type ?? 'notification',
      viewId: batch.viewId,
      resourceUri: batch.resourceUri,
      message: value,
      size,
    };
    if (!info) {
      out.push(log.append(base) as AppMessageEvent);
      if (entry.direction === 'in') {
        once(
          'app_malformed_message',
          `${where} sent a message that is not JSON-RPC 2.0 (seq ${out.at(-1)!.seq}); hosts ignore such messages.`,
          'error',
        );
      }
      continue;
    }
    if (info.id !== undefined) base.id = info.id;
    if ((info.type === 'request' || info.type === 'notification') && info.method !== undefined) {
      base.method = info.method;
      const e = log.append(base) as AppMessageEvent;
      out.push(e);
      if (info.type === 'request' && info.id !== undefined) state.pairer.request(entry.direction, info.id, e.seq, entry.at, info.method);
      if (entry.direction === 'in') {
        if (info.method === 'ui/notifications/initialized') state.initialized = true;
        else if (!state.initialized && info.type === 'request' && !BEFORE_INITIALIZED.has(info.method)) {
          once(
            'app_request_before_initialized',
            `${where} sent ${info.method} (seq ${e.seq}) before ui/notifications/initialized. The spec asks a view to finish ` +
              'the handshake first; hosts may hold or refuse such requests.',
          );
        }
      }
    } else {
      const pairing = info.id !== undefined ? state.pairer.response(entry.direction, info.id, entry.at) : undefined;
      if (pairing) {
        if (pairing.method !== undefined) base.method = pairing.method;
        base.pairSeq = pairing.pairSeq;
        base.latencyMs = pairing.latencyMs;
      }
      out.push(log.append(base) as AppMessageEvent);
    }
    if (info.problems && entry.direction === 'in') {
      once('app_malformed_message', `${where} sent a message that breaks JSON-RPC 2.0: ${info.problems.join('; ')}.`, 'error');
    }
  }
  for (const note of batch.notes ?? []) {
    switch (note.code) {
      case 'app_tool_not_visible':
        log.finding(
          'warning',
          note.code,
          `${where} called the tool ${JSON.stringify(note.tool)}, which is not visible to apps (its _meta.ui.visibility ` +
            'leaves out "app", or the server does not list it). mcpscope refused the call, as a host must.',
        );
        break;
      case 'app_resource_mime_type':
        once(
          note.code,
          `${batch.resourceUri} was read with MIME type ${JSON.stringify(note.mimeType)}; an MCP App view must be ` +
            `${APP_MIME_TYPE}. mcpscope rendered it anyway, other hosts may not.`,
        );
        break;
      case 'app_csp_violation':
        if (note.blockedUri === 'eval' || note.blockedUri === 'wasm-eval') {
          // Libraries probe for eval and fall back (zod does, in the ext-apps SDK itself): worth knowing, not a fault.
          if (state.reported.has('csp_eval')) break;
          state.reported.add('csp_eval');
          log.finding(
            'info',
            note.code,
            `${where} used ${note.blockedUri === 'eval' ? 'eval / new Function' : 'WebAssembly compilation'} (${note.directive}), ` +
              "which MCP Apps sandboxes do not allow (no 'unsafe-eval'). Libraries that probe for it and fall back work; code " +
              'that needs it fails in every host.',
          );
          break;
        }
        log.finding(
          'warning',
          note.code,
          `${where} tried to reach ${JSON.stringify(note.blockedUri)} (${note.directive}), which its _meta.ui.csp does not ` +
            'declare; the sandbox blocked it. Declare the origin in connectDomains / resourceDomains if the view needs it.',
        );
        break;
    }
  }
  return out;
}
