'use client';

// Replay: this session's requests (or an exported session file's) re-issued against a server, each answer diffed
// with the recorded one, and the interface diff of what both listed. The target is a new session made through the
// ordinary API (so it is connected, authorized and recorded like any other) and closed when the replay is done; the
// comparison runs here with lib/replay, the same code the command line runs.
import { useState } from 'react';
import type { SessionSummary } from '@/lib/contract';
import {
  ignoreRules,
  recordingFromLog,
  ReplayError,
  replayRecording,
  type ComparisonReport,
  type RecordedOutcome,
  type Recording,
  type RequestComparison,
} from '@/lib/replay';
import { ApiError, callRpc, createSession, deleteSession } from '../api';
import { readSessionFile } from '../import';
import { fetchSessionLog } from '../share';
import { Badge, Button, cn } from '../ui';

type Source = 'session' | 'file';
type Phase = { kind: 'idle' } | { kind: 'running'; step: string } | { kind: 'failed'; message: string } | { kind: 'done' };

export function ReplayPanel({ sessionId, summary }: { sessionId: string; summary: SessionSummary | undefined }) {
  const [source, setSource] = useState<Source>('session');
  const [file, setFile] = useState<File | null>(null);
  const [target, setTarget] = useState(summary?.url ?? '');
  const [ignoreText, setIgnoreText] = useState('');
  const [defaults, setDefaults] = useState(true);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [results, setResults] = useState<RequestComparison[]>([]);
  const [report, setReport] = useState<ComparisonReport | null>(null);

  const run = async () => {
    setResults([]);
    setReport(null);
    let replaySession: string | undefined;
    try {
      const rules = ignoreRules(
        ignoreText
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
        { defaults },
      );
      setPhase({ kind: 'running', step: 'Reading the recording…' });
      let recording: Recording;
      if (source === 'file') {
        if (!file) throw new Error('Choose a session file (.json export or .har) first.');
        const imported = await readSessionFile(file);
        recording = recordingFromLog(imported);
      } else recording = recordingFromLog(await fetchSessionLog(sessionId));
      if (recording.requests.length === 0) throw new Error('The recording holds no request to replay (only the handshake).');
      setPhase({ kind: 'running', step: `Connecting to ${target}…` });
      const created = await createSession({ url: target.trim(), transport: 'auto' });
      replaySession = created.id;
      if (created.state !== 'connected')
        throw new Error(`The target did not connect (${created.state}${created.error ? `: ${created.error.message}` : ''}).`);
      setPhase({ kind: 'running', step: `Replaying ${recording.requests.length} requests…` });
      const id = created.id;
      const send = async (method: string, params: Record<string, unknown> | undefined): Promise<RecordedOutcome> =>
        callRpc(id, { method, ...(params ? { params } : {}) });
      const done = await replayRecording(recording, send, { ignore: rules, onResult: (r) => setResults((list) => [...list, r]) });
      setReport(done);
      setPhase({ kind: 'done' });
    } catch (error) {
      const message = error instanceof ReplayError || error instanceof ApiError || error instanceof Error ? error.message : String(error);
      setPhase({ kind: 'failed', message });
    } finally {
      if (replaySession) void deleteSession(replaySession).catch(() => undefined);
    }
  };

  const running = phase.kind === 'running';
  const shown = report?.requests ?? results;
  return (
    <div className="flex max-w-6xl flex-col gap-3 p-3" data-testid="replay-panel">
      <p className="text-[13px] text-muted">
        Re-issues the recorded requests in order against a server (the same one, another URL, another era) and compares each answer with the
        recorded one. Values expected to differ between runs are ignored unless you say otherwise.
      </p>
      <fieldset className="flex flex-wrap items-center gap-4 text-[13px]">
        <legend className="mb-1 text-xs font-medium text-muted">Recording</legend>
        <label className="flex items-center gap-1.5">
          <input
            type="radio"
            name="replay-source"
            checked={source === 'session'}
            onChange={() => setSource('session')}
            data-testid="replay-source-session"
          />
          This session
        </label>
        <label className="flex items-center gap-1.5">
          <input
            type="radio"
            name="replay-source"
            checked={source === 'file'}
            onChange={() => setSource('file')}
            data-testid="replay-source-file"
          />
          A session file
        </label>
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
      <label className="flex flex-col gap-1 text-xs font-medium text-muted">
        Target server URL
        <input
          value={target}
          onChange={(event) => setTarget(event.target.value)}
          spellCheck={false}
          data-testid="replay-target"
          className="h-7 rounded border border-line-strong bg-panel px-2 font-mono text-[13px] text-fg"
        />
      </label>
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
        <Button variant="primary" onClick={() => void run()} disabled={running || !target.trim()} data-testid="replay-run">
          {running ? 'Replaying…' : 'Run replay'}
        </Button>
        {phase.kind === 'running' && <span className="text-xs text-muted">{phase.step}</span>}
      </div>
      {phase.kind === 'failed' && (
        <div role="alert" className="rounded border border-err/40 bg-err-soft px-3 py-2 text-[13px] text-err" data-testid="replay-failed">
          {phase.message}
        </div>
      )}
      {report && <Summary report={report} />}
      {shown.length > 0 && (
        <ul className="flex flex-col divide-y divide-line rounded border border-line" data-testid="replay-results">
          {shown.map((r) => (
            <ResultRow key={r.index} result={r} />
          ))}
        </ul>
      )}
      {report && report.interface.length > 0 && <InterfaceChanges report={report} />}
    </div>
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
