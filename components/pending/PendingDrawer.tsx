'use client';

import { lazy, Suspense, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { PendingRequest } from '../api';
import { useLatestNotification } from '../notifications';
import { Badge, Button, IconCheck, IconX, Spinner, formatOffset, useNow } from '../ui';
import { SamplingCard } from './SamplingCard';
import { usePendingContext, type UrlWait } from './PendingHost';

// The elicitation form is rjsf + Ajv: loaded when a server first asks, not with the workspace page.
const ElicitationCard = lazy(() => import('./ElicitationCard').then((module) => ({ default: module.ElicitationCard })));

/** "5 min", "90 s": how long a request may wait. */
export function formatWait(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

function formatCountdown(ms: number): string {
  if (ms <= 0) return 'timing out…';
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

const METHOD_LABEL: Record<string, string> = {
  'elicitation/create': 'Elicitation',
  'sampling/createMessage': 'Sampling',
  'roots/list': 'Roots',
};

function PendingCard({ entry }: { entry: PendingRequest }) {
  const now = useNow();
  const left = entry.expiresAt - now;
  const urlMode = entry.method === 'elicitation/create' && entry.params.mode === 'url';
  return (
    <section
      tabIndex={-1}
      className="overflow-hidden rounded-md border border-line-strong bg-panel shadow-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-accent/50"
      data-testid="pending-request"
      data-method={entry.method}
      data-request-id={entry.requestId}
      aria-label={`${METHOD_LABEL[entry.method] ?? entry.method} request from the server`}
    >
      <header className="flex flex-wrap items-center gap-1.5 border-b border-line bg-panel-2 px-3 py-1.5 text-[11px]">
        <span className="text-[13px] font-semibold">{METHOD_LABEL[entry.method] ?? entry.method}</span>
        {entry.method === 'elicitation/create' && <Badge tone={urlMode ? 'purple' : 'accent'}>{urlMode ? 'URL mode' : 'form mode'}</Badge>}
        <Badge mono title="The server's method">
          {entry.method}
        </Badge>
        <Badge
          tone={entry.via === 'input_required' ? 'purple' : 'neutral'}
          title={
            entry.via === 'input_required' ? 'Embedded in an input_required result (2026-07-28)' : 'A JSON-RPC request from the server'
          }
        >
          {entry.via === 'input_required' ? 'input_required' : `id ${String(entry.rpcId)}`}
        </Badge>
        {entry.task && (
          <Badge
            tone="accent"
            mono
            title="A task-augmented request (2025-11-25): the server got this task id at once and polls tasks/get and tasks/result for your answer"
            data-testid="pending-task"
          >
            task {entry.task.taskId}
          </Badge>
        )}
        <span
          className={left < 30_000 ? 'ml-auto font-mono text-warn' : 'ml-auto font-mono text-muted'}
          title="Answered with a JSON-RPC error when the time runs out"
          data-testid="pending-countdown"
        >
          {formatCountdown(left)}
        </span>
      </header>
      <div className="p-3">
        {entry.method === 'elicitation/create' ? (
          <Suspense fallback={<Spinner label="Loading the form" />}>
            <ElicitationCard entry={entry} />
          </Suspense>
        ) : entry.method === 'sampling/createMessage' ? (
          <SamplingCard entry={entry} />
        ) : (
          <pre className="font-mono text-xs">{JSON.stringify(entry.params, null, 2)}</pre>
        )}
      </div>
    </section>
  );
}

function UrlWaitRow({ wait }: { wait: UrlWait }) {
  const context = usePendingContext();
  const complete = useLatestNotification(context!.store, 'elicitation', (item) => item.params.elicitationId === wait.elicitationId);
  return (
    <div
      className="flex items-start gap-2 rounded border border-line bg-panel px-3 py-2 text-xs"
      data-testid="url-wait"
      data-complete={complete ? 'true' : 'false'}
    >
      {complete ? (
        <IconCheck className="mt-0.5 h-3.5 w-3.5 shrink-0 text-ok" />
      ) : (
        <IconCheck className="mt-0.5 h-3.5 w-3.5 shrink-0 text-muted" />
      )}
      <div className="min-w-0 flex-1">
        <div className="font-medium">
          {complete
            ? `Completed: the server sent notifications/elicitation/complete (${formatOffset(complete.t)})`
            : 'Answered: accepted. Nothing more is needed from you.'}
        </div>
        {!complete && (
          <div className="text-[11px] text-muted" data-testid="url-wait-note">
            The server may send notifications/elicitation/complete when the flow in the browser is done; it has not (yet), and need not.
            Dismiss this once you are done.
          </div>
        )}
        <div className="truncate font-mono text-[11px] text-muted" title={wait.url}>
          {wait.url}
        </div>
        <div className="font-mono text-[10px] text-faint">elicitationId {wait.elicitationId}</div>
      </div>
      <Button
        size="sm"
        onClick={() => context?.dismissUrlWait(wait.elicitationId)}
        data-testid="url-wait-dismiss"
        title="Remove this finished URL flow from the panel"
      >
        Dismiss
      </Button>
    </div>
  );
}

/** Where the workspace's view area starts, so the panel covers the views but not the header and tabs. */
function usePanelTop(): number {
  const [top, setTop] = useState(72);
  useLayoutEffect(() => {
    const measure = () => {
      const panel = document.getElementById('workspace-panel');
      if (panel) setTop(Math.max(0, Math.round(panel.getBoundingClientRect().top)));
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, []);
  return top;
}

const FIELD_SELECTOR = 'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled])';

/**
 * Where focus goes when the panel opens: the first field of the first request (a form may still be loading,
 * so this looks again for a moment), else that request's card, else the panel itself.
 */
function useFocusOnOpen(panel: React.RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // The panel's node while it is shown; at cleanup it is detached when the panel went away.
    const node = panel.current;
    let tries = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const place = () => {
      const root = panel.current;
      if (!root) return;
      const card = root.querySelector<HTMLElement>('[data-testid="pending-request"]');
      const field = card?.querySelector<HTMLElement>(FIELD_SELECTOR);
      if (field) return field.focus();
      if (card && tries++ < 20) {
        timer = setTimeout(place, 50);
        return;
      }
      // No field (URL mode, roots): the card itself, never a button a stray Enter would press (opening a URL).
      (card ?? root).focus();
    };
    place();
    return () => {
      if (timer) clearTimeout(timer);
      // Back where the person was (a field, the Call button), unless they moved on meanwhile; a Call button
      // disabled by the running call cannot take it: then the "Answer" next to the call, or the tab bar's badge.
      const active = document.activeElement;
      const inPanel = node?.isConnected ? node.contains(active) : undefined;
      if (!(active === null || active === document.body || inPanel !== false)) return;
      requestAnimationFrame(() => {
        const usable = before && before !== document.body && before.isConnected && !(before as HTMLButtonElement).disabled ? before : null;
        const target =
          usable ??
          document.querySelector<HTMLElement>('[data-testid="open-pending"]') ??
          document.querySelector<HTMLElement>('[data-testid="pending-badge"]');
        target?.focus();
      });
    };
    // Once per opening: the panel unmounts when it closes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}

/**
 * The panel listing every request the server is waiting on, each with its own answer form. It docks beside the
 * views (they make room: globals.css `.pending-docked`), takes the focus when it opens, Esc leaves it (the
 * requests stay pending; the tab bar says so) and Enter in a field submits that request's answer.
 */
export function PendingDrawer() {
  const context = usePendingContext();
  const top = usePanelTop();
  const panel = useRef<HTMLElement>(null);
  useFocusOnOpen(panel);
  useEffect(() => {
    if (!context) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      const target = event.target;
      const inPanel = target instanceof Node && panel.current?.contains(target);
      const nowhere = target === document.body || target === document.documentElement;
      if (inPanel || nowhere) {
        event.preventDefault();
        context.setOpen(false);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [context]);
  if (!context) return null;
  const { pending, urlWaits, timeoutMs } = context;
  return (
    <aside
      ref={panel}
      tabIndex={-1}
      className="fixed right-0 bottom-0 z-40 flex w-[var(--pending-panel-width)] flex-col border-l border-line-strong bg-bg shadow-xl focus:outline-none"
      style={{ top }}
      data-testid="pending-drawer"
      aria-label="Requests from the server"
      role="region"
    >
      <div className="flex h-10 shrink-0 items-center gap-2 border-b border-line bg-panel px-3">
        <h2 className="text-sm font-semibold whitespace-nowrap">Requests from the server</h2>
        <Badge tone={pending.length > 0 ? 'warn' : 'neutral'}>{pending.length} waiting</Badge>
        <Button
          size="sm"
          variant="ghost"
          className="ml-auto"
          onClick={() => context.setOpen(false)}
          aria-label="Close the panel (Esc); requests stay waiting"
          title="Close (Esc): the requests stay waiting; reopen them from the tab bar"
          data-testid="pending-close"
        >
          <IconX className="h-3.5 w-3.5" />
        </Button>
      </div>
      <div className="flex min-h-0 flex-1 flex-col gap-3 overflow-auto p-3 [&>*]:shrink-0">
        {timeoutMs !== undefined && pending.length > 0 && (
          <p className="text-[11px] text-muted">
            The server waits for your answer; if none comes within {formatWait(timeoutMs)}, mcpscope answers with a JSON-RPC error. Enter
            sends the answer, Esc closes this panel without answering. Each request is also in the Timeline.
          </p>
        )}
        {pending.length === 0 && urlWaits.length === 0 && (
          <div className="rounded border border-dashed border-line p-6 text-center text-xs text-muted" data-testid="pending-empty">
            Nothing is waiting. When the server asks for input (elicitation), a model reply (sampling) or roots, it shows up here.
          </div>
        )}
        {pending.map((entry) => (
          <PendingCard key={entry.requestId} entry={entry} />
        ))}
        {urlWaits.length > 0 && (
          <div className="flex flex-col gap-1.5">
            <div className="field-label mb-0">URL elicitations</div>
            {urlWaits.map((wait) => (
              <UrlWaitRow key={wait.elicitationId} wait={wait} />
            ))}
          </div>
        )}
      </div>
    </aside>
  );
}

/** The tab-bar badge: how many requests wait, and the toggle for the panel. */
export function PendingBadge() {
  const context = usePendingContext();
  if (!context) return null;
  const count = context.pending.length;
  if (count === 0 && context.urlWaits.length === 0 && !context.open) return null;
  const waitingUnseen = count > 0 && !context.open;
  return (
    <button
      type="button"
      onClick={() => context.setOpen(!context.open)}
      aria-expanded={context.open}
      data-testid="pending-badge"
      className={
        count > 0
          ? 'inline-flex h-6 items-center gap-1.5 rounded-full bg-warn px-2.5 text-[11px] font-semibold text-white dark:text-[#1a1405]'
          : 'inline-flex h-6 items-center gap-1.5 rounded-full border border-line px-2.5 text-[11px] text-muted hover:text-fg'
      }
      title="Requests from the server waiting for your answer"
    >
      {count > 0 && <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-current" />}
      {count > 0 ? `${count} request${count === 1 ? '' : 's'} waiting` : 'Server requests'}
      {waitingUnseen && <span className="font-normal opacity-90">· answer</span>}
    </button>
  );
}
