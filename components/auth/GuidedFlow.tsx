'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import type { GuidedState, GuidedStep, GuidedStepId, GuidedStepRequest, OAuthGrant, PlannedRequest, StepExchange } from '@/lib/contract';
import { queryKeys, type ApiError } from '../api';
import { ThemeToggle } from '../theme';
import {
  Badge,
  Button,
  cn,
  IconAlert,
  IconCheck,
  IconChevronDown,
  IconChevronRight,
  IconPlay,
  PageHeader,
  ServerLink,
  Spinner,
  type Tone,
  useDerivedState,
} from '../ui';
import { getGuided, runGuided } from './api';
import { JwtView, RequestJwts } from './JwtView';
import { RefusalDetails } from './RefusalScreen';

const STATUS: Record<GuidedStep['status'], { label: string; tone: Tone }> = {
  pending: { label: 'later', tone: 'neutral' },
  ready: { label: 'next', tone: 'accent' },
  waiting: { label: 'waiting for the browser', tone: 'warn' },
  done: { label: 'done', tone: 'ok' },
  failed: { label: 'failed', tone: 'err' },
};

const SCOPE_SOURCE: Record<string, string> = {
  user: 'as entered',
  challenge: "from the server's WWW-Authenticate challenge",
  scopes_supported: "from the server's scopes_supported",
  none: 'none: the authorization server decides',
};

interface SettingsDraft {
  grant: OAuthGrant;
  clientId: string;
  /** Empty: keep what the server has. */
  clientSecret: string;
  clientMetadataUrl: string;
  scopes: string;
}

function draftFrom(state: GuidedState): SettingsDraft {
  return {
    grant: state.settings.grant,
    clientId: state.settings.clientId ?? '',
    clientSecret: '',
    clientMetadataUrl: state.settings.clientMetadataUrl ?? '',
    scopes: state.settings.scopes.join(' '),
  };
}

