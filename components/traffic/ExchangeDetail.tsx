'use client';

import { useState, type ReactNode } from 'react';
import { CopyAsError, exchangeToCurl, type CurlCommand, type HttpRequestEvent } from '@/lib/trace';
import { RequestJwts } from '../auth';
import { CopyAsPanel } from '../copy-as';
import { exchangeVerdict, useOutcomes, type ExchangeView, type LogStore } from '../log-store';
import type { ExchangeDetailTab } from '../nav';
import { Badge, CopyButton, IconAlert, IconButton, IconX, SubTabs, cn, formatBytes, formatMs, formatOffset, type SubTab } from '../ui';
import { BodyView } from './BodyView';
import { HeadersTable } from './HeadersTable';
import { SseFrameList } from './SseFrameList';
import { describeIds, describeMethods } from '@/lib/trace/exchange-summary';
import { VERDICT_LABEL, VERDICT_REASON, isExpected } from '@/lib/trace/outcome';
import { STREAMS, exchangeStatusText, exchangeStatusTone } from './streams';

function Section({ title, children, right }: { title: string; children: ReactNode; right?: ReactNode }) {
  return (
    <section className="border-b border-line">
      <div className="flex h-7 items-center bg-panel-2 px-3 text-[11px] font-semibold tracking-wide text-muted uppercase">
        {title}
        {right && <span className="ml-auto font-normal tracking-normal normal-case">{right}</span>}
      </div>
      <div className="py-1">{children}</div>
    </section>
  );
}

function Field({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div className="flex gap-2 px-3 py-0.5 text-xs">
      <span className="w-[38%] shrink-0 text-muted">{name}</span>
      <span className="min-w-0 break-all">{children}</span>
    </div>
  );
}

function ErrorBox({ code, message }: { code: string; message: string }) {
  return (
    <div className="m-3 flex gap-2 rounded border border-err/40 bg-err-soft px-3 py-2 text-[13px]" data-testid="exchange-error">
      <IconAlert className="mt-0.5 h-4 w-4 shrink-0 text-err" />
      <div>
        <div>{message}</div>
        <div className="font-mono text-[11px] text-err">{code}</div>
      </div>
    </div>
  );
}

/** The recorded request as the event `exchangeToCurl` reads (the store keeps its fields on the view). */
function requestEvent(exchange: ExchangeView): HttpRequestEvent {
  return {
    kind: 'http.request',
    seq: exchange.requestSeq,
    t: exchange.t,
    exchangeId: exchange.exchangeId,
    purpose: exchange.purpose,
    method: exchange.method,
    url: exchange.url,
    headers: exchange.requestHeaders,
    ...(exchange.requestBody ? { body: exchange.requestBody } : {}),
  };
}

type CurlState = { exchangeId: string } & ({ ok: true; curl: CurlCommand } | { ok: false; code: string; message: string });

function CurlFailure({ code, message, onClose }: { code: string; message: string; onClose: () => void }) {
  return (
    <div role="alert" className="flex gap-2 border-b border-line bg-err-soft px-3 py-2 text-xs" data-testid="curl-error">
      <IconAlert className="mt-0.5 h-3.5 w-3.5 shrink-0 text-err" />
      <div className="min-w-0 flex-1">
        {message} <span className="font-mono text-[11px] text-err">{code}</span>
      </div>
      <button type="button" onClick={onClose} aria-label="Dismiss" className="text-faint hover:text-fg">
        <IconX className="h-3.5 w-3.5" />
      </button>
    </div>
  );
}

