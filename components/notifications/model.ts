// The server's notifications, indexed once per log store and extended incrementally as the log grows,
// so every view that needs them (Notifications, Resources, the pending panel, tasks) reads the same list
// without rescanning the whole message log on each frame. Pure apart from the WeakMap cache.
import type { RpcEvent } from '@/lib/trace/types';
import type { LogStore } from '../log-store';

export type NotificationKind = 'message' | 'progress' | 'list_changed' | 'updated' | 'cancelled' | 'elicitation' | 'task' | 'other';

export const NOTIFICATION_KINDS: readonly NotificationKind[] = [
  'message',
  'progress',
  'list_changed',
  'updated',
  'cancelled',
  'elicitation',
  'task',
  'other',
];

export const KIND_LABELS: Record<NotificationKind, string> = {
  message: 'log messages',
  progress: 'progress',
  list_changed: 'list changed',
  updated: 'resource updated',
  cancelled: 'cancelled',
  elicitation: 'elicitation complete',
  task: 'task status',
  other: 'other',
};

export const LEVEL_ORDER = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type Level = (typeof LEVEL_ORDER)[number];

export interface NotificationItem {
  seq: number;
  t: number;
  method: string;
  kind: NotificationKind;
  params: Record<string, unknown>;
  event: RpcEvent;
}

export function kindOf(method: string): NotificationKind {
  if (method === 'notifications/message') return 'message';
  if (method === 'notifications/progress') return 'progress';
  if (method.endsWith('/list_changed')) return 'list_changed';
  if (method === 'notifications/resources/updated') return 'updated';
  if (method === 'notifications/cancelled') return 'cancelled';
  if (method === 'notifications/elicitation/complete') return 'elicitation';
  if (method === 'notifications/tasks/status') return 'task';
  return 'other';
}

export function levelRank(level: unknown): number {
  const index = LEVEL_ORDER.indexOf(String(level) as Level);
  return index === -1 ? 0 : index;
}

function paramsOf(event: RpcEvent): Record<string, unknown> {
  const message = event.message;
  if (!message || typeof message !== 'object') return {};
  const params = (message as { params?: unknown }).params;
  return params && typeof params === 'object' && !Array.isArray(params) ? (params as Record<string, unknown>) : {};
}

interface Index {
  scanned: number;
  items: NotificationItem[];
  byKind: Map<NotificationKind, NotificationItem[]>;
}

const indexes = new WeakMap<LogStore, Index>();

function indexFor(store: LogStore): Index {
  let index = indexes.get(store);
  if (!index) {
    index = { scanned: 0, items: [], byKind: new Map() };
    indexes.set(store, index);
  }
  const rpc = store.rpc;
  for (let i = index.scanned; i < rpc.length; i++) {
    const event = rpc[i]!;
    if (event.direction !== 'in' || event.type !== 'notification' || !event.method) continue;
    const item: NotificationItem = {
      seq: event.seq,
      t: event.t,
      method: event.method,
      kind: kindOf(event.method),
      params: paramsOf(event),
      event,
    };
    index.items.push(item);
    let list = index.byKind.get(item.kind);
    if (!list) index.byKind.set(item.kind, (list = []));
    list.push(item);
  }
  index.scanned = rpc.length;
  return index;
}

/** Incoming notifications so far, oldest first; the array grows in place as the log does. */
export function notificationsOf(store: LogStore): readonly NotificationItem[] {
  return indexFor(store).items;
}

/** Only one kind (e.g. every `resources/updated`): small lists that are cheap to scan per frame. */
export function notificationsOfKind(store: LogStore, kind: NotificationKind): readonly NotificationItem[] {
  return indexFor(store).byKind.get(kind) ?? EMPTY;
}

const EMPTY: readonly NotificationItem[] = Object.freeze([]);

/** A short human line for one notification. */
export function summarize(item: NotificationItem): string {
  const p = item.params;
  switch (item.kind) {
    case 'message': {
      const data = typeof p.data === 'string' ? p.data : JSON.stringify(p.data);
      return `${p.logger ? `[${String(p.logger)}] ` : ''}${data ?? ''}`;
    }
    case 'progress':
      return `token ${JSON.stringify(p.progressToken)}: ${String(p.progress)}${p.total !== undefined ? ` / ${String(p.total)}` : ''}${p.message ? ` · ${String(p.message)}` : ''}`;
    case 'list_changed':
      return `the ${item.method.split('/')[1] ?? ''} list changed`;
    case 'updated':
      return String(p.uri ?? '');
    case 'cancelled':
      return `request ${JSON.stringify(p.requestId)}${p.reason ? `: ${String(p.reason)}` : ''}`;
    case 'elicitation':
      return `elicitation ${String(p.elicitationId ?? '')} completed`;
    case 'task':
      return `task ${String(p.taskId ?? '')}: ${String(p.status ?? '')}${p.statusMessage ? ` · ${String(p.statusMessage)}` : ''}`;
    default:
      return Object.keys(p).length > 0 ? JSON.stringify(p) : '';
  }
}
