'use client';

import { useState } from 'react';
import type { ContentBlock, PendingRequest } from '../api';
import { ContentBlockView } from '../tools';
import { Badge, Button, JsonTree, prettyJson, TextButton } from '../ui';
import { useAnswer } from './use-answer';

interface SamplingMessage {
  role?: string;
  content?: ContentBlock | ContentBlock[];
}

const STOP_REASONS = ['endTurn', 'stopSequence', 'maxTokens', 'toolUse'] as const;
const DEFAULT_MODEL = 'mcpscope-human';

function asBlocks(content: SamplingMessage['content']): ContentBlock[] {
  if (Array.isArray(content)) return content;
  return content ? [content] : [];
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex gap-2 text-xs">
      <span className="w-28 shrink-0 text-muted">{label}</span>
      <span className="min-w-0 flex-1 break-words">{children}</span>
    </div>
  );
}

/** `sampling/createMessage`: the request as the model would see it, and a reply the person writes (no model behind it). */
export function SamplingCard({ entry }: { entry: PendingRequest }) {
  const answer = useAnswer(entry);
  const params = entry.params;
  const messages = Array.isArray(params.messages) ? (params.messages as SamplingMessage[]) : [];
  const preferences = (params.modelPreferences ?? undefined) as
    { hints?: Array<{ name?: string }>; costPriority?: number; speedPriority?: number; intelligencePriority?: number } | undefined;
  const tools = Array.isArray(params.tools) ? (params.tools as Array<{ name?: string; description?: string }>) : [];
  const hintedModel = preferences?.hints?.find((hint) => typeof hint.name === 'string')?.name;

  const [text, setText] = useState('');
  const [model, setModel] = useState(DEFAULT_MODEL);
  const [stopReason, setStopReason] = useState<string>('endTurn');
  const [editing, setEditing] = useState(false);
  const [json, setJson] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);

  const drafted = () => ({ role: 'assistant', content: { type: 'text', text }, model: model.trim() || DEFAULT_MODEL, stopReason });

  const toggleEdit = () => {
    if (!editing) {
      setJson(prettyJson(drafted()));
      setJsonError(null);
    }
    setEditing(!editing);
  };

  const accept = () => {
    if (!editing) {
      answer.send({ result: drafted() });
      return;
    }
    try {
      const parsed: unknown = JSON.parse(json);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('The reply must be a JSON object.');
      setJsonError(null);
      answer.send({ result: parsed as Record<string, unknown> });
    } catch (error) {
      setJsonError(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <div className="flex flex-col gap-3" data-testid="sampling-request">
      <div className="flex flex-col gap-1">
        {typeof params.systemPrompt === 'string' && <Row label="system prompt">{params.systemPrompt}</Row>}
        {params.maxTokens !== undefined && <Row label="max tokens">{String(params.maxTokens)}</Row>}
        {params.temperature !== undefined && <Row label="temperature">{String(params.temperature)}</Row>}
        {Array.isArray(params.stopSequences) && params.stopSequences.length > 0 && (
          <Row label="stop sequences">{params.stopSequences.map(String).join(', ')}</Row>
        )}
        {typeof params.includeContext === 'string' && <Row label="include context">{params.includeContext}</Row>}
        {preferences && (
          <Row label="model preferences">
            <span className="flex flex-wrap items-center gap-1" data-testid="model-preferences">
              {(preferences.hints ?? []).map((hint, index) => (
                <Badge key={index} tone="purple" mono>
                  {hint.name ?? '?'}
                </Badge>
              ))}
              {preferences.intelligencePriority !== undefined && <Badge>intelligence {preferences.intelligencePriority}</Badge>}
              {preferences.speedPriority !== undefined && <Badge>speed {preferences.speedPriority}</Badge>}
              {preferences.costPriority !== undefined && <Badge>cost {preferences.costPriority}</Badge>}
            </span>
          </Row>
        )}
        {tools.length > 0 && (
          <Row label="tools">
            <details data-testid="sampling-tools">
              <summary className="cursor-pointer">
                {tools.map((tool) => tool.name ?? '?').join(', ')}
                {params.toolChoice !== undefined && <span className="text-muted"> · toolChoice {JSON.stringify(params.toolChoice)}</span>}
              </summary>
              <div className="mt-1 max-h-48 overflow-auto">
                <JsonTree data={tools} expandDepth={2} />
              </div>
            </details>
          </Row>
        )}
        {tools.length === 0 && params.toolChoice !== undefined && <Row label="tool choice">{JSON.stringify(params.toolChoice)}</Row>}
      </div>

      <div className="flex flex-col gap-2" data-testid="sampling-messages">
        {messages.map((message, index) => (
          <div key={index} className="flex gap-2">
            <div className="w-16 shrink-0 pt-1.5 text-right">
              <Badge tone={message.role === 'assistant' ? 'purple' : 'accent'}>{message.role ?? '?'}</Badge>
            </div>
            <div className="flex min-w-0 flex-1 flex-col gap-1.5">
              {asBlocks(message.content).map((block, blockIndex) => (
                <ContentBlockView key={blockIndex} block={block} />
              ))}
            </div>
          </div>
        ))}
      </div>

      <div
        className="rounded border border-accent/40 bg-accent-soft/40 p-2.5"
        data-testid="sampling-reply"
        onKeyDown={(event) => {
          // Enter in a one-line field, or Ctrl/Cmd+Enter in the reply text, sends the reply.
          const target = event.target as HTMLElement;
          if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
          const send = target.tagName === 'INPUT' || (target.tagName === 'TEXTAREA' && (event.ctrlKey || event.metaKey));
          if (!send) return;
          event.preventDefault();
          if (!answer.busy) accept();
        }}
      >
        <div className="mb-1.5 flex items-center gap-2">
          <span className="field-label mb-0">Reply (you are the model)</span>
          <span className="ml-auto text-[11px] text-muted">{editing ? 'the whole CreateMessageResult, as JSON' : 'a text reply'}</span>
        </div>
        {editing ? (
          <>
            <textarea
              className="input-mono h-40 py-1.5"
              value={json}
              onChange={(event) => setJson(event.target.value)}
              spellCheck={false}
              aria-label="The reply as JSON"
              data-testid="sampling-json"
            />
            {jsonError && (
              <div className="mt-1 text-xs text-err" role="alert">
                {jsonError}
              </div>
            )}
          </>
        ) : (
          <div className="flex flex-col gap-2">
            <textarea
              className="input h-24 py-1.5"
              placeholder="Type the assistant's answer… (Ctrl+Enter sends)"
              value={text}
              onChange={(event) => setText(event.target.value)}
              aria-label="The assistant's reply"
              data-testid="sampling-reply-text"
            />
            <div className="flex flex-wrap items-center gap-2 text-xs">
              <label className="flex items-center gap-1.5">
                <span className="text-muted">model</span>
                <input
                  className="input-mono h-6 w-44"
                  value={model}
                  onChange={(event) => setModel(event.target.value)}
                  data-testid="sampling-model"
                />
              </label>
              {hintedModel && hintedModel !== model && (
                <TextButton className="text-[11px]" onClick={() => setModel(hintedModel)}>
                  use hint “{hintedModel}”
                </TextButton>
              )}
              <label className="flex items-center gap-1.5">
                <span className="text-muted">stopReason</span>
                <select className="input h-6 w-28 py-0 text-xs" value={stopReason} onChange={(event) => setStopReason(event.target.value)}>
                  {STOP_REASONS.map((reason) => (
                    <option key={reason} value={reason}>
                      {reason}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          </div>
        )}
      </div>

      <div className="flex flex-wrap items-center gap-2">
        <Button variant="primary" onClick={accept} disabled={answer.busy} data-testid="sampling-accept">
          Accept
        </Button>
        <Button
          onClick={toggleEdit}
          disabled={answer.busy}
          aria-pressed={editing}
          data-testid="sampling-edit"
          title="Edit the whole result as JSON (e.g. several content blocks, or a tool_use reply when the request offered tools)"
        >
          {editing ? 'Back to the text reply' : 'Edit'}
        </Button>
        <Button
          variant="danger"
          onClick={() => answer.send({ error: { code: -1, message: 'User rejected sampling request' } })}
          disabled={answer.busy}
          data-testid="sampling-reject"
          title="Answers with JSON-RPC error -1 (the spec's example for a user rejection)"
        >
          Reject
        </Button>
      </div>
      {answer.error && (
        <div className="text-xs text-err" role="alert">
          {answer.error}
        </div>
      )}
    </div>
  );
}
