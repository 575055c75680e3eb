'use client';

// Replay: this session's requests (or an exported session file's) re-issued against a server, each answer diffed
// with the recorded one, and the interface diff of what both listed. The target is a new session made through the
// ordinary API (so it is connected, authorized and recorded like any other) and closed when the replay is done; the
// comparison runs here with lib/replay, the same code the command line runs.
import { useState, type InputHTMLAttributes } from 'react';
import type { SessionSummary } from '@/lib/contract';
import type { CreateSessionRequest } from '@/lib/contract';
import {
  answerFromRecording,
  ignoreRules,
  noRecordedAnswer,
  recordingFromLog,
  ReplayError,
  replayRecording,
  type ComparisonReport,
  type RecordedOutcome,
  type Recording,
  type RequestComparison,
} from '@/lib/replay';
import { ApiError, answerPending, callRpc, createSession, deleteSession, listPending, putRoots, type RootEntry } from '../api';
import { readSessionFile } from '../import';
import { fetchSessionLog } from '../share';
import { Badge, Button, RadioChoice, SubTabs, cn } from '../ui';
import { createTwinSession } from './api';
import { SideBySide } from './SideBySide';

type Source = 'session' | 'file';
type Phase = { kind: 'idle' } | { kind: 'running'; step: string } | { kind: 'failed'; message: string } | { kind: 'done' };
/** How the replay session authenticates to the target. */
type AuthChoice = 'session' | 'none' | 'bearer' | 'header';
type Layout = 'list' | 'columns';

/** A server request the replay session got, and how it was answered. */
export interface AnsweredServerRequest {
  method: string;
  how: 'recorded' | 'refused';
}

const POLL_MS = 200;

/**
 * Answers the replay session's waiting server requests (elicitation, sampling) while `signal` is live: with what the
 * recording's client answered to the closest one (lib/replay, as `mcpscope replay` does), else refused.
 */
