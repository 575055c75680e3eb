'use client';

import Form from '@rjsf/core';
import type { IChangeEvent } from '@rjsf/core';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { useMemo, useRef, useState } from 'react';
import { elicitationDefaults, prepareElicitationSchema, wordedFormValidator } from '@/lib/schema-form';
import type { PendingRequest } from '../api';
import { Badge, Button, IconAlert, JsonCode, cn, openServerUrlInNewTab, serverUrlVerdict, TextButton } from '../ui';
import { FORM_WIDGETS } from '../tools/form-widgets';
import { usePendingContext } from './PendingHost';
import { useAnswer } from './use-answer';

const ignoreErrors = () => undefined;

function stripUndefined(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined));
}

function Actions({
  onAccept,
  onDecline,
  onCancel,
  busy,
  acceptLabel = 'Accept',
  acceptTitle,
  acceptBlocked,
}: {
  onAccept: () => void;
  onDecline: () => void;
  onCancel: () => void;
  busy: boolean;
  acceptLabel?: string;
  acceptTitle?: string;
  /** Why accepting is not offered (shown as the button's title); declining and cancelling stay possible. */
  acceptBlocked?: string;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        variant="primary"
        onClick={onAccept}
        disabled={busy || acceptBlocked !== undefined}
        data-testid="elicit-accept"
        title={acceptBlocked ?? acceptTitle}
      >
        {acceptLabel}
      </Button>
      <Button onClick={onDecline} disabled={busy} data-testid="elicit-decline" title='Answers {"action": "decline"}: the person said no'>
        Decline
      </Button>
      <Button
        variant="ghost"
        onClick={onCancel}
        disabled={busy}
        data-testid="elicit-cancel"
        title='Answers {"action": "cancel"}: dismissed without a choice'
      >
        Cancel
      </Button>
    </div>
  );
}

/** `elicitation/create`: a form from `requestedSchema` (form mode), or a URL to open (URL mode). */
export function ElicitationCard({ entry }: { entry: PendingRequest }) {
  return entry.params.mode === 'url' ? <UrlElicitation entry={entry} /> : <FormElicitation entry={entry} />;
}

function FormElicitation({ entry }: { entry: PendingRequest }) {
  const answer = useAnswer(entry);
  const prepared = useMemo(() => prepareElicitationSchema(entry.params.requestedSchema), [entry.params.requestedSchema]);
  const [data, setData] = useState<unknown>(() => (prepared.ok ? elicitationDefaults(prepared.form.schema) : {}));
  const [invalid, setInvalid] = useState(false);
  const [showSchema, setShowSchema] = useState(false);
  const formRef = useRef<Form<unknown, RJSFSchema>>(null);
  const message = typeof entry.params.message === 'string' ? entry.params.message : '';

  const accept = (force: boolean) => {
    if (!force && formRef.current && !formRef.current.validateForm()) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    answer.send({ result: { action: 'accept', content: stripUndefined(formRef.current?.state.formData ?? data) } });
  };

  return (
    <div className="flex flex-col gap-3" data-testid="elicitation-form">
      {message && (
        <p className="text-[13px] whitespace-pre-line" data-testid="elicitation-message">
          {message}
        </p>
      )}
      {prepared.ok ? (
        <div
          className="rounded border border-line bg-panel-2/50 p-2.5"
          onKeyDown={(event) => {
            // Enter in a one-line field sends the answer (rjsf's own submit is not used: the buttons are below).
            const target = event.target as HTMLElement;
            if (event.key === 'Enter' && target.tagName === 'INPUT' && !event.nativeEvent.isComposing) {
              event.preventDefault();
              if (!answer.busy) accept(false);
            }
          }}
        >
          <Form<unknown, RJSFSchema>
            ref={formRef}
            schema={prepared.form.schema as RJSFSchema}
            uiSchema={prepared.form.uiSchema as UiSchema}
            validator={wordedFormValidator}
            widgets={FORM_WIDGETS}
            formData={data}
            onChange={(event: IChangeEvent<unknown, RJSFSchema>) => setData(event.formData)}
            idPrefix={`elicit-${entry.requestId}`}
            className="rjsf"
            showErrorList={false}
            noHtml5Validate
            liveValidate={invalid ? 'onChange' : undefined}
            onError={ignoreErrors}
            disabled={answer.busy}
          />
        </div>
      ) : (
        <div className="flex gap-2 rounded border border-warn/40 bg-warn-soft px-3 py-2 text-xs">
          <IconAlert className="mt-0.5 h-3.5 w-3.5 shrink-0 text-warn" />
          {prepared.reason} Accepting sends no content.
        </div>
      )}
      {invalid && (
        <div className="flex items-center gap-2 text-xs text-err" role="alert">
          Some fields do not match the requested schema.
          <TextButton onClick={() => accept(true)} data-testid="elicit-accept-anyway">
            Send anyway
          </TextButton>
        </div>
      )}
      <Actions
        onAccept={() => accept(false)}
        onDecline={() => answer.send({ result: { action: 'decline' } })}
        onCancel={() => answer.send({ result: { action: 'cancel' } })}
        busy={answer.busy}
      />
      {answer.error && (
        <div className="text-xs text-err" role="alert">
          {answer.error}
        </div>
      )}
      <button type="button" className="self-start text-[11px] text-muted hover:text-fg" onClick={() => setShowSchema((value) => !value)}>
        {showSchema ? 'Hide' : 'Show'} the requested schema
      </button>
      {showSchema && (
        <div className="max-h-64 overflow-auto rounded border border-line bg-panel p-2">
          <JsonCode value={entry.params.requestedSchema ?? null} />
        </div>
      )}
    </div>
  );
}

