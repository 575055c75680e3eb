'use client';

// One MCP App view (SEP-1865): the tool's `ui://` resource read through the session, rendered in the sandbox
// proxy on its own origin (lib/apps-sandbox), and driven by ext-apps' AppBridge: `ui/initialize` answered with the
// host context, tool input and result sent once the view says `initialized`, its tools/call and resources/read
// proxied through the session (tools not visible to apps refused), links opened and files saved only after the
// person agrees, messages and model context shown (there is no model), size changes applied, display modes
// (inline, fullscreen, picture-in-picture), teardown before unmount. The tool's input (streamed first as
// tool-input-partial when asked), its result and a cancellation are held until the view says `initialized`.
// Every bridge message goes to the session log (BridgeRecorder).
import { AppBridge, type McpUiHostContext, buildAllowAttribute } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { Tool } from '@modelcontextprotocol/client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { APP_MIME_TYPE, appResourceMeta, partialInputSteps, planDownload, visibleToApps, type DownloadItem } from '@/lib/apps';
import type { AppSandboxInfo } from '@/lib/contract';
import { checkServerUrl } from '@/lib/url-policy';
import { DOWNLOAD_MIME_TYPE } from '@/lib/preview';
import { queryKeys, request, rpcResult, describeFailure, type CallToolResult, type ToolInfo } from '../api';
import { useTheme } from '../theme';
import { Badge, Button, JsonTree } from '../ui';
import { BridgeRecorder } from './recorder';
import { SandboxTransport } from './transport';

export type DisplayMode = 'inline' | 'fullscreen' | 'pip';

/** Every display mode of the spec; mcpscope offers them all (a view says which it supports). */
export const DISPLAY_MODES: readonly DisplayMode[] = ['inline', 'fullscreen', 'pip'];

export function isDisplayMode(value: unknown): value is DisplayMode {
  return typeof value === 'string' && (DISPLAY_MODES as readonly string[]).includes(value);
}

export interface HostContextSettings {
  /** `follow`: mcpscope's own theme. */
  theme: 'follow' | 'light' | 'dark';
  locale: string;
  displayMode: DisplayMode;
  /** The container's width in pixels; 0 = the pane's width. */
  width: number;
}

interface ReadContent {
  uri?: string;
  mimeType?: string;
  text?: string;
  blob?: string;
  _meta?: unknown;
}

interface LoadedResource {
  html: string;
  mimeType: string;
  meta: ReturnType<typeof appResourceMeta>;
  rawCsp: unknown;
}

