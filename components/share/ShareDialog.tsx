'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useMemo, useState } from 'react';
import { buildSharedLog, type ShareCreatedBody, type ShareRequestBody, type ShareSelection } from '@/lib/shares/document';
import { groupExchanges, type TraceEvent, type TraceMeta } from '@/lib/trace';
import { queryKeys } from '../api';
import {
  Badge,
  Button,
  IconAlert,
  IconCheck,
  IconCopy,
  IconSearch,
  Spinner,
  cn,
  formatBytes,
  formatOffset,
  urlPath,
  TextButton,
} from '../ui';
import { createShareLink, deleteShareLink, fetchSessionLog, type ShareApiError } from './api';
import { useCopy } from '../copy-as';
import { Modal } from './Modal';

type Mode = 'whole' | 'range' | 'exchanges';

const EXPIRY_CHOICES: ReadonlyArray<{ key: string; label: string; days: number | null }> = [
  { key: '1h', label: '1 hour', days: 1 / 24 },
  { key: '1d', label: '1 day', days: 1 },
  { key: '7d', label: '7 days', days: 7 },
  { key: '30d', label: '30 days', days: 30 },
  { key: '90d', label: '90 days', days: 90 },
  { key: '365d', label: '1 year', days: 365 },
  { key: 'never', label: 'Never', days: null },
];
const DEFAULT_EXPIRY = '30d';
/** The JSON preview shows this much text; the counts above it cover everything. */
const PREVIEW_CHARS = 200_000;

type Masks = Required<Pick<ShareSelection, 'maskQuery' | 'maskArguments' | 'maskResults'>>;
const NO_MASKS: Masks = { maskQuery: false, maskArguments: false, maskResults: false };

/** The masks a person may add on top of the secrets, which are always masked. */
const MASK_CHOICES: readonly { mask: keyof Masks; label: string; detail: string; testId: string }[] = [
  {
    mask: 'maskQuery',
    label: 'URL query strings',
    detail: 'Parameter values in every URL: requests, headers, bodies, messages.',
    testId: 'share-mask-query',
  },
  {
    mask: 'maskArguments',
    label: 'Tool arguments',
    detail: 'Values of tools/call arguments; their names stay.',
    testId: 'share-mask-arguments',
  },
  {
    mask: 'maskResults',
    label: 'Tool results',
    detail: 'Values of tools/call results; content types and isError stay.',
    testId: 'share-mask-results',
  },
];

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3).replace(/\.?0+$/, '') || '0';
}

function parseSeconds(text: string): number | undefined {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
}

function Check({
  checked,
  onChange,
  label,
  detail,
  testId,
  disabled,
}: {
  checked: boolean;
  onChange?: (value: boolean) => void;
  label: string;
  detail?: string;
  testId?: string;
  disabled?: boolean;
}) {
  return (
    <label className={cn('flex items-start gap-2 py-1 text-[13px]', disabled ? 'cursor-default' : 'cursor-pointer')}>
      <input
        type="checkbox"
        className="mt-0.5 accent-[var(--accent)]"
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange?.(event.target.checked)}
        data-testid={testId}
      />
      <span>
        <span className="block">{label}</span>
        {detail && <span className="block text-[11px] text-muted">{detail}</span>}
      </span>
    </label>
  );
}

function Radio({
  value,
  current,
  onChange,
  label,
  testId,
}: {
  value: Mode;
  current: Mode;
  onChange: (mode: Mode) => void;
  label: string;
  testId: string;
}) {
  return (
    <label className="flex cursor-pointer items-center gap-2 py-0.5 text-[13px]">
      <input
        type="radio"
        name="share-mode"
        className="accent-[var(--accent)]"
        checked={current === value}
        onChange={() => onChange(value)}
        data-testid={testId}
      />
      {label}
    </label>
  );
}

/** One end of the shared time range, in seconds from the session's start. */
function SecondsInput({ end, value, onValue }: { end: 'from' | 'to'; value: string; onValue: (value: string) => void }) {
  return (
    <input
      className="input-mono h-6 w-20"
      inputMode="decimal"
      value={value}
      onChange={(event) => onValue(event.target.value)}
      aria-label={end === 'from' ? 'From (seconds)' : 'To (seconds)'}
      data-testid={`share-range-${end}`}
    />
  );
}

