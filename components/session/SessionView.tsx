'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode } from 'react';
import { ERA_LABELS, STDIO_ERA_LABELS, type SessionSummary } from '@/lib/contract';
import type { RpcEvent } from '@/lib/trace/types';
import { SessionAuthPanel } from '../auth';
import { describeFailure, getListen, pingServer, queryKeys, startListen, stopListen, type ListenFilter, type PingBody } from '../api';
import { useLogSelector, type LogStore } from '../log-store';
import { formatWait, usePendingContext } from '../pending';
import { RootsEditor } from '../roots';
import { Markdown } from '../tools';
import { Badge, Button, EmptyState, JsonTree, Spinner, formatMs, useDerivedState, useStickyState } from '../ui';

function Section({ title, aside, children, testId }: { title: string; aside?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="rounded-md border border-line bg-panel" data-testid={testId}>
      <header className="flex items-center gap-2 border-b border-line px-3 py-2">
        <h3 className="text-[13px] font-semibold">{title}</h3>
        {aside && <div className="ml-auto flex items-center gap-1.5">{aside}</div>}
      </header>
      <div className="p-3">{children}</div>
    </section>
  );
}

/** The first answered handshake message in the log: server/discover (2026-07-28) or initialize (2025). */
function findHandshake(store: LogStore): RpcEvent | undefined {
  for (const event of store.rpc) {
    if (event.direction !== 'in' || event.type !== 'result') continue;
    if (event.method === 'server/discover' || event.method === 'initialize') return event;
  }
  return undefined;
}

function resultOf(event: RpcEvent | undefined): unknown {
  return event?.message && typeof event.message === 'object' ? (event.message as { result?: unknown }).result : undefined;
}

function clientCapabilitiesOf(request: RpcEvent | undefined): unknown {
  const params =
    request?.message && typeof request.message === 'object' ? (request.message as { params?: Record<string, unknown> }).params : undefined;
  if (!params) return undefined;
  if (params.capabilities) return params.capabilities;
  const meta = params._meta as Record<string, unknown> | undefined;
  return meta?.['io.modelcontextprotocol/clientCapabilities'];
}

interface PingRecord {
  at: number;
  latencyMs?: number;
  error?: string;
}

function PingPanel({ sessionId, summary }: { sessionId: string; summary: SessionSummary }) {
  const modern = summary.server?.era === 'stateless-2026';
  const [history, setHistory] = useStickyState<PingRecord[]>(sessionId, 'pings', []);
  const ping = useMutation({
    mutationFn: () => pingServer(sessionId),
    onSuccess: (body: PingBody) =>
      setHistory((current) =>
        [
          {
            at: Date.now(),
            latencyMs: body.latencyMs,
            ...('error' in body ? { error: `${body.error.message} (${body.error.code})` } : {}),
          },
          ...current,
        ].slice(0, 10),
      ),
    onError: (error) => setHistory((current) => [{ at: Date.now(), error: describeFailure(error) }, ...current].slice(0, 10)),
  });
  if (modern) {
    return (
      <p className="text-xs text-muted" data-testid="ping-unavailable">
        The 2026-07-28 protocol has no <span className="font-mono">ping</span>: every request is its own HTTP exchange, so any call shows
        whether the server is up (the Traffic tab has each one’s timing).
      </p>
    );
  }
  const latencies = history.filter((record) => record.latencyMs !== undefined && !record.error).map((record) => record.latencyMs!);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-center gap-2">
        <Button size="sm" onClick={() => ping.mutate()} disabled={summary.state !== 'connected' || ping.isPending} data-testid="ping">
          {ping.isPending ? <Spinner className="h-3 w-3" /> : null} Ping
        </Button>
        {history[0] && (
          <span className={history[0].error ? 'text-xs text-err' : 'text-xs'} data-testid="ping-latency">
            {history[0].error ?? `${formatMs(history[0].latencyMs)} round trip`}
          </span>
        )}
        {latencies.length > 1 && (
          <span className="ml-auto text-[11px] text-muted">
            min {formatMs(Math.min(...latencies))} · max {formatMs(Math.max(...latencies))} over {latencies.length}
          </span>
        )}
      </div>
      {history.length > 1 && (
        <div className="flex items-end gap-0.5" aria-label="Recent ping latencies" title="Recent pings (newest on the right)">
          {[...history].reverse().map((record, index) => {
            const max = Math.max(...latencies, 1);
            const height = record.latencyMs !== undefined && !record.error ? Math.max(3, (record.latencyMs / max) * 28) : 28;
            return (
              <span
                key={index}
                className={record.error ? 'w-2 rounded-sm bg-err' : 'w-2 rounded-sm bg-accent/70'}
                style={{ height }}
                title={record.error ?? formatMs(record.latencyMs)}
              />
            );
          })}
        </div>
      )}
    </div>
  );
}