const MAX_HEIGHT = 4000;
const INITIAL_HEIGHT = 320;
const PIP_WIDTH = 360;
const PIP_HEIGHT = 240;
/** Between two partial input steps: slow enough for a person to watch the view react. */
const PARTIAL_STEP_MS = 120;
/** Questions to the person (open a link, save files) a view may have waiting at once. */
const MAX_PENDING_ASKS = 3;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function newViewId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return `v${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function base64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeBase64Text(blob: string): string {
  const binary = atob(blob);
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

async function readAppResource(sessionId: string, uri: string): Promise<LoadedResource> {
  const result = await rpcResult<{ contents?: ReadContent[] }>(sessionId, 'resources/read', { uri });
  const contents = Array.isArray(result?.contents) ? result.contents : [];
  const content = contents.find((c) => c && c.uri === uri) ?? contents[0];
  if (!content) throw new Error(`${uri} came back with no contents.`);
  const html =
    typeof content.text === 'string' ? content.text : typeof content.blob === 'string' ? decodeBase64Text(content.blob) : undefined;
  if (html === undefined) throw new Error(`${uri} has neither text nor blob content.`);
  const meta = content._meta;
  const ui = meta && typeof meta === 'object' ? (meta as { ui?: { csp?: unknown } }).ui : undefined;
  return { html, mimeType: String(content.mimeType ?? ''), meta: appResourceMeta(meta), rawCsp: ui?.csp };
}

export interface AppViewProps {
  sessionId: string;
  /** The tool the view renders for (its definition goes to the view as `toolInfo`); none when opened bare. */
  tool?: ToolInfo;
  resourceUri: string;
  /** The session's tools, to refuse a view's call to a tool not visible to apps. */
  tools: readonly ToolInfo[];
  /** The tool's input, sent once the view is initialized (undefined: none yet). */
  toolArgs?: Record<string, unknown>;
  /** Stream the input first as tool-input-partial steps, the way a host does while a model writes it. */
  streamInput?: boolean;
  /** The tool's result, sent after the input (undefined: not yet; it is sent when it arrives). */
  result?: CallToolResult;
  /** The tool call was cancelled: sent as tool-cancelled (once) instead of a result. */
  cancelled?: { reason?: string };
  settings: HostContextSettings;
  /**
   * The view (or its Fullscreen / Picture-in-picture buttons) changed the display mode: the owner of `settings`
   * takes it, so the host-context controls show the mode the view is really in. Without it the change is local.
   */
  onDisplayModeChange?: (mode: DisplayMode) => void;
  /** The person closed the view (after teardown). */
  onClose?: () => void;
}

/** Something the view asked that the person must allow first. */
type Ask =
  | { kind: 'link'; href: string; resolve: (ok: boolean) => void }
  | { kind: 'download'; items: DownloadItem[]; resolve: (ok: boolean) => void };

function saveFile(item: Extract<DownloadItem, { kind: 'file' }>): void {
  const data =
    item.text !== undefined ? new TextEncoder().encode(item.text) : Uint8Array.from(atob(item.blob ?? ''), (c) => c.charCodeAt(0));
  // Always octet-stream: a blob URL has mcpscope's origin, and a view's HTML must never render there.
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type: DOWNLOAD_MIME_TYPE }));
  const link = document.createElement('a');
  link.href = url;
  link.download = item.filename;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

interface Shown {
  kind: 'message' | 'model-context';
  at: number;
  params: unknown;
}

export function AppView({
  sessionId,
  tool,
  resourceUri,
  tools,
  toolArgs,
  streamInput = false,
  result,
  cancelled,
  settings,
  onDisplayModeChange,
  onClose,
}: AppViewProps) {
  const [viewId] = useState(newViewId);
  const sandbox = useQuery<AppSandboxInfo>({
    queryKey: queryKeys.appsSandbox(),
    queryFn: () => request<AppSandboxInfo>('/api/apps/sandbox'),
    staleTime: Infinity,
    retry: false,
  });
  const resource = useQuery<LoadedResource>({
    // One read per view: a view opened again reads its resource again (recorded like any read).
    queryKey: queryKeys.appResource(sessionId, resourceUri, viewId),
    queryFn: () => readAppResource(sessionId, resourceUri),
    staleTime: Infinity,
    retry: false,
    gcTime: 0,
  });
  const frame = useRef<HTMLIFrameElement>(null);
  const bridgeRef = useRef<AppBridge | null>(null);
  const [height, setHeight] = useState(INITIAL_HEIGHT);
  const [status, setStatus] = useState<'loading' | 'initialized' | 'closed'>('loading');
  const [asks, setAsks] = useState<Ask[]>([]);
  const asksRef = useRef(0);
  const [declaredModes, setDeclaredModes] = useState<DisplayMode[] | undefined>(undefined);
  const [shown, setShown] = useState<Shown[]>([]);
  // The panel's display mode, unless the view (or the Fullscreen button) changed it since the panel last did.
  const [override, setOverride] = useState<{ from: DisplayMode; mode: DisplayMode } | null>(null);
  const displayMode = override && override.from === settings.displayMode ? override.mode : settings.displayMode;
  const panelMode = useRef(settings.displayMode);
  useEffect(() => {
    panelMode.current = settings.displayMode;
  }, [settings.displayMode]);
  const setDisplayMode = (mode: DisplayMode) =>
    onDisplayModeChange ? onDisplayModeChange(mode) : setOverride({ from: panelMode.current, mode });
  const { resolved } = useTheme();
  const theme = settings.theme === 'follow' ? resolved : settings.theme;
  const toolsRef = useRef(tools);
  useEffect(() => {
    toolsRef.current = tools;
  }, [tools]);
  const displayModeRef = useRef(displayMode);
  useEffect(() => {
    displayModeRef.current = displayMode;
  }, [displayMode]);
  // What the view is to be told about the tool call, read when it is ready (or when a result or cancel arrives).
  const callRef = useRef({ toolArgs, streamInput, result, cancelled });
  const deliverRef = useRef<(() => void) | null>(null);
  useEffect(() => {
    callRef.current = { toolArgs, streamInput, result, cancelled };
    deliverRef.current?.();
  }, [toolArgs, streamInput, result, cancelled]);
  /** Asks the person; a view that piles up questions gets the later ones refused, not queued forever. */
  const askPerson = (make: (resolve: (ok: boolean) => void) => Ask): Promise<boolean> => {
    if (asksRef.current >= MAX_PENDING_ASKS) return Promise.resolve(false);
    asksRef.current += 1;
    return new Promise<boolean>((resolve) => {
      const item = make((ok) => {
        asksRef.current -= 1;
        setAsks((list) => list.filter((a) => a !== item));
        resolve(ok);
      });
      setAsks((list) => [...list, item]);
    });
  };

  const hostContext = useMemo<McpUiHostContext>(
    () => ({
      theme,
      locale: settings.locale,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      displayMode,
      availableDisplayModes: [...DISPLAY_MODES],
      containerDimensions:
        displayMode === 'pip'
          ? { width: PIP_WIDTH, height: PIP_HEIGHT }
          : settings.width > 0
            ? { width: settings.width, maxHeight: MAX_HEIGHT }
            : { maxWidth: 4000, maxHeight: MAX_HEIGHT },
      platform: 'web',
      userAgent: 'mcpscope',
      // The server's own tool definition, as listed (a host passes it on unchanged).
      ...(tool ? { toolInfo: { tool: tool as unknown as Tool } } : {}),
    }),
    [theme, settings.locale, settings.width, displayMode, tool],
  );
  const contextRef = useRef(hostContext);
  useEffect(() => {
    contextRef.current = hostContext;
  }, [hostContext]);

  const port = sandbox.data?.port;
  const loaded = resource.data;
  const sandboxOrigin = port ? `http://${viewId}.localhost:${port}` : undefined;

  useEffect(() => {
    const iframe = frame.current;
    if (!iframe || !loaded || !sandboxOrigin || !iframe.contentWindow) return;
    const recorder = new BridgeRecorder(sessionId, viewId, resourceUri);
    if (loaded.mimeType.toLowerCase().replace(/\s+/g, '') !== APP_MIME_TYPE)
      recorder.note({ code: 'app_resource_mime_type', mimeType: loaded.mimeType });
    const transport = new SandboxTransport(iframe.contentWindow, sandboxOrigin, {
      message: (direction, message) => recorder.message(direction, message),
      sideChannel: (method, params) => {
        const p = (params ?? {}) as { directive?: unknown; blockedUri?: unknown; data?: unknown };
        if (method === 'mcpscope/csp-violation') {
          recorder.note({
            code: 'app_csp_violation',
            directive: String(p.directive ?? '').slice(0, 64),
            blockedUri: String(p.blockedUri ?? '').slice(0, 512),
          });
        } else if (method === 'mcpscope/not-jsonrpc') {
          recorder.message('in', p.data);
        }
      },
    });
    const bridge = new AppBridge(
      null,
      { name: 'mcpscope', version: '1' },
      {
        openLinks: {},
        downloadFile: {},
        serverTools: {},
        serverResources: {},
        logging: {},
        message: { text: {}, image: {}, resource: {}, resourceLink: {}, structuredContent: {} },
        updateModelContext: { text: {}, image: {}, resource: {}, resourceLink: {}, structuredContent: {} },
        sandbox: { csp: loaded.meta.csp, permissions: loaded.meta.permissions },
      },
      { hostContext: contextRef.current },
    );
    bridgeRef.current = bridge;
    let ready = false;
    let gone = false;
    const sent = { input: false, end: false };
    let chain: Promise<unknown> = Promise.resolve();
    const queue = (step: () => Promise<unknown>) => {
      chain = chain.then(() => (gone ? undefined : step())).catch(() => undefined);
    };
    // Input (streamed first when asked), then the result or the cancellation: in that order, once each, and
    // nothing before the view said `initialized` (the spec holds host notifications until then).
    const deliver = () => {
      if (!ready || gone) return;
      const call = callRef.current;
      if (!sent.input && call.toolArgs !== undefined) {
        sent.input = true;
        const args = call.toolArgs;
        if (call.streamInput) {
          for (const step of partialInputSteps(args)) {
            queue(() => bridge.sendToolInputPartial({ arguments: step }));
            queue(() => sleep(PARTIAL_STEP_MS));
          }
        }
        queue(() => bridge.sendToolInput({ arguments: args }));
      }
      if (sent.end) return;
      if (call.result !== undefined) {
        sent.end = true;
        const done = call.result;
        queue(() => bridge.sendToolResult(done as Parameters<AppBridge['sendToolResult']>[0]));
      } else if (call.cancelled) {
        sent.end = true;
        const reason = call.cancelled.reason;
        queue(() => bridge.sendToolCancelled(reason ? { reason: reason.slice(0, 500) } : {}));
      }
    };
    deliverRef.current = deliver;
    bridge.addEventListener('sandboxready', () => {
      void bridge.sendSandboxResourceReady({ html: loaded.html, csp: loaded.meta.csp, permissions: loaded.meta.permissions });
    });
    bridge.addEventListener('initialized', () => {
      setStatus('initialized');
      const modes = bridge.getAppCapabilities()?.availableDisplayModes;
      setDeclaredModes(Array.isArray(modes) ? modes.filter(isDisplayMode) : undefined);
      ready = true;
      deliver();
    });
    bridge.addEventListener('sizechange', ({ height: h }) => {
      if (typeof h === 'number' && Number.isFinite(h)) setHeight(Math.max(40, Math.min(MAX_HEIGHT, Math.ceil(h))));
    });
    bridge.addEventListener('requestteardown', () => {
      void bridge.teardownResource({}).finally(() => {
        setStatus('closed');
        onClose?.();
      });
    });
    bridge.oncalltool = async (params) => {
      const target = toolsRef.current.find((t) => t.name === params.name);
      if (!target || !visibleToApps(target)) {
        recorder.note({ code: 'app_tool_not_visible', tool: String(params.name).slice(0, 256) });
        throw new Error(`The tool ${JSON.stringify(params.name)} is not visible to apps.`);
      }
      return rpcResult(sessionId, 'tools/call', params as unknown as Record<string, unknown>);
    };
    bridge.onreadresource = async (params) => rpcResult(sessionId, 'resources/read', params as unknown as Record<string, unknown>);
    bridge.onlistresources = async (params) => rpcResult(sessionId, 'resources/list', (params ?? {}) as Record<string, unknown>);
    bridge.onlistresourcetemplates = async (params) =>
      rpcResult(sessionId, 'resources/templates/list', (params ?? {}) as Record<string, unknown>);
    bridge.onopenlink = async ({ url }) => {
      const verdict = checkServerUrl(url, { what: 'The link the view asked to open' });
      if (!verdict.ok) return { isError: true };
      const agreed = await askPerson((resolve) => ({ kind: 'link', href: verdict.href, resolve }));
      if (!agreed || gone) return { isError: true };
      window.open(verdict.href, '_blank', 'noopener,noreferrer');
      return {};
    };
    bridge.ondownloadfile = async (params) => {
      const items = planDownload(params);
      // Nothing the person could allow (every item refused): no question, an error to the view.
      if (!items.some((item) => item.kind !== 'refused')) return { isError: true };
      const agreed = await askPerson((resolve) => ({ kind: 'download', items, resolve }));
      if (!agreed || gone) return { isError: true };
      for (const item of items) {
        if (item.kind === 'file') saveFile(item);
        else if (item.kind === 'link') window.open(item.href, '_blank', 'noopener,noreferrer');
      }
      return {};
    };
    bridge.onmessage = async (params) => {
      setShown((list) => [...list.slice(-19), { kind: 'message', at: Date.now(), params }]);
      return {};
    };
    bridge.onupdatemodelcontext = async (params) => {
      setShown((list) => [...list.filter((s) => s.kind !== 'model-context'), { kind: 'model-context', at: Date.now(), params }]);
      return {};
    };
    bridge.onrequestdisplaymode = async ({ mode }) => {
      // A mode the host does not have: the current one stays (the spec's answer is the mode now in effect).
      if (!isDisplayMode(mode)) return { mode: displayModeRef.current };
      setDisplayMode(mode);
      return { mode };
    };
    void bridge.connect(transport).then(() => {
      if (gone) return;
      const params = new URLSearchParams({ host: window.location.origin, csp: base64Url(JSON.stringify(loaded.rawCsp ?? {})) });
      iframe.src = `${sandboxOrigin}/proxy.html?${params.toString()}`;
    });
    return () => {
      gone = true;
      deliverRef.current = null;
      // Teardown before the frame goes: the view gets its last word (best effort: the frame is removed next).
      void bridge
        .teardownResource({}, { timeout: 500 })
        .catch(() => undefined)
        .finally(() => {
          void bridge.close();
          void recorder.flush();
        });
      bridgeRef.current = null;
    };
    // The bridge lives as long as the view: a new result or resource makes a new view (the parent keys it).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded, sandboxOrigin]);

  useEffect(() => {
    bridgeRef.current?.setHostContext(hostContext);
  }, [hostContext]);

  if (sandbox.isError) {
    return <AppNotice text={`The view cannot be shown: ${describeFailure(sandbox.error)}`} />;
  }
  if (resource.isError) {
    return <AppNotice text={`Reading ${resourceUri} failed: ${describeFailure(resource.error)}`} />;
  }
  const fullscreen = displayMode === 'fullscreen';
  const pip = displayMode === 'pip';
  const undeclared = (mode: DisplayMode) => declaredModes !== undefined && declaredModes.length > 0 && !declaredModes.includes(mode);
  const modeButton = (mode: DisplayMode, label: string, testId: string) => (
    <Button
      size="sm"
      variant="ghost"
      onClick={() => setDisplayMode(displayMode === mode ? 'inline' : mode)}
      data-testid={testId}
      aria-pressed={displayMode === mode}
      title={undeclared(mode) ? `The view does not list ${mode} among its display modes` : undefined}
    >
      {displayMode === mode ? 'Inline' : label}
      {undeclared(mode) && displayMode !== mode && <span className="ml-1 text-faint">(not declared)</span>}
    </Button>
  );
  const ask = asks[0];
  return (
    <>
      {pip && (
        <div
          className="flex items-center gap-2 rounded border border-dashed border-line px-3 py-2 text-xs text-muted"
          data-testid="app-pip-placeholder"
        >
          The view of <span className="font-mono">{resourceUri}</span> is in picture-in-picture, at the bottom right.
          <Button size="sm" variant="ghost" onClick={() => setDisplayMode('inline')}>
            Back inline
          </Button>
        </div>
      )}
      <section
        className={
          fullscreen
            ? 'fixed inset-4 z-40 flex flex-col overflow-hidden rounded-lg border border-line-strong bg-panel shadow-2xl'
            : pip
              ? 'fixed right-4 bottom-4 z-40 flex flex-col overflow-hidden rounded-lg border border-line-strong bg-panel shadow-2xl'
              : 'rounded border border-line bg-panel'
        }
        style={pip ? { width: PIP_WIDTH + 2 } : undefined}
        data-testid="app-view"
        data-view-id={viewId}
        data-status={status}
        data-display-mode={displayMode}
        aria-label={`App view ${resourceUri}`}
      >
        <header className="flex flex-wrap items-center gap-2 border-b border-line px-3 py-1.5 text-xs">
          <Badge tone="purple">app</Badge>
          <span className="min-w-0 truncate font-mono text-muted" title={resourceUri}>
            {resourceUri}
          </span>
          <span className="text-muted" data-testid="app-status">
            {status === 'initialized' ? 'initialized' : status === 'closed' ? 'closed' : 'loading…'}
          </span>
          {declaredModes && declaredModes.length > 0 && !pip && (
            <span className="text-faint" data-testid="app-declared-modes" title="appCapabilities.availableDisplayModes">
              modes: {declaredModes.join(', ')}
            </span>
          )}
          <span className="ml-auto flex items-center gap-1">
            {!pip && modeButton('fullscreen', 'Fullscreen', 'app-fullscreen')}
            {!fullscreen && modeButton('pip', 'Picture-in-picture', 'app-pip')}
            {onClose && (
              <Button
                size="sm"
                variant="ghost"
                data-testid="app-close"
                onClick={() => {
                  const bridge = bridgeRef.current;
                  if (!bridge) return onClose();
                  void bridge
                    .teardownResource({}, { timeout: 2000 })
                    .catch(() => undefined)
                    .finally(onClose);
                }}
              >
                Close
              </Button>
            )}
          </span>
        </header>
        {ask?.kind === 'link' && (
          <AskBar testId="app-open-link" allow="Open" deny="Don’t open" resolve={ask.resolve}>
            The view asks to open <span className="font-mono break-all">{ask.href}</span> in a new tab.
          </AskBar>
        )}
        {ask?.kind === 'download' && (
          <AskBar testId="app-download" allow="Save" deny="Don’t save" resolve={ask.resolve}>
            <span>The view asks to save:</span>
            <ul className="mt-1 space-y-0.5" data-testid="app-download-items">
              {ask.items.map((item, index) => (
                <li key={index} data-kind={item.kind}>
                  {item.kind === 'file' && (
                    <>
                      <span className="font-mono">{item.filename}</span>{' '}
                      <span className="text-muted">
                        ({item.bytes.toLocaleString('en-US')} bytes, said to be {item.mimeType}; saved as a file, not opened)
                      </span>
                    </>
                  )}
                  {item.kind === 'link' && (
                    <>
                      <span className="font-mono break-all">{item.href}</span> <span className="text-muted">(opened in a new tab)</span>
                    </>
                  )}
                  {item.kind === 'refused' && (
                    <span className="text-err">
                      <span className="font-mono break-all">{item.name}</span>: refused, {item.reason}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </AskBar>
        )}
        <div
          className={fullscreen ? 'min-h-0 flex-1 overflow-auto' : 'overflow-auto'}
          style={settings.width > 0 && !pip ? { width: settings.width } : undefined}
        >
          {!loaded && <div className="p-4 text-xs text-muted">Reading {resourceUri}…</div>}
          <iframe
            ref={frame}
            title={`App view: ${tool?.name ?? resourceUri}`}
            data-testid="app-frame"
            sandbox="allow-scripts allow-same-origin allow-forms"
            allow={loaded ? buildAllowAttribute(loaded.meta.permissions) : undefined}
            referrerPolicy="no-referrer"
            className="block w-full border-0 bg-transparent"
            style={{ height: fullscreen ? '100%' : pip ? PIP_HEIGHT : height, display: loaded ? 'block' : 'none' }}
          />
        </div>
        {shown.length > 0 && !pip && (
          <div className="border-t border-line px-3 py-2 text-xs" data-testid="app-shown">
            <div className="field-label">What the view sent for the model (no model here: shown, not sent)</div>
            {shown.map((s) => (
              <div key={`${s.kind}-${s.at}`} className="mt-1" data-testid={`app-shown-${s.kind}`}>
                <span className="font-semibold">{s.kind === 'message' ? 'ui/message' : 'ui/update-model-context'}</span>
                <JsonTree data={s.params} expandDepth={3} />
              </div>
            ))}
          </div>
        )}
      </section>
    </>
  );
}

/** A question to the person about what the view asked; nothing happens until they answer. */
function AskBar({
  testId,
  allow,
  deny,
  resolve,
  children,
}: {
  testId: string;
  allow: string;
  deny: string;
  resolve: (ok: boolean) => void;
  children: ReactNode;
}) {
  return (
    <div
      className="flex flex-wrap items-start gap-2 border-b border-line bg-warn-soft px-3 py-2 text-xs"
      role="alertdialog"
      data-testid={testId}
    >
      <div className="min-w-0 flex-1">{children}</div>
      <span className="flex gap-1">
        <Button size="sm" variant="primary" onClick={() => resolve(true)} data-testid={`${testId}-allow`}>
          {allow}
        </Button>
        <Button size="sm" onClick={() => resolve(false)} data-testid={`${testId}-deny`}>
          {deny}
        </Button>
      </span>
    </div>
  );
}

function AppNotice({ text }: { text: string }) {
  return (
    <div className="rounded border border-err/40 bg-err-soft px-3 py-2 text-xs" role="alert" data-testid="app-error">
      {text}
    </div>
  );
}