/** The new link, copied as soon as it exists, with a button to copy it again and one to open it. */
function LinkToCopy({ url }: { url: string }) {
  const [state, copy] = useCopy(url, true);
  return (
    <div>
      <div className="flex gap-2">
        <input
          readOnly
          value={url}
          className="input-mono h-8 flex-1"
          data-testid="share-url"
          onFocus={(event) => event.target.select()}
          aria-label="Share link"
        />
        <Button className="h-8" onClick={copy} data-testid="share-url-copy">
          <IconCopy className="h-3.5 w-3.5" /> Copy
        </Button>
        <a
          href={url}
          target="_blank"
          rel="noreferrer"
          className="inline-flex h-8 items-center rounded border border-line-strong bg-panel px-3 text-[13px] font-medium hover:bg-hover"
        >
          Open
        </a>
      </div>
      <div className="mt-1 h-4 text-xs" role="status" data-testid="share-url-status" data-state={state}>
        {state === 'copied' && (
          <span className="inline-flex items-center gap-1 text-ok">
            <IconCheck className="h-3 w-3" /> Copied to the clipboard
          </span>
        )}
        {state === 'failed' && <span className="text-warn">The clipboard is not available here: select the link and copy it.</span>}
      </div>
    </div>
  );
}

/** The JSON-RPC methods an exchange carried, outgoing first: what a person recognises a request by. */
function methodsOf(exchange: { rpc: ReadonlyArray<{ direction: string; method?: string; type: string }> }): string {
  const names = new Set<string>();
  for (const message of exchange.rpc)
    if (message.direction === 'out' && message.type !== 'result' && message.method) names.add(message.method);
  if (names.size === 0)
    for (const message of exchange.rpc)
      if (message.method && message.type !== 'result' && message.type !== 'error') names.add(message.method);
  return [...names].join(', ');
}

function ErrorLine({ code, message, testId }: { code: string; message: string; testId: string }) {
  return (
    <div role="alert" className="flex min-w-0 gap-2 text-[13px]" data-testid={testId} data-code={code}>
      <IconAlert className="mt-0.5 h-4 w-4 shrink-0 text-err" />
      <div className="min-w-0">
        <div className="break-words">{message}</div>
        <div className="font-mono text-[11px] text-err">{code}</div>
      </div>
    </div>
  );
}

/**
 * "Share": choose what to share and how to mask it, see exactly what will leave (the same redaction the server
 * runs, computed here on the log as the server has it), then create the link, copy it, or delete it.
 */
