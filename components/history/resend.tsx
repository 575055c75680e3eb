'use client';

// Sending a recorded request again, from History or from a row of Messages: "Resend" sends it as it was; "Edit &
// resend" opens it to be changed first (a tool call in its tool's form with those arguments, anything else in the
// JSON-RPC console). One way for both views, so a request opened from either lands in the same editor.
import { useState } from 'react';
import { LIFECYCLE_METHODS, stripEnvelope } from '@/lib/replay';
import { isJsonObject } from '@/lib/json';
import { callRpc } from '../api';
import { useWorkspaceNav } from '../nav';
import type { ToolsState } from '../tools';
import { Button, useStickyState } from '../ui';
import type { ConsoleDraft } from './ConsolePanel';

export type HistoryPane = 'requests' | 'console' | 'replay';

const DEFAULT_DRAFT: ConsoleDraft = { method: 'tools/list', params: '{}' };

/** The History view's pane and console draft; sticky, so a view that opens them before History mounts is heard. */
export function useHistoryState(sessionId: string) {
  const [pane, setPane] = useStickyState<HistoryPane>(sessionId, 'history-pane', 'requests');
  const [draft, setDraft] = useStickyState<ConsoleDraft>(sessionId, 'history-console', DEFAULT_DRAFT);
  return { pane, setPane, draft, setDraft };
}

export interface EditTarget {
  method: string;
  params?: Record<string, unknown>;
}

/** Opens a request to be edited and sent again: its tool's form (tools/call), else the console with it. */
export function openEditor(
  request: EditTarget,
  deps: {
    toolsState: ToolsState;
    nav: Pick<ReturnType<typeof useWorkspaceNav>, 'setTab'>;
    setDraft: (draft: ConsoleDraft) => void;
    setPane: (pane: HistoryPane) => void;
  },
): void {
  const params = request.params ?? {};
  if (request.method === 'tools/call' && typeof params.name === 'string') {
    deps.toolsState.setArgs(params.name, isJsonObject(params.arguments) ? params.arguments : {});
    deps.toolsState.setSelected(params.name);
    deps.nav.setTab('tools');
    return;
  }
  deps.setDraft({ method: request.method, params: JSON.stringify(params, null, 2) });
  deps.setPane('console');
  deps.nav.setTab('history');
}

/**
 * The request a Messages row carries, when it is one this client sent and may send again: not a response, not a
 * notification, not the connection's own lifecycle (initialize, server/discover, subscriptions/listen).
 */
export function resendable(message: unknown, direction: 'in' | 'out', type: string): EditTarget | undefined {
  if (direction !== 'out' || type !== 'request' || !isJsonObject(message) || typeof message.method !== 'string') return undefined;
  if (LIFECYCLE_METHODS.has(message.method)) return undefined;
  // The envelope (2026-07-28 protocol fields, progress token) is the client library's to add for the new request.
  const params = stripEnvelope(message.params);
  return { method: message.method, ...(params ? { params } : {}) };
}

/** "Resend" and "Edit & resend" for a message of Messages, when it is a request this client may send again. */
export function MessageResend(props: {
  sessionId: string;
  connected: boolean;
  toolsState: ToolsState;
  message: unknown;
  direction: 'in' | 'out';
  type: string;
}) {
  const request = resendable(props.message, props.direction, props.type);
  return request ? <ResendActions {...props} request={request} /> : null;
}

function ResendActions({
  sessionId,
  connected,
  toolsState,
  request,
}: {
  sessionId: string;
  connected: boolean;
  toolsState: ToolsState;
  request: EditTarget;
}) {
  const nav = useWorkspaceNav();
  const { setDraft, setPane } = useHistoryState(sessionId);
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'sending' } | { kind: 'sent' } | { kind: 'failed'; message: string }>({
    kind: 'idle',
  });
  const resend = async () => {
    setState({ kind: 'sending' });
    try {
      await callRpc(sessionId, { method: request.method, ...(request.params ? { params: request.params } : {}) });
      setState({ kind: 'sent' });
    } catch (error) {
      setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };
  return (
    <span className="flex items-center gap-1" data-testid="message-resend-actions">
      <Button
        size="sm"
        variant="ghost"
        onClick={() => void resend()}
        disabled={!connected || state.kind === 'sending'}
        title={connected ? 'Send this request again, as it was' : 'The session is not connected'}
        data-testid="message-resend"
      >
        {state.kind === 'sending' ? 'Sending…' : 'Resend'}
      </Button>
      <Button
        size="sm"
        variant="ghost"
        onClick={() => openEditor(request, { toolsState, nav, setDraft, setPane })}
        title={request.method === 'tools/call' ? 'Open it in the tool’s form' : 'Open it in the JSON-RPC console'}
        data-testid="message-edit-resend"
      >
        Edit &amp; resend
      </Button>
      {state.kind === 'sent' && (
        <span className="text-[11px] text-ok" role="status" data-testid="message-resent">
          Sent again
        </span>
      )}
      {state.kind === 'failed' && (
        <span className="max-w-64 truncate text-[11px] text-err" role="alert" title={state.message} data-testid="message-resend-failed">
          {state.message}
        </span>
      )}
    </span>
  );
}