const KINDS: Array<{ key: 'toolsListChanged' | 'promptsListChanged' | 'resourcesListChanged'; label: string; capability: string }> = [
  { key: 'toolsListChanged', label: 'tools list changes', capability: 'tools' },
  { key: 'promptsListChanged', label: 'prompts list changes', capability: 'prompts' },
  { key: 'resourcesListChanged', label: 'resources list changes', capability: 'resources' },
];

function ListenPanel({ sessionId, summary }: { sessionId: string; summary: SessionSummary }) {
  const queryClient = useQueryClient();
  const connected = summary.state === 'connected';
  const state = useQuery({ queryKey: queryKeys.listen(sessionId), queryFn: () => getListen(sessionId), enabled: connected });
  const listening = state.data?.listening ?? null;
  // What the open stream asked for fills the form in again; with none open, the form keeps what it had.
  const [filter, setFilter] = useDerivedState<typeof listening, ListenFilter>(
    listening,
    (next, previous) => next?.requested ?? previous ?? { toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true },
  );
  const [uris, setUris] = useDerivedState<typeof listening, string>(listening, (next, previous) =>
    next ? (next.requested.resourceSubscriptions ?? []).join('\n') : (previous ?? ''),
  );
  const invalidate = () => void queryClient.invalidateQueries({ queryKey: queryKeys.listen(sessionId) });
  const start = useMutation({
    mutationFn: () => {
      const resourceSubscriptions = uris
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      return startListen(sessionId, { ...filter, resourceSubscriptions });
    },
    onSettled: invalidate,
  });
  const stop = useMutation({ mutationFn: () => stopListen(sessionId), onSettled: invalidate });
  const capabilities = summary.server?.capabilities ?? {};

  return (
    <div className="flex flex-col gap-2" data-testid="listen-panel">
      <p className="text-xs text-muted">
        2026-07-28 servers send list changes and resource updates only on an open <span className="font-mono">subscriptions/listen</span>{' '}
        stream, and only the kinds asked for.
      </p>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {KINDS.map((kind) => (
          <label
            key={kind.key}
            className="flex items-center gap-1.5 text-xs"
            title={kind.capability in capabilities ? undefined : `The server did not declare ${kind.capability}`}
          >
            <input
              type="checkbox"
              checked={filter[kind.key] === true}
              onChange={(event) => setFilter((current) => ({ ...current, [kind.key]: event.target.checked }))}
              data-testid={`listen-${kind.key}`}
            />
            {kind.label}
          </label>
        ))}
      </div>
      <label className="text-xs">
        <span className="text-muted">Resource URIs to watch (one per line)</span>
        <textarea
          className="input-mono mt-0.5 h-16 py-1"
          value={uris}
          onChange={(event) => setUris(event.target.value)}
          data-testid="listen-uris"
          spellCheck={false}
        />
      </label>
      <div className="flex flex-wrap items-center gap-2">
        <Button
          size="sm"
          variant="primary"
          onClick={() => start.mutate()}
          disabled={!connected || start.isPending}
          data-testid="listen-start"
        >
          {listening ? 'Listen again with these kinds' : 'Listen'}
        </Button>
        {listening && (
          <Button size="sm" onClick={() => stop.mutate()} disabled={stop.isPending} data-testid="listen-stop">
            Stop
          </Button>
        )}
        <span className="text-[11px]" data-testid="listen-status">
          {start.isError ? (
            <span className="text-err">{describeFailure(start.error)}</span>
          ) : listening ? (
            <span className="text-ok">
              listening since {new Date(listening.since).toLocaleTimeString()}; the server honours:{' '}
              {[
                listening.honored.toolsListChanged && 'tools',
                listening.honored.promptsListChanged && 'prompts',
                listening.honored.resourcesListChanged && 'resources',
                listening.honored.resourceSubscriptions?.length && `${listening.honored.resourceSubscriptions.length} URI(s)`,
              ]
                .filter(Boolean)
                .join(', ') || 'nothing'}
            </span>
          ) : (
            <span className="text-muted">not listening</span>
          )}
        </span>
      </div>
    </div>
  );
}

