'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { describeFailure, rpcResult } from '../api';
import { ArgumentFields } from '../completion';
import { ContentBlockView, Markdown } from '../tools';
import { Badge, Button, DetailHeader, IconAlert, IconPlay, JsonCode, cn, formatMs, useStickyState, TextButton } from '../ui';
import type { GetPromptResult, PromptInfo } from './types';

/** A prompt's arguments (with completion suggestions) and the messages `prompts/get` returned, rendered. */
export function PromptDetail({
  sessionId,
  prompt,
  connected,
  completions,
}: {
  sessionId: string;
  prompt: PromptInfo;
  connected: boolean;
  completions: boolean;
}) {
  const args = prompt.arguments ?? [];
  const [values, setValues] = useStickyState<Record<string, string>>(sessionId, `prompt:${prompt.name}`, {});
  const [raw, setRaw] = useState(false);
  // Set by a Get with required arguments empty: they are marked, and nothing is sent (the server would answer -32602).
  const [checked, setChecked] = useState(false);
  const get = useMutation({
    mutationFn: async () => {
      const begin = performance.now();
      // Empty optional arguments are left out rather than sent as "".
      const sent = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
      const result = await rpcResult<GetPromptResult>(sessionId, 'prompts/get', {
        name: prompt.name,
        ...(Object.keys(sent).length > 0 ? { arguments: sent } : {}),
      });
      return { result, elapsed: performance.now() - begin };
    },
  });
  const missing = args.filter((arg) => arg.required && !(values[arg.name] ?? '').trim()).map((arg) => arg.name);
  const errors = checked
    ? Object.fromEntries(missing.map((name) => [name, 'Required: fill this in before getting the prompt.']))
    : undefined;
  const submit = (force = false) => {
    if (!force && missing.length > 0) {
      setChecked(true);
      document.getElementById(`prompt-arg-${missing[0]}`)?.focus();
      return;
    }
    setChecked(false);
    get.mutate();
  };
  const messages = Array.isArray(get.data?.result.messages) ? get.data.result.messages : [];

  return (
    <div className="flex flex-col" data-testid="prompt-detail" data-prompt={prompt.name}>
      <DetailHeader
        title={prompt.title || prompt.name}
        name={prompt.name}
        below={
          prompt.description && (
            <div className="mt-1" data-testid="prompt-description-text">
              <Markdown text={prompt.description} images={false} className="md-description break-words" testId="description-markdown" />
            </div>
          )
        }
      >
        <Button
          variant="primary"
          className="ml-auto"
          onClick={() => submit()}
          disabled={!connected || get.isPending}
          title={missing.length > 0 ? `Required and empty: ${missing.join(', ')}` : 'prompts/get'}
          data-testid="get-prompt"
        >
          <IconPlay className="h-3 w-3" /> {get.isPending ? 'Getting…' : 'Get prompt'}
        </Button>
      </DetailHeader>
      <div className="grid gap-4 p-4 xl:grid-cols-[minmax(280px,380px)_1fr]">
        <div className="flex flex-col gap-3">
          <div className="field-label mb-0">Arguments</div>
          {args.length === 0 ? (
            <div className="text-xs text-muted">This prompt takes no arguments.</div>
          ) : (
            <ArgumentFields
              sessionId={sessionId}
              reference={{ type: 'ref/prompt', name: prompt.name }}
              fields={args}
              values={values}
              onChange={setValues}
              completions={completions && connected}
              idPrefix="prompt-arg"
              errors={errors}
            />
          )}
          {checked && missing.length > 0 ? (
            <div className="rounded border border-err/40 bg-err-soft px-3 py-2 text-xs" role="alert" data-testid="prompt-not-sent">
              <div className="font-semibold text-err">
                Not sent: {missing.length === 1 ? 'a required argument is' : `${missing.length} required arguments are`} empty
              </div>
              <div className="mt-0.5">Fill in {missing.join(', ')}; the server would refuse the request (-32602 Invalid params).</div>
              <TextButton
                className="mt-1"
                onClick={() => submit(true)}
                data-testid="get-prompt-anyway"
                title="Send it as it is, to see how the server handles it"
              >
                Get anyway
              </TextButton>
            </div>
          ) : (
            missing.length > 0 && <div className="text-[11px] text-muted">Required: {missing.join(', ')}</div>
          )}
          {!completions && args.length > 0 && (
            <div className="text-[11px] text-faint">The server did not declare completions, so there are no suggestions.</div>
          )}
        </div>
        <div className="flex min-w-0 flex-col gap-2" data-testid="prompt-result">
          {get.isError && (
            <div className="flex gap-2 rounded border border-err/40 bg-err-soft px-3 py-2 text-xs" role="alert" data-testid="prompt-error">
              <IconAlert className="mt-0.5 h-3.5 w-3.5 shrink-0 text-err" />
              {describeFailure(get.error)}
            </div>
          )}
          {get.data ? (
            <>
              <div className="flex items-center gap-2 text-[11px] text-muted">
                <span className="font-semibold tracking-wide text-muted uppercase">Messages</span>
                <Badge>{messages.length}</Badge>
                <span>{formatMs(get.data.elapsed)}</span>
                <button
                  type="button"
                  aria-pressed={raw}
                  onClick={() => setRaw((value) => !value)}
                  className={cn('ml-auto rounded px-1.5 py-0.5 hover:bg-hover', raw && 'bg-panel text-fg shadow-sm')}
                >
                  Raw JSON
                </button>
              </div>
              {get.data.result.description && (
                <div className="text-[13px] text-muted" data-testid="prompt-description">
                  {get.data.result.description}
                </div>
              )}
              {raw ? (
                <div className="rounded border border-line bg-panel p-2.5">
                  <JsonCode value={get.data.result} />
                </div>
              ) : (
                messages.map((message, index) => (
                  <div key={index} className="flex gap-2" data-testid="prompt-message" data-role={message.role}>
                    <div className="w-16 shrink-0 pt-1.5 text-right">
                      <Badge tone={message.role === 'assistant' ? 'purple' : 'accent'}>{message.role}</Badge>
                    </div>
                    <div className="min-w-0 flex-1">
                      {message.content ? (
                        <ContentBlockView block={message.content} />
                      ) : (
                        <div className="text-xs text-faint">No content.</div>
                      )}
                    </div>
                  </div>
                ))
              )}
            </>
          ) : (
            !get.isError && (
              <div className="flex min-h-32 items-center justify-center rounded border border-dashed border-line p-6 text-center text-xs text-muted">
                Fill in the arguments and press Get prompt: the messages the server returns are rendered here.
              </div>
            )
          )}
        </div>
      </div>
    </div>
  );
}