export function ExchangeDetail({
  store,
  exchange,
  tab,
  onTab,
  onClose,
}: {
  store: LogStore;
  exchange: ExchangeView;
  tab: ExchangeDetailTab;
  onTab: (tab: ExchangeDetailTab) => void;
  onClose: () => void;
}) {
  const phase = exchange.phaseId ? store.phase(exchange.phaseId) : undefined;
  const outcomes = useOutcomes(store);
  const verdict = exchangeVerdict(exchange, outcomes);
  const tabs: SubTab<ExchangeDetailTab>[] = [
    { key: 'headers', label: 'Headers', testId: 'exchange-tab-headers' },
    { key: 'payload', label: 'Request', testId: 'exchange-tab-payload' },
    { key: 'response', label: 'Response', testId: 'exchange-tab-response' },
  ];
  if (exchange.isEventStream) {
    tabs.push({ key: 'frames', label: `Frames (${exchange.frameCount})`, testId: 'exchange-tab-frames' });
  }
  const active: ExchangeDetailTab = tab === 'frames' && !exchange.isEventStream ? 'headers' : tab;
  const [curlState, setCurlState] = useState<CurlState | null>(null);
  const curl = curlState?.exchangeId === exchange.exchangeId ? curlState : null;
  const copyAsCurl = () => {
    try {
      setCurlState({ exchangeId: exchange.exchangeId, ok: true, curl: exchangeToCurl({ request: requestEvent(exchange) }) });
    } catch (error) {
      setCurlState({
        exchangeId: exchange.exchangeId,
        ok: false,
        code: error instanceof CopyAsError ? error.code : 'copy_failed',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  };

  return (
    <div className="flex h-full min-h-0 flex-col bg-panel" data-testid="exchange-detail" data-exchange-id={exchange.exchangeId}>
      <div className="flex h-8 shrink-0 items-center gap-2 border-b border-line px-2">
        <span className="font-mono text-[11px] font-semibold text-muted">{exchange.method}</span>
        <span className="min-w-0 flex-1 truncate font-mono text-xs" title={exchange.url}>
          {exchange.url}
        </span>
        <CopyButton text={exchange.url} label="Copy URL" />
        <button
          type="button"
          onClick={copyAsCurl}
          data-testid="copy-curl"
          title="Copy this request as a curl command (secrets become shell variables)"
          className="inline-flex h-6 shrink-0 items-center rounded px-1.5 text-xs text-muted hover:bg-hover hover:text-fg"
        >
          Copy as curl
        </button>
        <IconButton onClick={onClose} label="Close details" title="Close (Esc)">
          <IconX className="h-3.5 w-3.5" />
        </IconButton>
      </div>
      {curl?.ok && (
        <CopyAsPanel
          key={curl.curl.command}
          title="curl"
          code={curl.curl.command}
          variables={curl.curl.variables}
          warnings={curl.curl.warnings}
          onClose={() => setCurlState(null)}
          testId="curl-panel"
          className="max-h-[45%] shrink-0 overflow-auto"
        />
      )}
      {curl && !curl.ok && <CurlFailure code={curl.code} message={curl.message} onClose={() => setCurlState(null)} />}
      <SubTabs tabs={tabs} active={active} onChange={onTab} />
      <div className="min-h-0 flex-1 overflow-auto">
        {active === 'headers' && (
          <>
            {exchange.streamKind && (
              <div className="flex items-start gap-2 border-b border-line bg-purple-soft/50 px-3 py-1.5 text-xs" data-testid="stream-kind">
                <Badge tone="purple">{STREAMS[exchange.streamKind].label}</Badge>
                <span className="text-muted">{STREAMS[exchange.streamKind].description}</span>
              </div>
            )}
            {exchange.end?.error && <ErrorBox code={exchange.end.error.code} message={exchange.end.error.message} />}
            <Section title="General">
              <Field name="Request URL">
                <span className="font-mono">{exchange.url}</span>
              </Field>
              <Field name="Method">
                <span className="font-mono">{exchange.method}</span>
              </Field>
              <Field name="Status">
                <span className={cn('font-mono', isExpected(verdict) ? 'text-muted' : exchangeStatusTone(exchange))}>
                  {exchangeStatusText(exchange)} {exchange.response?.statusText}
                </span>
              </Field>
              {isExpected(verdict) && (
                <Field name="Outcome">
                  <span data-testid="exchange-detail-expected">
                    <Badge>{VERDICT_LABEL[verdict]}</Badge> <span className="text-muted">{VERDICT_REASON[verdict]}</span>
                  </span>
                </Field>
              )}
              {exchange.rpc && (
                <Field name="JSON-RPC">
                  <span className="font-mono" data-testid="exchange-detail-rpc">
                    {describeMethods(exchange.rpc, 8)} {describeIds(exchange.rpc, 10)}
                  </span>
                </Field>
              )}
              <Field name="Purpose">{exchange.purpose}</Field>
              {phase && (
                <Field name="Phase">
                  <span className="font-mono">{phase.name}</span>
                </Field>
              )}
              <Field name="Started">
                <span className="font-mono">{formatOffset(exchange.t)}</span>
              </Field>
              <Field name="Time to first byte">
                <span className="font-mono">{exchange.response ? formatMs(exchange.response.ttfbMs) : '—'}</span>
              </Field>
              <Field name="Duration">
                <span className="font-mono">
                  {exchange.end ? formatMs(exchange.end.durationMs) : exchange.response ? 'still open' : 'waiting'}
                </span>
              </Field>
              <Field name="Received">
                <span className="font-mono">{exchange.end ? formatBytes(exchange.end.bytes) : '—'}</span>
              </Field>
              {exchange.end?.aborted && <Field name="Ended by">mcpscope (aborted by the client)</Field>}
            </Section>
            <Section title="Response headers" right={exchange.response ? `${exchange.response.headers.length}` : undefined}>
              {exchange.response ? (
                <HeadersTable headers={exchange.response.headers} testId="response-headers" />
              ) : (
                <div className="px-3 py-1 text-xs text-faint">No response yet.</div>
              )}
            </Section>
            <Section title="Request headers" right={`${exchange.requestHeaders.length}`}>
              <HeadersTable headers={exchange.requestHeaders} testId="request-headers" />
            </Section>
            <RequestJwts headers={exchange.requestHeaders} body={exchange.requestBody} />
          </>
        )}
        {active === 'payload' && <BodyView body={exchange.requestBody} emptyText="This request had no body." />}
        {active === 'response' &&
          (exchange.isEventStream ? (
            <div className="p-3 text-xs text-muted">
              The response is an event stream: its frames are recorded one by one.{' '}
              <button type="button" className="text-accent underline" onClick={() => onTab('frames')}>
                Show {exchange.frameCount} frames
              </button>
            </div>
          ) : exchange.end?.error && !exchange.response ? (
            <ErrorBox code={exchange.end.error.code} message={exchange.end.error.message} />
          ) : !exchange.end ? (
            <div className="p-3 text-xs text-faint">Waiting for the response body…</div>
          ) : (
            <BodyView body={exchange.end.body} emptyText="The response had no body." />
          ))}
        {active === 'frames' && (
          <div className="h-full min-h-0">
            <SseFrameList frames={store.framesOf(exchange.exchangeId)} requestT={exchange.t} />
          </div>
        )}
      </div>
    </div>
  );
}