function UrlElicitation({ entry }: { entry: PendingRequest }) {
  const answer = useAnswer(entry);
  const context = usePendingContext();
  const url = typeof entry.params.url === 'string' ? entry.params.url : '';
  const message = typeof entry.params.message === 'string' ? entry.params.message : '';
  const elicitationId = typeof entry.params.elicitationId === 'string' ? entry.params.elicitationId : undefined;
  // A javascript:, data:, relative... URL is shown but never opened (lib/url-policy, again right before opening).
  const verdict = serverUrlVerdict(entry.params.url, 'The URL to open');

  const accept = (open: boolean) => {
    if (open && !openServerUrlInNewTab(entry.params.url, 'The URL to open').ok) return;
    answer.send({ result: { action: 'accept' } }, () => {
      if (elicitationId) context?.addUrlWait({ elicitationId, url, message, acceptedAt: Date.now() });
    });
  };

  return (
    <div className="flex flex-col gap-3" data-testid="elicitation-url">
      {message && <p className="text-[13px] whitespace-pre-line">{message}</p>}
      <div className="rounded border border-line bg-panel-2 px-3 py-2">
        <div className="flex items-center gap-2 text-xs">
          <span className="text-muted">Opens</span>
          <span className="font-semibold" data-testid="elicitation-host">
            {verdict.ok ? verdict.url.host : 'nothing: mcpscope will not open this URL'}
          </span>
          {verdict.ok && !verdict.secure && <Badge tone="warn">not https</Badge>}
        </div>
        {/* A refused URL must not look like a link: struck through, in the error colour. */}
        <div
          className={cn('mt-1 font-mono text-[11px] break-all', verdict.ok ? 'text-accent' : 'text-err line-through')}
          data-testid="elicitation-url-text"
        >
          {url}
        </div>
        {elicitationId && <div className="mt-1 font-mono text-[10px] text-faint">elicitationId {elicitationId}</div>}
      </div>
      {!verdict.ok && (
        <div
          className="flex gap-2 rounded border border-err/40 bg-err-soft px-3 py-2 text-xs"
          role="alert"
          data-testid="elicitation-url-refused"
          data-reason={verdict.reason}
        >
          <IconAlert className="mt-0.5 h-3.5 w-3.5 shrink-0 text-err" />
          <span>{verdict.message} Decline or cancel the request.</span>
        </div>
      )}
      <p className={cn('text-[11px] text-muted')}>
        Accepting tells the server you will complete the flow in the browser; it then sends notifications/elicitation/complete when it is
        done. Check the domain before opening.
      </p>
      <Actions
        onAccept={() => accept(true)}
        onDecline={() => answer.send({ result: { action: 'decline' } })}
        onCancel={() => answer.send({ result: { action: 'cancel' } })}
        busy={answer.busy}
        acceptLabel="Open URL and accept"
        acceptTitle='Opens the URL in a new tab and answers {"action": "accept"}'
        {...(verdict.ok ? {} : { acceptBlocked: verdict.message })}
      />
      <TextButton
        className="self-start text-[11px]"
        onClick={() => accept(false)}
        disabled={answer.busy}
        data-testid="elicit-accept-no-open"
      >
        Accept without opening
      </TextButton>
      {answer.error && (
        <div className="text-xs text-err" role="alert">
          {answer.error}
        </div>
      )}
    </div>
  );
}