export function ShareDialog({ sessionId, onClose }: { sessionId: string; onClose: () => void }) {
  // Read once per opening: the share is made from the log as it is now, and a refetch while the person chooses
  // would move what the preview shows under them.
  const log = useQuery<{ meta: TraceMeta; events: TraceEvent[] }, ShareApiError>({
    queryKey: queryKeys.sessionLog(sessionId),
    queryFn: () => fetchSessionLog(sessionId),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
  const createLink = useMutation<ShareCreatedBody, ShareApiError, ShareRequestBody>({
    mutationFn: (body) => createShareLink(sessionId, body),
  });
  const deleteLink = useMutation<void, ShareApiError, string>({ mutationFn: deleteShareLink });
  const [mode, setMode] = useState<Mode>('whole');
  const [from, setFrom] = useState('0');
  /** What the person typed; until then the range ends with the log's last event. */
  const [typedTo, setTypedTo] = useState<string | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState('');
  const [masks, setMasks] = useState<Masks>(NO_MASKS);
  const { maskQuery, maskArguments, maskResults } = masks;
  const [expiry, setExpiry] = useState(DEFAULT_EXPIRY);
  const [showJson, setShowJson] = useState(false);

  const created = createLink.data;
  const creating = createLink.isPending;
  const deleteState = deleteLink.isSuccess ? 'deleted' : deleteLink.isPending ? 'deleting' : 'idle';
  // Once the link exists, only deleting it can fail; before, only creating it.
  const failure = created ? deleteLink.error : createLink.error;
  const error = failure ? { code: failure.code, message: failure.message } : null;

  const events = log.data?.events;
  const lastSecond = useMemo(() => (events ? seconds(Math.ceil(events.reduce((max, e) => Math.max(max, e.t), 0))) : ''), [events]);
  const to = typedTo ?? lastSecond;
  const allExchanges = useMemo(() => (events ? [...groupExchanges(events).values()].filter((x) => x.request) : []), [events]);

  const range = useMemo(() => {
    const fromMs = parseSeconds(from);
    const toMs = parseSeconds(to);
    if (fromMs === undefined || toMs === undefined) return { problem: 'Enter both ends of the range, in seconds from the start.' };
    if (fromMs > toMs) return { problem: 'The range starts after it ends.' };
    return { value: { from: fromMs, to: toMs } };
  }, [from, to]);

  const selection: ShareSelection | undefined = useMemo(() => {
    if (!events) return undefined;
    const base: ShareSelection = { untilSeq: events.length > 0 ? events[events.length - 1].seq : 0, maskQuery, maskArguments, maskResults };
    if (mode === 'range') return range.value ? { ...base, range: range.value } : undefined;
    if (mode === 'exchanges') return chosen.size > 0 ? { ...base, exchangeIds: [...chosen] } : undefined;
    return base;
  }, [events, mode, range, chosen, maskQuery, maskArguments, maskResults]);

  // The preview follows the options without making typing in the range fields wait for it.
  const deferredSelection = useDeferredValue(selection);
  const preview = useMemo(() => {
    if (!log.data || !deferredSelection) return undefined;
    const shared = buildSharedLog(log.data.meta, log.data.events, deferredSelection);
    const bytes = new TextEncoder().encode(JSON.stringify({ meta: shared.meta, events: shared.events })).length;
    return { shared, bytes, exchanges: [...groupExchanges(shared.events).values()].filter((x) => x.request) };
  }, [log.data, deferredSelection]);
  const previewJson = useMemo(
    () => (showJson && preview ? JSON.stringify({ meta: preview.shared.meta, events: preview.shared.events }, null, 2) : ''),
    [showJson, preview],
  );

  const selectionProblem =
    mode === 'range' && range.problem
      ? range.problem
      : mode === 'exchanges' && chosen.size === 0
        ? 'Choose at least one exchange.'
        : preview && preview.shared.events.length === 0
          ? 'Nothing in this selection: there is nothing to share.'
          : undefined;

  const create = () => {
    if (!selection || selectionProblem) return;
    const choice = EXPIRY_CHOICES.find((item) => item.key === expiry) ?? EXPIRY_CHOICES[3];
    const body: ShareRequestBody = { ...selection, expiresInDays: choice.days };
    createLink.mutate(body);
  };

  const remove = () => {
    if (created) deleteLink.mutate(created.shareId);
  };

  const filteredExchanges = useMemo(() => {
    const text = filter.trim().toLowerCase();
    return text
      ? allExchanges.filter((x) => `${x.request?.method} ${x.request?.url} ${x.response?.status ?? ''}`.toLowerCase().includes(text))
      : allExchanges;
  }, [allExchanges, filter]);

  const toggle = (id: string) =>
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  if (created) {
    const expires = created.expiresAt ? new Date(created.expiresAt).toLocaleString() : undefined;
    return (
      <Modal
        title={deleteState === 'deleted' ? 'Share link deleted' : 'Share link created'}
        subtitle={
          deleteState === 'deleted'
            ? 'Anyone who opens it now reads that it was deleted.'
            : 'Anyone with this link can open a read-only copy of the session.'
        }
        onClose={onClose}
        testId="share-dialog"
        className="max-w-xl"
        footer={
          <>
            {error && <ErrorLine {...error} testId="share-error" />}
            {deleteState !== 'deleted' && (
              <Button variant="danger" onClick={remove} disabled={deleteState === 'deleting'} data-testid="share-delete">
                {deleteState === 'deleting' && <Spinner className="h-3 w-3" />}
                Delete link
              </Button>
            )}
            <Button className="ml-auto" onClick={onClose} data-testid="share-done">
              Done
            </Button>
          </>
        }
      >
        <div className="flex flex-col gap-3 p-4" data-testid="share-created">
          {deleteState === 'deleted' ? (
            <div className="rounded border border-line bg-panel-2 px-3 py-2 text-[13px]" data-testid="share-deleted-note">
              The link <span className="font-mono text-xs">{created.url}</span> no longer works; the copy was removed from this mcpscope.
            </div>
          ) : (
            <>
              <LinkToCopy url={created.url} />
              <div className="text-xs text-muted" data-testid="share-expiry">
                {expires ? `Expires ${expires}.` : 'Never expires.'} {formatBytes(created.bytes)} shared ({formatBytes(created.storedBytes)}{' '}
                stored, compressed).
              </div>
            </>
          )}
        </div>
      </Modal>
    );
  }

  return (
    <Modal
      title="Share this session"
      subtitle="Nothing leaves this page until you create the link: the preview on the right is exactly what will be stored and shown."
      onClose={onClose}
      testId="share-dialog"
      className="max-w-5xl"
      footer={
        <>
          {error ? (
            <ErrorLine {...error} testId="share-error" />
          ) : selectionProblem ? (
            <span className="text-xs text-warn" data-testid="share-problem">
              {selectionProblem}
            </span>
          ) : null}
          <div className="ml-auto flex shrink-0 items-center gap-2">
            <Button variant="ghost" onClick={onClose}>
              Cancel
            </Button>
            <Button
              variant="primary"
              onClick={create}
              disabled={!preview || Boolean(selectionProblem) || creating}
              data-testid="share-create"
            >
              {creating && <Spinner className="h-3 w-3" />}
              Create link
            </Button>
          </div>
        </>
      }
    >
      {log.isPending && (
        <div className="flex items-center gap-2 p-6 text-muted">
          <Spinner /> Reading the session log…
        </div>
      )}
      {log.isError && (
        <div className="p-4">
          <ErrorLine code={log.error.code ?? 'load_failed'} message={log.error.message} testId="share-load-error" />
        </div>
      )}
      {log.isSuccess && (
        <div className="grid min-h-0 grid-cols-1 md:grid-cols-[340px_1fr]">
          <div className="flex flex-col gap-4 border-b border-line p-4 md:border-r md:border-b-0">
            {/* Fieldsets size to their content by default; min-w-0 keeps long URLs inside the column. */}
            <fieldset className="min-w-0">
              <legend className="field-label">What to share</legend>
              <Radio value="whole" current={mode} onChange={setMode} label="The whole session" testId="share-mode-whole" />
              <Radio value="range" current={mode} onChange={setMode} label="A time range" testId="share-mode-range" />
              {mode === 'range' && (
                <div className="mt-1 mb-1 ml-6 flex items-center gap-1.5 text-xs">
                  <SecondsInput end="from" value={from} onValue={setFrom} />
                  <span className="text-muted">to</span>
                  <SecondsInput end="to" value={to} onValue={setTypedTo} />
                  <span className="text-muted">s from the start</span>
                </div>
              )}
              <Radio value="exchanges" current={mode} onChange={setMode} label="Chosen exchanges" testId="share-mode-exchanges" />
              {mode === 'exchanges' && (
                <div className="mt-1 ml-6 flex flex-col gap-1">
                  <div className="relative">
                    <IconSearch className="pointer-events-none absolute top-1.5 left-1.5 h-3.5 w-3.5 text-faint" />
                    <input
                      className="input h-6 pl-6 text-xs"
                      placeholder="Filter URL, method, status"
                      value={filter}
                      onChange={(event) => setFilter(event.target.value)}
                      aria-label="Filter exchanges"
                    />
                  </div>
                  <div className="flex gap-2 text-[11px]">
                    <TextButton onClick={() => setChosen(new Set([...chosen, ...filteredExchanges.map((x) => x.exchangeId)]))}>
                      Select {filter ? 'shown' : 'all'}
                    </TextButton>
                    <TextButton onClick={() => setChosen(new Set())}>None</TextButton>
                    <span className="ml-auto text-muted">{chosen.size} chosen</span>
                  </div>
                  <ul className="max-h-48 overflow-auto rounded border border-line" data-testid="share-exchange-list">
                    {filteredExchanges.slice(0, 1000).map((x) => (
                      <li key={x.exchangeId}>
                        <label className="flex cursor-pointer items-center gap-1.5 px-1.5 py-0.5 text-[11px] hover:bg-hover">
                          <input
                            type="checkbox"
                            className="accent-[var(--accent)]"
                            checked={chosen.has(x.exchangeId)}
                            onChange={() => toggle(x.exchangeId)}
                            data-testid="share-exchange-choice"
                          />
                          <span className="w-9 shrink-0 font-mono text-muted">{x.request?.method}</span>
                          <span className="min-w-0 flex-1 truncate font-mono" title={x.request?.url}>
                            {urlPath(x.request?.url ?? '')}
                            <span className="ml-1.5 text-muted">{methodsOf(x)}</span>
                          </span>
                          <span className="shrink-0 font-mono text-muted">{x.response?.status ?? (x.end?.error ? 'err' : '…')}</span>
                        </label>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </fieldset>

            <fieldset className="min-w-0">
              <legend className="field-label">Masking</legend>
              <Check
                checked
                disabled
                label="Secrets"
                detail="Tokens, cookies, API keys and the headers marked secret were masked when they were recorded: they are not in the log at all."
              />
              {MASK_CHOICES.map(({ mask, label, detail, testId }) => (
                <Check
                  key={mask}
                  checked={masks[mask]}
                  onChange={(value) => setMasks((current) => ({ ...current, [mask]: value }))}
                  label={label}
                  detail={detail}
                  testId={testId}
                />
              ))}
            </fieldset>

            <label className="block">
              <span className="field-label">Link expires after</span>
              <select
                className="input h-7"
                value={expiry}
                onChange={(event) => setExpiry(event.target.value)}
                data-testid="share-expiry-select"
              >
                {EXPIRY_CHOICES.map((choice) => (
                  <option key={choice.key} value={choice.key}>
                    {choice.label}
                  </option>
                ))}
              </select>
            </label>
          </div>

          <div className="flex min-w-0 flex-col gap-2 p-4" data-testid="share-preview">
            <div className="field-label mb-0">What will be shared</div>
            {preview ? (
              <>
                <div
                  className="flex flex-wrap gap-1.5 text-xs"
                  data-testid="share-preview-stats"
                  data-events={preview.shared.stats.events}
                  data-exchanges={preview.shared.stats.exchanges}
                >
                  <Badge>{preview.shared.stats.events} events</Badge>
                  <Badge>{preview.shared.stats.exchanges} HTTP exchanges</Badge>
                  <Badge>{preview.shared.stats.messages} messages</Badge>
                  <Badge>{preview.shared.stats.phases} phases</Badge>
                  <Badge>≈ {formatBytes(preview.bytes)}</Badge>
                  {maskQuery && <Badge tone="accent">{preview.shared.stats.maskedQueries} texts with query values masked</Badge>}
                  {maskArguments && <Badge tone="accent">{preview.shared.stats.maskedArguments} tool calls’ arguments masked</Badge>}
                  {maskResults && <Badge tone="accent">{preview.shared.stats.maskedResults} tool results masked</Badge>}
                  {preview.shared.stats.droppedPayloads > 0 && (
                    <Badge tone="warn">{preview.shared.stats.droppedPayloads} unreadable bodies left out</Badge>
                  )}
                </div>
                <div className="flex items-center gap-1.5 text-[11px] text-ok">
                  <IconCheck className="h-3 w-3" /> Secrets are masked in every event below.
                </div>
                <ul className="max-h-64 min-h-24 overflow-auto rounded border border-line" data-testid="share-preview-exchanges">
                  {preview.exchanges.length === 0 && <li className="px-2 py-1 text-xs text-muted">No HTTP exchanges in this selection.</li>}
                  {preview.exchanges.slice(0, 500).map((x) => (
                    <li
                      key={x.exchangeId}
                      className="flex items-center gap-2 border-b border-line px-2 py-0.5 text-[11px] last:border-b-0"
                      data-testid="share-preview-exchange"
                    >
                      <span className="w-14 shrink-0 font-mono text-faint">{formatOffset(x.request?.t ?? 0)}</span>
                      <span className="w-9 shrink-0 font-mono text-muted">{x.request?.method}</span>
                      <span className="min-w-0 flex-1 truncate font-mono" title={x.request?.url}>
                        {x.request?.url}
                      </span>
                      <span className="max-w-[40%] shrink-0 truncate font-mono text-accent">{methodsOf(x)}</span>
                      <span className="w-20 shrink-0 text-right text-muted">{x.request?.purpose}</span>
                      <span className="w-8 shrink-0 text-right font-mono">{x.response?.status ?? (x.end?.error ? 'err' : '…')}</span>
                    </li>
                  ))}
                  {preview.exchanges.length > 500 && (
                    <li className="px-2 py-1 text-xs text-muted">…and {preview.exchanges.length - 500} more.</li>
                  )}
                </ul>
                <TextButton
                  className="self-start text-xs"
                  onClick={() => setShowJson((value) => !value)}
                  aria-expanded={showJson}
                  data-testid="share-show-json"
                >
                  {showJson ? 'Hide the JSON' : 'Show the JSON that will be shared'}
                </TextButton>
                {showJson && (
                  <pre
                    className="max-h-72 overflow-auto rounded border border-line bg-panel-2 p-2 font-mono text-[11px] whitespace-pre"
                    data-testid="share-preview-json"
                  >
                    {previewJson.length > PREVIEW_CHARS
                      ? `${previewJson.slice(0, PREVIEW_CHARS)}\n… (${formatBytes(previewJson.length - PREVIEW_CHARS)} more)`
                      : previewJson}
                  </pre>
                )}
              </>
            ) : (
              <div className="text-xs text-muted">{selectionProblem ?? 'Preparing the preview…'}</div>
            )}
          </div>
        </div>
      )}
    </Modal>
  );
}
