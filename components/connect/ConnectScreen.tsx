'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useEffectEvent, useMemo, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import type { CreateSessionRequest, SessionSummary, TransportChoice } from '@/lib/contract';
import { ApiError, createSession, queryKeys, rememberConnectError, rememberLiveConnect } from '../api';
import { destinationAfterConnect, followDestination } from '../auth';
import { FileDropZone } from '../import';
import { SavedServers, SaveServer } from '../servers';
import { ThemeToggle } from '../theme';
import { Button, cn, IconAlert, IconPlay, IconPlug, Kbd, PageHeader, Spinner, urlHost } from '../ui';
import { CommandConnect } from './CommandConnect';
import { ConnectError, shownConnectError } from './ConnectError';
import { HeadersEditor, headerNameProblem, type HeaderRow } from './HeadersEditor';
import { EMPTY_OAUTH_FORM, OAuthOptions, oauthAuthRequest, oauthFormProblem, type OAuthFormState } from './OAuthOptions';
import { forgetServer, loadRecent, maskedParamNames, rememberServer, type RecentServer } from './recent';
import { RecentServers } from './RecentServers';
import { SecretInput } from './SecretInput';
import { TimeoutFields, useTimeoutFields } from './TimeoutFields';
import { parseDeepLink } from './deep-link';
import { schemeSuggestion } from '@/lib/url-policy';
import type { SavedServerTarget } from '@/lib/servers';

interface ConnectInput {
  url: string;
  transport: TransportChoice;
  token: string;
  headers: HeaderRow[];
  connectTimeoutS: string;
  requestTimeoutS: string;
  oauth: OAuthFormState;
}

function toRequest(input: ConnectInput): CreateSessionRequest {
  const headers: Record<string, string> = {};
  for (const row of input.headers) if (row.name.trim()) headers[row.name.trim()] = row.value;
  const connectMs = Number(input.connectTimeoutS) * 1000;
  const requestMs = Number(input.requestTimeoutS) * 1000;
  const timeouts = {
    ...(connectMs > 0 ? { connectMs } : {}),
    ...(requestMs > 0 ? { requestMs } : {}),
  };
  return {
    url: input.url.trim(),
    transport: input.transport,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(input.oauth.enabled
      ? { auth: oauthAuthRequest(input.oauth) }
      : input.token.trim()
        ? { auth: { type: 'bearer' as const, token: input.token.trim() } }
        : {}),
    ...(Object.keys(timeouts).length > 0 ? { timeouts } : {}),
  };
}