/** Only what the person changed goes with the step. */
function changedSettings(draft: SettingsDraft, state: GuidedState): GuidedStepRequest['settings'] | undefined {
  const out: NonNullable<GuidedStepRequest['settings']> = {};
  if (draft.grant !== state.settings.grant) out.grant = draft.grant;
  if (draft.clientId.trim() !== (state.settings.clientId ?? '')) out.clientId = draft.clientId.trim() || null;
  if (draft.clientSecret.trim()) out.clientSecret = draft.clientSecret.trim();
  if (draft.clientMetadataUrl.trim() !== (state.settings.clientMetadataUrl ?? ''))
    out.clientMetadataUrl = draft.clientMetadataUrl.trim() || null;
  const scopes = draft.scopes.split(/\s+/).filter(Boolean);
  if (scopes.join(' ') !== state.settings.scopes.join(' ')) out.scopes = scopes;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The guided OAuth flow of one session: each step planned, run on request, and explained. */
export function GuidedFlow({ sessionId }: { sessionId: string }) {
  const queryClient = useQueryClient();
  const query = useQuery<GuidedState, ApiError>({
    queryKey: queryKeys.guided(sessionId),
    queryFn: () => getGuided(sessionId),
    retry: false,
  });
  const state = query.data;
  // Each answer from the server fills the settings in again.
  const [draft, setDraft] = useDerivedState<GuidedState | undefined, SettingsDraft | undefined>(state, (next, previous) =>
    next ? draftFrom(next) : previous,
  );

  const run = useMutation<GuidedState, ApiError, { step: GuidedStepId; tolerate?: string[] }>({
    mutationFn: ({ step, tolerate }) => {
      const changed = draft && state ? changedSettings(draft, state) : undefined;
      const settings = tolerate ? { ...changed, tolerate } : changed;
      return runGuided(sessionId, { step, ...(settings ? { settings } : {}) });
    },
    onSuccess: (next) => queryClient.setQueryData(queryKeys.guided(sessionId), next),
  });

  const workspace = `/inspect/${encodeURIComponent(sessionId)}`;
  return (
    <div className="flex min-h-full flex-col">
      <PageHeader title="Guided OAuth" detail={state?.serverUrl}>
        <Link href={workspace} className="text-xs text-muted hover:text-fg" data-testid="guided-workspace-link">
          Session timeline →
        </Link>
        <ThemeToggle />
      </PageHeader>

      {query.isPending && (
        <div className="flex items-center gap-2 p-6 text-sm text-muted">
          <Spinner className="h-4 w-4" /> Loading the flow…
        </div>
      )}
      {query.isError && (
        <div role="alert" className="m-6 rounded border border-err/40 bg-err-soft px-3 py-2 text-[13px]">
          {query.error.message} <span className="font-mono text-[11px] text-err">({query.error.code})</span>{' '}
          <Link href={workspace} className="text-accent underline">
            Back to the session
          </Link>
        </div>
      )}
      {state && draft && (
        <main className="mx-auto grid w-full max-w-[1180px] flex-1 grid-cols-[300px_1fr] gap-5 px-4 py-5">
          <SettingsPanel state={state} draft={draft} onChange={setDraft} />
          <section className="min-w-0">
            <h1 className="text-base font-semibold">One step at a time</h1>
            <p className="mt-0.5 mb-3 text-[13px] text-muted">
              Each step shows what it will send before it runs; run it, read the answer, then go on. Every request also lands on the session
              timeline.
            </p>
            {run.isError && (
              <div role="alert" data-testid="guided-error" className="mb-3 rounded border border-err/40 bg-err-soft px-3 py-2 text-[13px]">
                {run.error.message} <span className="font-mono text-[11px] text-err">({run.error.code})</span>
              </div>
            )}
            {state.finished && (
              <div
                className="mb-3 flex items-center gap-2 rounded border border-ok/40 bg-ok-soft px-3 py-2 text-[13px]"
                data-testid="guided-finished"
              >
                <IconCheck className="h-4 w-4 text-ok" />
                Connected with the access token.
                <Link href={workspace} className="ml-auto font-medium text-accent underline" data-testid="guided-open-workspace">
                  Open the workspace
                </Link>
              </div>
            )}
            <ol className="flex flex-col gap-2.5">
              {state.steps.map((step, index) => (
                <StepCard
                  key={step.id}
                  index={index + 1}
                  step={step}
                  state={state}
                  running={run.isPending && run.variables?.step === step.id}
                  busy={run.isPending}
                  onRun={() => run.mutate({ step: step.id })}
                  onTolerate={(check) =>
                    // The code of a refused authorization response is spent: going past iss_mismatch authorizes again.
                    run.mutate({ step: check === 'iss_mismatch' ? 'authorize' : step.id, tolerate: [check] })
                  }
                />
              ))}
            </ol>
          </section>
        </main>
      )}
    </div>
  );
}

function SettingField({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="mb-2.5 block">
      <span className="field-label">{label}</span>
      {children}
    </label>
  );
}

/** A one-line setting, not spell-checked; a secret is a password field the browser does not fill in. */
function TextSetting({
  label,
  value,
  onChange,
  placeholder,
  testId,
  secret = false,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  testId?: string;
  secret?: boolean;
  /** Said under the field. */
  children?: ReactNode;
}) {
  return (
    <SettingField label={label}>
      <input
        className="input-mono"
        type={secret ? 'password' : undefined}
        autoComplete={secret ? 'off' : undefined}
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
        spellCheck={secret ? undefined : false}
      />
      {children}
    </SettingField>
  );
}

function SettingsPanel({ state, draft, onChange }: { state: GuidedState; draft: SettingsDraft; onChange: (draft: SettingsDraft) => void }) {
  const set = (patch: Partial<SettingsDraft>) => onChange({ ...draft, ...patch });
  const textField = (key: Exclude<keyof SettingsDraft, 'grant'>) => ({
    value: draft[key],
    onChange: (text: string) => set({ [key]: text }),
  });
  const changed = changedSettings(draft, state);
  return (
    <aside className="h-fit rounded-md border border-line bg-panel p-3" data-testid="guided-settings">
      <h2 className="mb-2 text-[13px] font-semibold">Settings</h2>
      <p className="mb-3 text-[11px] text-faint">Changes go with the next step you run; steps that depend on them run again.</p>
      <SettingField label="Grant">
        <select
          className="input"
          value={draft.grant}
          onChange={(e) => set({ grant: e.target.value as OAuthGrant })}
          data-testid="guided-grant"
        >
          <option value="authorization_code">Authorization code + PKCE</option>
          <option value="client_credentials">Client credentials</option>
          {/* These need an assertion or an identity provider, given when connecting: shown, chosen only there. */}
          <option value="jwt_bearer" disabled={state.settings.grant !== 'jwt_bearer'}>
            jwt-bearer (workload identity)
          </option>
          <option value="id_jag" disabled={state.settings.grant !== 'id_jag'}>
            Enterprise-managed (ID-JAG)
          </option>
        </select>
      </SettingField>
      <TextSetting label="Scopes" {...textField('scopes')} testId="guided-scopes">
        {state.settings.scopeSource && (
          <span className="mt-0.5 block text-[11px] text-faint" data-testid="guided-scope-source">
            {SCOPE_SOURCE[state.settings.scopeSource] ?? state.settings.scopeSource}
          </span>
        )}
      </TextSetting>
      <TextSetting label="Client ID" placeholder="automatic (registration)" {...textField('clientId')} testId="guided-client-id" />
      <TextSetting
        label="Client secret"
        secret
        placeholder={state.settings.hasClientSecret ? '•••• (kept on the server)' : 'none'}
        {...textField('clientSecret')}
        testId="guided-client-secret"
      />
      <TextSetting label="Client metadata URL" placeholder="https://…" {...textField('clientMetadataUrl')} />
      {state.settings.clientAuthMethod && (
        <div className="mb-2.5 text-[11px] text-faint" data-testid="guided-client-auth">
          Client authentication <span className="block font-mono text-muted">{state.settings.clientAuthMethod}</span>
        </div>
      )}
      {state.settings.tolerated && state.settings.tolerated.length > 0 && (
        <div className="mb-2.5 rounded border border-warn/40 bg-warn-soft px-2 py-1 text-[11px]" data-testid="guided-tolerated">
          Going past, for this session: <span className="font-mono">{state.settings.tolerated.join(', ')}</span> (each time a finding)
        </div>
      )}
      <div className="border-t border-line pt-2 text-[11px] text-faint">
        Redirect URI <span className="block font-mono break-all text-muted">{state.redirectUri}</span>
      </div>
      {changed && (
        <div className="mt-2 text-[11px] text-accent" data-testid="guided-settings-changed">
          Changed: {Object.keys(changed).join(', ')}
        </div>
      )}
    </aside>
  );
}

function StepCard({
  index,
  step,
  state,
  running,
  busy,
  onRun,
  onTolerate,
}: {
  index: number;
  step: GuidedStep;
  state: GuidedState;
  running: boolean;
  busy: boolean;
  onRun: () => void;
  onTolerate: (check: string) => void;
}) {
  const status = STATUS[step.status];
  const isNext = state.next === step.id;
  const canRerun = step.status === 'done' && !state.finished && step.id !== 'connect';
  return (
    <li
      className={cn('rounded-md border bg-panel', isNext ? 'border-accent/60 shadow-sm' : 'border-line')}
      data-testid={`guided-step-${step.id}`}
      data-status={step.status}
    >
      <div className="flex items-center gap-2 px-3 py-2">
        <span
          className={cn(
            'inline-flex h-5 w-5 shrink-0 items-center justify-center rounded-full text-[11px] font-semibold',
            step.status === 'done' ? 'bg-ok-soft text-ok' : isNext ? 'bg-accent text-white dark:text-[#0b1220]' : 'bg-panel-2 text-muted',
          )}
        >
          {step.status === 'done' ? <IconCheck className="h-3 w-3" /> : index}
        </span>
        <span className="text-[13px] font-semibold">{step.title}</span>
        <Badge tone={status.tone}>{status.label}</Badge>
        {step.outcome && (
          <span className="min-w-0 truncate text-xs text-muted" data-testid="guided-outcome">
            {step.outcome}
          </span>
        )}
        <span className="ml-auto flex shrink-0 items-center gap-1.5">
          {canRerun && (
            <Button size="sm" variant="ghost" onClick={onRun} disabled={busy}>
              Run again
            </Button>
          )}
          {isNext && (
            <Button variant={step.refusal ? 'secondary' : 'primary'} onClick={onRun} disabled={busy} data-testid="guided-run">
              {running ? <Spinner className="h-3 w-3" /> : <IconPlay className="h-3 w-3" />}{' '}
              {step.status === 'failed' ? 'Try again' : runLabel(step.id)}
            </Button>
          )}
        </span>
      </div>
      {(isNext ||
        step.status === 'waiting' ||
        step.status === 'failed' ||
        (step.status === 'done' && (step.facts || step.exchanges?.length))) && (
        <div className="border-t border-line px-3 py-2 text-[13px]">
          {step.refusal && (
            <div
              className="mb-2 rounded border border-err/40 bg-err-soft px-2.5 py-2"
              role="alert"
              data-testid="auth-refusal"
              data-check={step.refusal.check}
            >
              <RefusalDetails refusal={step.refusal} pending={busy} onContinue={() => onTolerate(step.refusal!.check)} />
            </div>
          )}
          {step.error && !step.refusal && (
            <div
              className="mb-2 flex gap-2 rounded border border-err/40 bg-err-soft px-2.5 py-1.5"
              role="alert"
              data-testid="guided-step-error"
            >
              <IconAlert className="mt-0.5 h-4 w-4 shrink-0 text-err" />
              <div>
                <div>{step.error.message}</div>
                <div className="font-mono text-[11px] text-err">{step.error.code}</div>
              </div>
            </div>
          )}
          {(isNext || step.status === 'waiting') && step.explanation && <p className="mb-2 text-muted">{step.explanation}</p>}
          {isNext && step.planned && step.planned.length > 0 && (
            <div className="mb-1">
              <div className="field-label">Will send</div>
              <div className="flex flex-col gap-1.5" data-testid="guided-planned">
                {step.planned.map((request, i) => (
                  <Planned key={i} request={request} />
                ))}
              </div>
            </div>
          )}
          {step.id === 'authorize' && step.status === 'done' && state.authorizationUrl && !state.callbackReceived && (
            <div className="my-2 flex items-center gap-2 rounded border border-accent/40 bg-accent-soft px-2.5 py-2">
              <span className="text-xs">Your browser goes to the authorization server now; it sends you back here with a code.</span>
              <ServerLink
                href={state.authorizationUrl}
                what="The authorization URL"
                className="ml-auto inline-flex h-7 shrink-0 items-center rounded bg-accent px-3 text-[13px] font-medium text-white hover:brightness-110 dark:text-[#0b1220]"
                data-testid="guided-open-authorization"
              >
                Open the authorization URL
              </ServerLink>
            </div>
          )}
          {step.facts && step.facts.length > 0 && (
            <div className="mb-1">
              <div className="field-label">Learned</div>
              <table className="w-full text-xs" data-testid="guided-facts">
                <tbody>
                  {step.facts.map(([name, value]) => (
                    <tr key={name} className="align-top">
                      <td className="w-[190px] py-0.5 pr-2 text-muted">{name}</td>
                      <td className="py-0.5 font-mono break-all">{value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {step.jwts && step.jwts.length > 0 && (
            <div className="mb-1">
              <div className="field-label">JWTs, decoded</div>
              <div className="flex flex-col gap-1.5" data-testid="guided-jwts">
                {step.jwts.map((note, i) => (
                  <JwtView key={i} note={note} testId="guided-jwt" />
                ))}
              </div>
            </div>
          )}
          {step.exchanges && step.exchanges.length > 0 && <Exchanges exchanges={step.exchanges} />}
        </div>
      )}
    </li>
  );
}

function runLabel(id: GuidedStepId): string {
  switch (id) {
    case 'discovery':
      return 'Send discovery requests';
    case 'client':
      return 'Choose client';
    case 'authorize':
      return 'Build authorization URL';
    case 'token':
      return 'Send token request';
    case 'connect':
      return 'Connect';
  }
}

function Planned({ request }: { request: PlannedRequest }) {
  return (
    <div className="rounded border border-line bg-panel-2 px-2.5 py-1.5">
      <div className="flex gap-2 font-mono text-xs">
        <span className="font-semibold">{request.method}</span>
        <span className="break-all">{request.url}</span>
      </div>
      {request.note && <div className="mt-0.5 text-[11px] text-faint">{request.note}</div>}
      {request.headers && request.headers.length > 0 && <Pairs pairs={request.headers} />}
      {request.params && request.params.length > 0 && <Pairs pairs={request.params} />}
      {request.body && <pre className="mt-1 max-h-48 overflow-auto rounded bg-panel px-2 py-1 font-mono text-[11px]">{request.body}</pre>}
    </div>
  );
}

function Pairs({ pairs }: { pairs: Array<[string, string]> }) {
  return (
    <table className="mt-1 text-[11px]">
      <tbody>
        {pairs.map(([name, value], i) => (
          <tr key={`${name}-${i}`} className="align-top">
            <td className="pr-3 font-mono text-muted">{name}</td>
            <td className="font-mono break-all">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Exchanges({ exchanges }: { exchanges: StepExchange[] }) {
  return (
    <div>
      <div className="field-label">Exchanges</div>
      <div className="flex flex-col gap-1" data-testid="guided-exchanges">
        {exchanges.map((exchange, i) => (
          <ExchangeRow key={i} exchange={exchange} />
        ))}
      </div>
    </div>
  );
}

function ExchangeRow({ exchange }: { exchange: StepExchange }) {
  const [open, setOpen] = useState(false);
  const tone: Tone = exchange.error
    ? 'err'
    : exchange.status === undefined
      ? 'neutral'
      : exchange.status < 300
        ? 'ok'
        : exchange.status < 500
          ? 'warn'
          : 'err';
  return (
    <div className="rounded border border-line">
      <button
        type="button"
        className="flex w-full items-center gap-2 px-2 py-1 text-left font-mono text-xs hover:bg-hover"
        onClick={() => setOpen((v) => !v)}
      >
        {open ? <IconChevronDown className="h-3 w-3 shrink-0" /> : <IconChevronRight className="h-3 w-3 shrink-0" />}
        <Badge tone={tone} mono>
          {exchange.status ?? (exchange.error ? 'error' : '…')}
        </Badge>
        <span className="font-semibold">{exchange.method}</span>
        <span className="min-w-0 truncate">{exchange.url}</span>
      </button>
      {open && (
        <div className="border-t border-line px-2 py-1.5">
          {exchange.error && <Block title="Error">{exchange.error}</Block>}
          {exchange.jwtHeaders && <Pairs pairs={exchange.jwtHeaders} />}
          {exchange.requestBody && <Block title="Request body">{exchange.requestBody}</Block>}
          <RequestJwts headers={exchange.jwtHeaders} body={exchange.requestBody} />
          {exchange.responseBody && <Block title="Response body">{pretty(exchange.responseBody)}</Block>}
          {!exchange.requestBody && !exchange.responseBody && !exchange.error && <div className="text-[11px] text-faint">No body.</div>}
        </div>
      )}
    </div>
  );
}

function Block({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="mb-1">
      <div className="text-[11px] text-muted">{title}</div>
      <pre className="max-h-64 overflow-auto rounded bg-panel-2 px-2 py-1 font-mono text-[11px] whitespace-pre-wrap break-all">
        {children}
      </pre>
    </div>
  );
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