/** The session at a glance: who the server is and what it said at the handshake, ping, listen, and what mcpscope offers back. */
export function SessionView({ sessionId, store, summary }: { sessionId: string; store: LogStore; summary: SessionSummary | undefined }) {
  // The selector returns the stored event itself, so it is stable between renders.
  const response = useLogSelector(store, () => findHandshake(store));
  const request = response?.pairSeq !== undefined ? store.rpcBySeq(response.pairSeq) : undefined;
  const pending = usePendingContext();
  if (!summary) return <EmptyState title="Loading…" icon={<Spinner />} />;
  const server = summary.server;
  const modern = server?.era === 'stateless-2026';
  const connected = summary.state === 'connected';
  const result = resultOf(response);
  const clientCapabilities = clientCapabilitiesOf(request);

  return (
    <div className="h-full overflow-auto" data-testid="session-view">
      <div className="grid gap-3 p-3 xl:grid-cols-2">
        <div className="flex min-w-0 flex-col gap-3">
          <Section
            title="Server"
            testId="server-info"
            aside={
              server && (
                <Badge tone={modern ? 'purple' : 'accent'}>
                  {(summary?.transport === 'stdio' ? STDIO_ERA_LABELS : ERA_LABELS)[server.era]}
                </Badge>
              )
            }
          >
            {server ? (
              <div className="flex flex-col gap-1.5 text-xs">
                <div>
                  <span className="text-[15px] font-semibold">{server.title || server.name}</span>{' '}
                  <span className="font-mono text-muted">
                    {server.name} v{server.version}
                  </span>
                </div>
                <div className="flex flex-wrap gap-1.5">
                  <Badge mono>protocol {server.protocolVersion}</Badge>
                  {Object.keys(server.capabilities).map((name) => (
                    <Badge key={name} tone="accent">
                      {name}
                    </Badge>
                  ))}
                </div>
                {server.instructions && (
                  <details className="mt-1">
                    <summary className="cursor-pointer text-muted">Instructions</summary>
                    <div className="mt-1 max-h-64 overflow-auto rounded border border-line bg-panel-2 p-2">
                      <Markdown text={server.instructions} />
                    </div>
                  </details>
                )}
              </div>
            ) : (
              <div className="text-xs text-muted">
                The handshake did not complete, so the server is unknown. The Timeline shows where it stopped.
              </div>
            )}
          </Section>
          <Section title="Ping" testId="ping-panel">
            <PingPanel sessionId={sessionId} summary={summary} />
          </Section>
          {modern && (
            <Section title="subscriptions/listen">
              <ListenPanel sessionId={sessionId} summary={summary} />
            </Section>
          )}
          <Section
            title={response?.method === 'server/discover' ? 'server/discover result' : 'initialize result'}
            testId="handshake-result"
          >
            {result !== undefined ? (
              <div
                className="max-h-[420px] overflow-auto"
                data-testid={response?.method === 'server/discover' ? 'discover-result' : 'initialize-result'}
              >
                <JsonTree data={result} expandDepth={2} />
              </div>
            ) : (
              <div className="text-xs text-muted">No handshake result in the log.</div>
            )}
          </Section>
        </div>
        <div className="flex min-w-0 flex-col gap-3">
          <Section title="Authorization" testId="auth-panel">
            <SessionAuthPanel sessionId={sessionId} summary={summary} store={store} />
          </Section>
          <Section title="Roots offered to the server" testId="roots-section" aside={<Badge>roots.listChanged</Badge>}>
            <RootsEditor sessionId={sessionId} connected={connected} />
          </Section>
          <Section title="What mcpscope declared (client capabilities)" testId="client-capabilities">
            <div className="flex flex-col gap-2 text-xs">
              <ul className="list-disc pl-4 text-muted">
                <li>
                  <span className="font-mono text-fg">elicitation</span> (form and URL): the server’s questions open the request panel; you
                  answer them.
                </li>
                <li>
                  <span className="font-mono text-fg">sampling</span> (with tools): you write the model’s reply; nothing is sent to a model.
                </li>
                <li>
                  <span className="font-mono text-fg">roots</span>: answered from the list above, automatically.
                </li>
              </ul>
              {pending?.timeoutMs && (
                <div className="text-muted">A request nobody answers gets a JSON-RPC error after {formatWait(pending.timeoutMs)}.</div>
              )}
              {clientCapabilities !== undefined && (
                <div className="rounded border border-line bg-panel-2 p-2">
                  <JsonTree data={clientCapabilities} expandDepth={3} />
                </div>
              )}
            </div>
          </Section>
        </div>
      </div>
    </div>
  );
}