/** The form's server as a saved server: the bearer token is a header like the others (OAuth settings are not saved). */
function toSavedTarget(input: ConnectInput): SavedServerTarget | string {
  if (!input.url.trim()) return 'Enter the server URL first.';
  const bad = input.headers.map((row) => headerNameProblem(row.name)).find(Boolean);
  if (bad) return bad;
  const headers: Record<string, string> = {};
  for (const row of input.headers) if (row.name.trim()) headers[row.name.trim()] = row.value;
  if (!input.oauth.enabled && input.token.trim()) headers.Authorization = `Bearer ${input.token.trim()}`;
  return {
    kind: 'url',
    url: input.url.trim(),
    ...(input.transport !== 'auto' ? { transport: input.transport } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
  };
}

function useElapsed(running: boolean): number {
  const [tick, setTick] = useState<{ started: number; now: number } | null>(null);
  useEffect(() => {
    if (!running) return;
    const started = performance.now();
    const timer = setInterval(() => setTick({ started, now: performance.now() }), 100);
    return () => {
      clearInterval(timer);
      setTick(null);
    };
  }, [running]);
  return tick ? tick.now - tick.started : 0;
}

const noSubscription = () => () => {};

/** `publicOrigin`: where people reach mcpscope (PUBLIC_URL); the OAuth redirect URI is built from it. */
export function ConnectScreen({ publicOrigin }: { publicOrigin?: string } = {}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const urlInput = useRef<HTMLInputElement>(null);
  /** What to connect to: a server's URL, or a command that starts a local stdio server. */
  const [kind, setKind] = useState<'url' | 'command'>('url');
  const [url, setUrl] = useState('');
  const [transport, setTransport] = useState<TransportChoice>('auto');
  const [token, setToken] = useState('');
  const [headers, setHeaders] = useState<HeaderRow[]>([]);
  const timeouts = useTimeoutFields();
  const { connectTimeoutS, requestTimeoutS } = timeouts;
  const [oauth, setOAuth] = useState<OAuthFormState>(EMPTY_OAUTH_FORM);
  // The server does not know the address the browser used; the browser fills it in once hydrated.
  const browserOrigin = useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => '',
  );
  const origin = publicOrigin || browserOrigin;
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  // The servers remembered in this browser (none while the server renders), until a connect or a forget changes them.
  const stored = useMemo(() => (hydrated ? loadRecent() : []), [hydrated]);
  const [changedRecent, setRecent] = useState<RecentServer[] | null>(null);
  const recent = changedRecent ?? stored;
  const [localError, setLocalError] = useState<string | null>(null);
  const [linkNotice, setLinkNotice] = useState<string | null>(null);
  /** What was last sent, so Retry sends the same (the form may have been edited since). */
  const [lastInput, setLastInput] = useState<ConnectInput | null>(null);

  const connect = useMutation<SessionSummary, ApiError, CreateSessionRequest>({
    // wait: false: the workspace opens as soon as the session exists and shows the handshake as it happens.
    mutationFn: (request) => createSession({ ...request, wait: false }),
    onSuccess: (summary, request) => {
      setRecent(rememberServer(request.url, request.transport ?? 'auto'));
      if (summary.state === 'connecting') {
        // The workspace starts from this summary instead of asking for it again.
        queryClient.setQueryData(queryKeys.session(summary.id), summary);
        rememberLiveConnect(summary.id);
        router.push(`/inspect/${encodeURIComponent(summary.id)}`);
        return;
      }
      // A server that wants authorization sends the browser on to sign in (or to the guided steps).
      followDestination(destinationAfterConnect(summary), (path) => router.push(path));
    },
    onError: (error, request) => {
      if (error.sessionId) {
        // The session's log recorded how it failed: the workspace shows it on a red timeline.
        rememberConnectError(error.sessionId, { code: error.code, message: error.message });
        setRecent(rememberServer(request.url, request.transport ?? 'auto'));
        router.push(`/inspect/${encodeURIComponent(error.sessionId)}`);
      }
    },
  });
  const redirecting = connect.isSuccess || (connect.isError && Boolean(connect.error.sessionId));
  const busy = connect.isPending || redirecting;
  const elapsed = useElapsed(connect.isPending);

  const submit = (input: ConnectInput) => {
    setLocalError(null);
    connect.reset();
    setLastInput(input);
    if (!input.url.trim()) {
      setLocalError('Enter the URL of an MCP server, e.g. https://example.com/mcp.');
      urlInput.current?.focus();
      return;
    }
    const badHeader = input.headers.map((row) => headerNameProblem(row.name)).find(Boolean);
    if (badHeader) {
      setLocalError(badHeader);
      return;
    }
    const badOAuth = oauthFormProblem(input.oauth);
    if (badOAuth) {
      setLocalError(badOAuth);
      return;
    }
    connect.mutate(toRequest(input));
  };

  // A deep link (components/connect/deep-link.ts) fills the form once, and connects when it asks and may. The
  // address bar is cleaned at once, so a reload or the history does not connect again.
  const deepLinkRead = useRef(false);
  const followDeepLink = useEffectEvent(() => {
    if (deepLinkRead.current) return;
    deepLinkRead.current = true;
    const link = parseDeepLink(window.location.search);
    if (!link) return;
    window.history.replaceState(window.history.state, '', window.location.pathname);
    setUrl(link.url);
    setTransport(link.transport);
    setLinkNotice(link.notice ?? null);
    if (link.connect) {
      submit({
        url: link.url,
        transport: link.transport,
        token: '',
        headers: [],
        connectTimeoutS: '',
        requestTimeoutS: '',
        oauth: EMPTY_OAUTH_FORM,
      });
    }
  });
  // Once, on the first render: the link is the page's address at load.
  useEffect(() => followDeepLink(), []);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    submit({ url, transport, token, headers, connectTimeoutS, requestTimeoutS, oauth });
  };

  const tryDemo = () => {
    const demoUrl = `${window.location.origin}/demo/mcp`;
    setUrl(demoUrl);
    setTransport('auto');
    submit({ url: demoUrl, transport: 'auto', token, headers, connectTimeoutS, requestTimeoutS, oauth: EMPTY_OAUTH_FORM });
  };

  const suggestion = connect.isError && connect.error.code === 'invalid_url' ? schemeSuggestion(lastInput?.url ?? url) : undefined;
  const applySuggestion = (suggested: string) => {
    setUrl(suggested);
    submit({ ...(lastInput ?? { url, transport, token, headers, connectTimeoutS, requestTimeoutS, oauth }), url: suggested });
  };
  const retry = () => {
    if (lastInput && !busy) submit(lastInput);
  };

  const error = shownConnectError(localError, connect.error);

  return (
    <div className="flex min-h-full flex-col">
      <PageHeader title="MCP inspector" atHome>
        <Link href="/tokens" className="text-xs text-muted hover:text-fg" data-testid="tokens-link">
          Tokens
        </Link>
        <ThemeToggle />
      </PageHeader>

      <main className="mx-auto w-full max-w-[600px] flex-1 px-4 py-10">
        <h1 className="text-lg font-semibold">Connect to an MCP server</h1>
        <p className="mt-1 mb-5 text-[13px] text-muted">
          mcpscope connects from its own server, records every HTTP exchange, SSE frame and JSON-RPC message, and lets you call tools from
          forms generated from their schemas.
        </p>

        {linkNotice && (
          <div
            role="status"
            data-testid="deep-link-notice"
            className="mb-3 flex gap-2 rounded border border-warn/40 bg-warn-soft px-3 py-2 text-[13px]"
          >
            <IconAlert className="mt-0.5 shrink-0 text-warn" />
            <span className="min-w-0 break-words">{linkNotice}</span>
          </div>
        )}
        <div role="radiogroup" aria-label="Kind of server" className="mb-2 inline-flex rounded border border-line bg-panel p-0.5 text-xs">
          {(
            [
              ['url', 'URL', 'A remote or local server over HTTP (Streamable HTTP or legacy SSE)'],
              ['command', 'Command', 'A local server that mcpscope starts and speaks to over stdio'],
            ] as const
          ).map(([value, label, title]) => (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={kind === value}
              title={title}
              data-testid={`connect-kind-${value}`}
              onClick={() => setKind(value)}
              className={cn(
                'rounded px-3 py-1 font-medium',
                kind === value ? 'bg-accent text-white shadow-sm dark:text-[#0b1220]' : 'text-muted hover:bg-hover hover:text-fg',
              )}
            >
              {label}
            </button>
          ))}
        </div>
        {kind === 'command' ? (
          <CommandConnect />
        ) : (
          <form onSubmit={onSubmit} className="rounded-md border border-line bg-panel p-4 shadow-sm" noValidate>
            <label htmlFor="connect-url" className="field-label">
              Server URL
            </label>
            <div className="flex gap-2">
              <input
                ref={urlInput}
                id="connect-url"
                data-testid="connect-url"
                className="input-mono h-8 flex-1 text-[13px]"
                type="url"
                inputMode="url"
                placeholder="https://example.com/mcp"
                autoFocus
                autoComplete="off"
                spellCheck={false}
                value={url}
                onChange={(event) => setUrl(event.target.value)}
              />
              <select
                aria-label="Transport"
                data-testid="connect-transport"
                className="input h-8 w-[170px] flex-none"
                value={transport}
                onChange={(event) => setTransport(event.target.value as TransportChoice)}
              >
                <option value="auto">Auto</option>
                <option value="streamable-http">Streamable HTTP</option>
                <option value="sse">SSE (legacy)</option>
              </select>
            </div>
            <p className="mt-1 text-[11px] text-faint">
              Auto tries Streamable HTTP (2026 and 2025 protocol versions) and falls back to the legacy HTTP+SSE transport.
            </p>

            {!oauth.enabled && (
              <div className="mt-4">
                <label htmlFor="connect-token" className="field-label">
                  Bearer token <span className="font-normal tracking-normal normal-case">(optional)</span>
                </label>
                <SecretInput
                  id="connect-token"
                  data-testid="connect-token"
                  placeholder="sent as Authorization: Bearer …"
                  value={token}
                  onChange={(event) => setToken(event.target.value)}
                />
              </div>
            )}

            <div className="mt-4">
              <OAuthOptions value={oauth} onChange={setOAuth} redirectUri={origin ? `${origin}/callback` : '/callback'} />
            </div>

            <div className="mt-4">
              <div className="field-label">
                Custom headers <span className="font-normal tracking-normal normal-case">(optional)</span>
              </div>
              <HeadersEditor rows={headers} onChange={setHeaders} />
            </div>

            <TimeoutFields {...timeouts} />

            {error && (
              <ConnectError
                title="Could not connect"
                error={error}
                // The button below says "Did you mean"; the sentence is not repeated above it.
                message={suggestion ? error.message.replace(/ ?Did you mean \S+ \?/, '') : error.message}
              >
                {!localError && (
                  <div className="mt-2 flex flex-wrap items-center gap-2">
                    {suggestion && (
                      <Button size="sm" variant="primary" onClick={() => applySuggestion(suggestion)} data-testid="connect-suggestion">
                        Did you mean <span className="font-mono">{suggestion}</span>?
                      </Button>
                    )}
                    {lastInput && error.code !== 'invalid_url' && (
                      <Button size="sm" onClick={retry} data-testid="connect-retry" title="Connect again with the same settings">
                        Retry
                      </Button>
                    )}
                  </div>
                )}
              </ConnectError>
            )}

            <div className="mt-4 flex flex-wrap items-center gap-2">
              {/* Disabled until hydrated: a click (or Enter) before that would submit the form natively as a GET to "/?",
                  losing what was typed (seen on a slow first start of the installed package). */}
              <Button type="submit" variant="primary" className="h-8 px-4" disabled={busy || !hydrated} data-testid="connect-submit">
                {busy ? (
                  <>
                    <Spinner className="h-3 w-3" /> Connecting…
                    {connect.isPending && elapsed > 1000 && (
                      <span className="font-mono text-[11px] opacity-80">{(elapsed / 1000).toFixed(1)}s</span>
                    )}
                  </>
                ) : (
                  <>
                    <IconPlug className="h-3.5 w-3.5" /> {oauth.enabled ? 'Connect with OAuth' : 'Connect'}
                  </>
                )}
              </Button>
              <span className="text-[11px] text-faint">
                <Kbd>Enter</Kbd> to connect
              </span>
              <SaveServer
                disabled={busy}
                target={() => toSavedTarget({ url, transport, token, headers, connectTimeoutS, requestTimeoutS, oauth })}
                suggestName={() => urlHost(url.trim()) || url.trim()}
              />
              <Button className="ml-auto h-8" onClick={tryDemo} disabled={busy} data-testid="demo-button">
                <IconPlay className="h-3.5 w-3.5 text-accent" /> Try the demo server
              </Button>
            </div>
          </form>
        )}

        <FileDropZone wholePage className="mt-4" />

        <SavedServers />

        <RecentServers
          servers={recent}
          onPick={(server) => {
            setUrl(server.url);
            setTransport(server.transport);
            const secrets = maskedParamNames(server.url);
            setLocalError(secrets.length > 0 ? `Type the value of ${secrets.join(', ')} again: mcpscope does not remember secrets.` : null);
            urlInput.current?.focus();
          }}
          onForget={(server) => setRecent(forgetServer(server.url, server.transport))}
        />
      </main>
    </div>
  );
}