async function answerServerRequests(
  sessionId: string,
  recording: Recording,
  signal: AbortSignal,
  onAnswered: (answered: AnsweredServerRequest) => void,
): Promise<void> {
  const seen = new Set<string>();
  while (!signal.aborted) {
    try {
      const { pending } = await listPending(sessionId);
      for (const entry of pending) {
        if (seen.has(entry.requestId)) continue;
        seen.add(entry.requestId);
        const answer = answerFromRecording(recording.serverRequests, entry.method, entry.params);
        await answerPending(sessionId, entry.requestId, answer ?? { error: noRecordedAnswer(entry.method) }).catch(() => undefined);
        onAnswered({ method: entry.method, how: answer ? 'recorded' : 'refused' });
      }
    } catch {
      // the session may be closing: the next turn (or the abort) decides
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The target's session: a twin of this one (its credentials stay on the server), or a new one with what was typed. */
async function openTarget(
  sessionId: string,
  auth: AuthChoice,
  url: string,
  credential: { token: string; headerName: string; headerValue: string },
): Promise<SessionSummary> {
  if (auth === 'session') return createTwinSession(sessionId);
  const body: CreateSessionRequest = { url, transport: 'auto' };
  if (auth === 'bearer') body.auth = { type: 'bearer', token: credential.token };
  if (auth === 'header') body.headers = { [credential.headerName.trim()]: credential.headerValue };
  return createSession(body);
}

export function ReplayPanel({ sessionId, summary }: { sessionId: string; summary: SessionSummary | undefined }) {
  const [source, setSource] = useState<Source>('session');
  const [file, setFile] = useState<File | null>(null);
  const canTwin = summary !== undefined && summary.transport !== 'stdio';
  const [auth, setAuth] = useState<AuthChoice>(canTwin ? 'session' : 'none');
  const [target, setTarget] = useState(summary?.url ?? '');
  // Typed secrets live in this component only: never stored, sent once to create the target's session.
  const [token, setToken] = useState('');
  const [headerName, setHeaderName] = useState('X-API-Key');
  const [headerValue, setHeaderValue] = useState('');
  const [ignoreText, setIgnoreText] = useState('');
  const [defaults, setDefaults] = useState(true);
  const [layout, setLayout] = useState<Layout>('list');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [results, setResults] = useState<RequestComparison[]>([]);
  const [report, setReport] = useState<ComparisonReport | null>(null);
  const [replayed, setReplayed] = useState<{ recording: Recording; target: string } | null>(null);
  const [serverAnswers, setServerAnswers] = useState<AnsweredServerRequest[]>([]);
  const targetUrl = auth === 'session' ? (summary?.url ?? '') : target.trim();

  const run = async () => {
    setResults([]);
    setReport(null);
    setServerAnswers([]);
    let replaySession: string | undefined;
    const answering = new AbortController();
    try {
      const rules = ignoreRules(
        ignoreText
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
        { defaults },
      );
      if (auth === 'bearer' && !token.trim())
        throw new Error('Type the bearer token the target expects, or choose another way to sign in.');
      if (auth === 'header' && (!headerName.trim() || !headerValue)) throw new Error('Type the header name and its value.');
      setPhase({ kind: 'running', step: 'Reading the recording…' });
      let recording: Recording;
      if (source === 'file') {
        if (!file) throw new Error('Choose a session file (.json export or .har) first.');
        const imported = await readSessionFile(file);
        recording = recordingFromLog(imported);
      } else recording = recordingFromLog(await fetchSessionLog(sessionId));
      if (recording.requests.length === 0) throw new Error('The recording holds no request to replay (only the handshake).');
      setPhase({ kind: 'running', step: `Connecting to ${targetUrl}…` });
      const created = await openTarget(sessionId, auth, targetUrl, { token, headerName, headerValue });
      replaySession = created.id;
      if (created.state !== 'connected')
        throw new Error(`The target did not connect (${created.state}${created.error ? `: ${created.error.message}` : ''}).`);
      const id = created.id;
      // The roots the recording's client gave, so a server that asks for them sees the same list.
      const roots = answerFromRecording(recording.serverRequests, 'roots/list', undefined);
      if (roots && 'result' in roots && Array.isArray(roots.result.roots))
        await putRoots(id, roots.result.roots as RootEntry[]).catch(() => undefined);
      void answerServerRequests(id, recording, answering.signal, (answered) => setServerAnswers((list) => [...list, answered]));
      setPhase({ kind: 'running', step: `Replaying ${recording.requests.length} requests…` });
      const send = async (method: string, params: Record<string, unknown> | undefined): Promise<RecordedOutcome> =>
        callRpc(id, { method, ...(params ? { params } : {}) });
      const done = await replayRecording(recording, send, { ignore: rules, onResult: (r) => setResults((list) => [...list, r]) });
      setReport(done);
      setReplayed({
        recording,
        target: `${created.url}${created.server ? ` (${created.server.name} ${created.server.version}, ${created.server.protocolVersion})` : ''}`,
      });
      setPhase({ kind: 'done' });
    } catch (error) {
      const message = error instanceof ReplayError || error instanceof ApiError || error instanceof Error ? error.message : String(error);
      setPhase({ kind: 'failed', message });
    } finally {
      answering.abort();
      if (replaySession) void deleteSession(replaySession).catch(() => undefined);
    }
  };

  const running = phase.kind === 'running';
  const shown = report?.requests ?? results;
  return (
    <div className="flex max-w-6xl flex-col gap-3 p-3" data-testid="replay-panel">
      <p className="text-[13px] text-muted">
        Re-issues the recorded requests in order against a server (the same one, another URL, another era) and compares each answer with the
        recorded one. The server&apos;s own requests (elicitation, sampling, roots) are answered as the recording answered them. Values
        expected to differ between runs are ignored unless you say otherwise.
      </p>
      <fieldset className="flex flex-wrap items-center gap-4 text-[13px]">
        <legend className="mb-1 text-xs font-medium text-muted">Recording</legend>
        <RadioChoice
          name="replay-source"
          checked={source === 'session'}
          onChoose={() => setSource('session')}
          testId="replay-source-session"
        >
          This session
        </RadioChoice>
        <RadioChoice name="replay-source" checked={source === 'file'} onChoose={() => setSource('file')} testId="replay-source-file">
          A session file
        </RadioChoice>
        {source === 'file' && (
          <input
            type="file"
            accept=".json,.har,application/json"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            data-testid="replay-file"
            className="text-xs"
          />
        )}
      </fieldset>
      <fieldset className="flex flex-col gap-2 text-[13px]" data-testid="replay-auth">
        <legend className="mb-1 text-xs font-medium text-muted">Target and its credentials</legend>
        <div className="flex flex-wrap items-center gap-4">
          {canTwin && (
            <RadioChoice
              name="replay-auth"
              checked={auth === 'session'}
              onChoose={() => setAuth('session')}
              testId="replay-auth-session"
              title="A new session to this session's server, with its settings and credentials (kept on the server)"
            >
              This session&apos;s server and credentials
            </RadioChoice>
          )}
          <RadioChoice name="replay-auth" checked={auth === 'none'} onChoose={() => setAuth('none')} testId="replay-auth-none">
            Another URL, no credentials
          </RadioChoice>
          <RadioChoice name="replay-auth" checked={auth === 'bearer'} onChoose={() => setAuth('bearer')} testId="replay-auth-bearer">
            Bearer token
          </RadioChoice>
          <RadioChoice name="replay-auth" checked={auth === 'header'} onChoose={() => setAuth('header')} testId="replay-auth-header">
            API key header
          </RadioChoice>
        </div>
        <ReplayField
          label="Target server URL"
          value={auth === 'session' ? (summary?.url ?? '') : target}
          onValue={setTarget}
          disabled={auth === 'session'}
          data-testid="replay-target"
        />
        {auth === 'bearer' && (
          <ReplayField
            label="Bearer token (sent once to the server side; never stored, masked in the log)"
            secret
            value={token}
            onValue={setToken}
            data-testid="replay-token"
          />
        )}
        {auth === 'header' && (
          <div className="flex flex-wrap gap-2">
            <ReplayField label="Header name" value={headerName} onValue={setHeaderName} data-testid="replay-header-name" className="w-48" />
            <ReplayField
              label="Value (never stored, masked in the log)"
              secret
              value={headerValue}
              onValue={setHeaderValue}
              data-testid="replay-header-value"
              className="min-w-64 flex-1"
            />
          </div>
        )}
      </fieldset>
      <label className="flex flex-col gap-1 text-xs font-medium text-muted">
        Ignore (one JSON path per line, e.g. $.result.content[*].text or a key name)
        <textarea
          value={ignoreText}
          onChange={(event) => setIgnoreText(event.target.value)}
          rows={2}
          spellCheck={false}
          data-testid="replay-ignore"
          className="rounded border border-line-strong bg-panel p-2 font-mono text-[13px] text-fg"
        />
      </label>
      <label className="flex items-center gap-1.5 text-[13px]">
        <input type="checkbox" checked={defaults} onChange={(event) => setDefaults(event.target.checked)} />
        Ignore ids, timestamps and the protocol envelope
      </label>
      <div className="flex items-center gap-2">
        <Button variant="primary" onClick={() => void run()} disabled={running || !targetUrl} data-testid="replay-run">
          {running ? 'Replaying…' : 'Run replay'}
        </Button>
        {phase.kind === 'running' && <span className="text-xs text-muted">{phase.step}</span>}
        {shown.length > 0 && (
          <span className="ml-auto">
            <SubTabs<Layout>
              tabs={[
                { key: 'list', label: 'Differences', testId: 'replay-layout-list' },
                { key: 'columns', label: 'Side by side', testId: 'replay-layout-columns' },
              ]}
              active={layout}
              onChange={setLayout}
            />
          </span>
        )}
      </div>
      {phase.kind === 'failed' && (
        <div role="alert" className="rounded border border-err/40 bg-err-soft px-3 py-2 text-[13px] text-err" data-testid="replay-failed">
          {phase.message}
        </div>
      )}
      {report && <Summary report={report} />}
      {serverAnswers.length > 0 && <ServerAnswers answers={serverAnswers} />}
      {layout === 'columns' && report && replayed ? (
        <SideBySide report={report} recording={replayed.recording} target={replayed.target} />
      ) : (
        <>
          {shown.length > 0 && (
            <ul className="flex flex-col divide-y divide-line rounded border border-line" data-testid="replay-results">
              {shown.map((r) => (
                <ResultRow key={r.index} result={r} />
              ))}
            </ul>
          )}
          {report && report.interface.length > 0 && <InterfaceChanges report={report} />}
        </>
      )}
    </div>
  );
}

function ServerAnswers({ answers }: { answers: AnsweredServerRequest[] }) {
  return (
    <section className="rounded border border-line px-3 py-2 text-[13px]" data-testid="replay-server-requests">
      <h3 className="mb-1 text-xs font-semibold text-muted">The server&apos;s requests during the replay</h3>
      <ul className="flex flex-col gap-0.5">
        {answers.map((a, i) => (
          <li key={i} data-testid="replay-server-request" data-how={a.how} className="flex items-center gap-2">
            <span className="font-mono text-xs">{a.method}</span>
            {a.how === 'recorded' ? <Badge tone="ok">answered as recorded</Badge> : <Badge tone="warn">refused: no recorded answer</Badge>}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Summary({ report }: { report: ComparisonReport }) {
  const s = report.summary;
  return (
    <div
      data-testid="replay-summary"
      data-differs={report.differs}
      className={cn(
        'rounded border px-3 py-2 text-[13px]',
        report.differs ? 'border-warn/50 bg-warn-soft text-fg' : 'border-ok/40 bg-ok-soft text-fg',
      )}
    >
      {report.differs ? 'Differences found: ' : 'No differences: '}
      {s.identical} identical, {s.differs} differ, {s.failed} failed
      {report.interface.length > 0 &&
        `; ${report.interface.length} interface change${report.interface.length === 1 ? '' : 's'} (${s.breaking} breaking)`}
    </div>
  );
}

const VERDICT_TONE = { identical: 'ok', differs: 'warn', failed: 'err' } as const;

function clip(value: unknown, max = 120): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function ResultRow({ result }: { result: RequestComparison }) {
  const ignored = Object.entries(result.ignored);
  return (
    <li className="px-3 py-1.5" data-testid="replay-result" data-verdict={result.verdict}>
      <div className="flex items-center gap-2 text-[13px]">
        <Badge tone={VERDICT_TONE[result.verdict]}>{result.verdict}</Badge>
        <span className="truncate font-mono text-xs">{result.label}</span>
        {ignored.length > 0 && (
          <span className="ml-auto text-[11px] text-faint">ignored: {ignored.map(([rule, n]) => `${n} ${rule}`).join(', ')}</span>
        )}
      </div>
      {result.failure && (
        <div className="mt-1 text-xs text-err">
          {result.failure.code}: {result.failure.message}
        </div>
      )}
      {result.changes.length > 0 && (
        <ul className="mt-1 flex flex-col gap-0.5 font-mono text-xs" data-testid="replay-changes">
          {result.changes.map((c, i) => (
            <li key={i} data-testid="replay-change" className="break-all">
              <span
                className={cn('mr-2 inline-block w-14', c.kind === 'added' ? 'text-ok' : c.kind === 'removed' ? 'text-err' : 'text-warn')}
              >
                {c.kind}
              </span>
              <span className="text-fg">{c.path}</span>
              <span className="text-muted">
                {c.kind === 'changed'
                  ? `: ${clip(c.before)} → ${clip(c.after)}`
                  : c.kind === 'added'
                    ? `: ${clip(c.after)}`
                    : `: ${clip(c.before)}`}
              </span>
            </li>
          ))}
          {result.omitted > 0 && <li className="text-muted">… and {result.omitted} more</li>}
        </ul>
      )}
    </li>
  );
}

function InterfaceChanges({ report }: { report: ComparisonReport }) {
  return (
    <section data-testid="replay-interface" className="flex flex-col gap-1">
      <h3 className="text-xs font-semibold text-muted">Interface</h3>
      <ul className="flex flex-col divide-y divide-line rounded border border-line">
        {report.interface.map((c) => (
          <li key={`${c.kind} ${c.name}`} className="px-3 py-1.5 text-[13px]" data-testid="replay-interface-change">
            <div className="flex items-center gap-2">
              <span className="text-muted">{c.kind}</span>
              <span className="font-mono text-xs">{c.name}</span>
              <Badge tone={c.change === 'added' ? 'ok' : c.change === 'removed' ? 'err' : 'neutral'}>{c.change}</Badge>
              {c.breaking && <Badge tone="err">breaking</Badge>}
            </div>
            {c.change === 'changed' && (
              <ul className="mt-1 ml-4 list-disc text-xs">
                {c.details.map((d, i) => (
                  <li key={i} className={d.breaking ? 'text-err' : 'text-muted'}>
                    {d.text}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A labelled one-line input of the replay form: a URL or a header name, or a secret (masked, never autofilled). */
function ReplayField({
  label,
  onValue,
  secret = false,
  className,
  ...input
}: { label: string; onValue: (value: string) => void; secret?: boolean } & Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'>) {
  return (
    <label className={cn('flex flex-col gap-1 text-xs font-medium text-muted', className)}>
      {label}
      <input
        {...input}
        onChange={(event) => onValue(event.target.value)}
        {...(secret ? { type: 'password', autoComplete: 'off' } : { spellCheck: false })}
        className="h-7 rounded border border-line-strong bg-panel px-2 font-mono text-[13px] text-fg disabled:text-muted"
      />
    </label>
  );
}
