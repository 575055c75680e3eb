'use client';

// A raw JSON-RPC console: any method the server may know, with any params, sent through the session's rpc route
// like every other request, so it is recorded in the log (and listed in History) like the rest.
import { useState } from 'react';
import type { RpcResponseBody } from '@/lib/contract';
import { callRpc } from '../api';
import { Badge, Button, JsonCode } from '../ui';

export interface ConsoleDraft {
  method: string;
  /** The params as the person typed them (JSON text). */
  params: string;
}

/** Methods a client sends, offered as suggestions; any other name may be typed. */
const KNOWN_METHODS = [
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'resources/subscribe',
  'resources/unsubscribe',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
  'tasks/list',
  'tasks/get',
  'tasks/result',
  'tasks/cancel',
];

type Parsed = { ok: true; params: Record<string, unknown> | undefined } | { ok: false; message: string };

function parseParams(text: string): Parsed {
  if (text.trim() === '') return { ok: true, params: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `Params are not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, message: 'Params must be a JSON object (or empty).' };
  return { ok: true, params: value as Record<string, unknown> };
}

export function ConsolePanel({
  sessionId,
  connected,
  draft,
  onDraft,
}: {
  sessionId: string;
  connected: boolean;
  draft: ConsoleDraft;
  onDraft: (draft: ConsoleDraft) => void;
}) {
  const [sending, setSending] = useState(false);
  const [answer, setAnswer] = useState<{ method: string; body?: RpcResponseBody; failure?: string; ms: number } | null>(null);
  const parsed = parseParams(draft.params);
  const method = draft.method.trim();

  const send = async () => {
    if (!parsed.ok || !method) return;
    setSending(true);
    const started = performance.now();
    try {
      const body = await callRpc(sessionId, { method, ...(parsed.params ? { params: parsed.params } : {}) });
      setAnswer({ method, body, ms: performance.now() - started });
    } catch (error) {
      setAnswer({ method, failure: error instanceof Error ? error.message : String(error), ms: performance.now() - started });
    } finally {
      setSending(false);
    }
  };

  return (
    <form
      className="flex max-w-5xl flex-col gap-3 p-3"
      data-testid="rpc-console"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <p className="text-[13px] text-muted">
        Sends one JSON-RPC request to the server as this session, recorded in the log like every other request. The server may know methods
        mcpscope has no view for.
      </p>
      <label className="flex flex-col gap-1 text-xs font-medium text-muted">
        Method
        <input
          list="rpc-console-methods"
          value={draft.method}
          onChange={(event) => onDraft({ ...draft, method: event.target.value })}
          spellCheck={false}
          data-testid="rpc-console-method"
          className="h-7 rounded border border-line-strong bg-panel px-2 font-mono text-[13px] text-fg"
        />
        <datalist id="rpc-console-methods">
          {KNOWN_METHODS.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-muted">
        Params (a JSON object; empty for none)
        <textarea
          value={draft.params}
          onChange={(event) => onDraft({ ...draft, params: event.target.value })}
          spellCheck={false}
          rows={8}
          data-testid="rpc-console-params"
          className="rounded border border-line-strong bg-panel p-2 font-mono text-[13px] text-fg"
        />
      </label>
      {!parsed.ok && (
        <div role="alert" className="text-xs text-err" data-testid="rpc-console-invalid">
          {parsed.message}
        </div>
      )}
      <div className="flex items-center gap-2">
        <Button type="submit" variant="primary" disabled={!connected || sending || !parsed.ok || !method} data-testid="rpc-console-send">
          {sending ? 'Sending…' : 'Send'}
        </Button>
        {!connected && <span className="text-xs text-muted">The session is not connected.</span>}
      </div>
      {answer && (
        <section data-testid="rpc-console-answer" className="flex flex-col gap-1">
          <div className="flex items-center gap-2 text-xs text-muted">
            <span className="font-mono">{answer.method}</span>
            {answer.failure ? (
              <Badge tone="err">no answer</Badge>
            ) : answer.body && 'error' in answer.body ? (
              <Badge tone="err">error {answer.body.error.code}</Badge>
            ) : (
              <Badge tone="ok">result</Badge>
            )}
            <span className="font-mono">{Math.round(answer.ms)} ms</span>
          </div>
          {answer.failure ? <div className="text-[13px] text-err">{answer.failure}</div> : <JsonCode value={answer.body} />}
        </section>
      )}
    </form>
  );
}
