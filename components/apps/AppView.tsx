'use client';

// One MCP App view (SEP-1865): the tool's `ui://` resource read through the session, rendered in the sandbox
// proxy on its own origin (lib/apps-sandbox), and driven by ext-apps' AppBridge: `ui/initialize` answered with the
// host context, tool input and result sent once the view says `initialized`, its tools/call and resources/read
// proxied through the session (tools not visible to apps refused), links opened only after the person agrees,
// messages and model context shown (there is no model), size changes applied, teardown before unmount. Every
// bridge message goes to the session log (BridgeRecorder).
import { AppBridge, type McpUiHostContext, buildAllowAttribute } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { Tool } from '@modelcontextprotocol/client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { APP_MIME_TYPE, appResourceMeta, visibleToApps } from '@/lib/apps';
import type { AppSandboxInfo } from '@/lib/contract';
import { checkServerUrl } from '@/lib/url-policy';
import { request, rpcResult, describeFailure, type CallToolResult, type ToolInfo } from '../api';
import { useTheme } from '../theme';
import { Badge, Button, JsonTree } from '../ui';
import { BridgeRecorder } from './recorder';
import { SandboxTransport } from './transport';

export type DisplayMode = 'inline' | 'fullscreen';

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
  tool: ToolInfo;
  resourceUri: string;
  /** The session's tools, to refuse a view's call to a tool not visible to apps. */
  tools: readonly ToolInfo[];
  toolArgs: Record<string, unknown>;
  result: CallToolResult;
  settings: HostContextSettings;
  /** The person closed the view (after teardown). */
  onClose?: () => void;
}

interface PendingLink {
  href: string;
  resolve: (ok: boolean) => void;
}

interface Shown {
  kind: 'message' | 'model-context';
  at: number;
  params: unknown;
}

export function AppView({ sessionId, tool, resourceUri, tools, toolArgs, result, settings, onClose }: AppViewProps) {
  const sandbox = useQuery<AppSandboxInfo>({
    queryKey: ['apps', 'sandbox'],
    queryFn: () => request<AppSandboxInfo>('/api/apps/sandbox'),
    staleTime: Infinity,
    retry: false,
  });
  const resource = useQuery<LoadedResource>({
    queryKey: ['apps', 'resource', sessionId, resourceUri, result],
    queryFn: () => readAppResource(sessionId, resourceUri),
    staleTime: Infinity,
    retry: false,
    gcTime: 0,
  });
  const [viewId] = useState(newViewId);
  const frame = useRef<HTMLIFrameElement>(null);
  const bridgeRef = useRef<AppBridge | null>(null);
  const [height, setHeight] = useState(INITIAL_HEIGHT);
  const [status, setStatus] = useState<'loading' | 'initialized' | 'closed'>('loading');
  const [link, setLink] = useState<PendingLink | null>(null);
  const [shown, setShown] = useState<Shown[]>([]);
  // The panel's display mode, unless the view (or the Fullscreen button) changed it since the panel last did.
  const [override, setOverride] = useState<{ from: DisplayMode; mode: DisplayMode } | null>(null);
  const displayMode = override && override.from === settings.displayMode ? override.mode : settings.displayMode;
  const panelMode = useRef(settings.displayMode);
  useEffect(() => {
    panelMode.current = settings.displayMode;
  }, [settings.displayMode]);
  const setDisplayMode = (mode: DisplayMode) => setOverride({ from: panelMode.current, mode });
  const { resolved } = useTheme();
  const theme = settings.theme === 'follow' ? resolved : settings.theme;
  const toolsRef = useRef(tools);
  useEffect(() => {
    toolsRef.current = tools;
  }, [tools]);

  const hostContext = useMemo<McpUiHostContext>(
    () => ({
      theme,
      locale: settings.locale,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      displayMode,
      availableDisplayModes: ['inline', 'fullscreen'],
      containerDimensions:
        settings.width > 0 ? { width: settings.width, maxHeight: MAX_HEIGHT } : { maxWidth: 4000, maxHeight: MAX_HEIGHT },
      platform: 'web',
      userAgent: 'mcpscope',
      // The server's own tool definition, as listed (a host passes it on unchanged).
      toolInfo: { tool: tool as unknown as Tool },
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
    let sentResult = false;
    bridge.addEventListener('sandboxready', () => {
      void bridge.sendSandboxResourceReady({ html: loaded.html, csp: loaded.meta.csp, permissions: loaded.meta.permissions });
    });
    bridge.addEventListener('initialized', () => {
      setStatus('initialized');
      if (sentResult) return;
      sentResult = true;
      void bridge
        .sendToolInput({ arguments: toolArgs })
        .then(() => bridge.sendToolResult(result as Parameters<AppBridge['sendToolResult']>[0]));
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
      const agreed = await new Promise<boolean>((resolve) => setLink({ href: verdict.href, resolve }));
      setLink(null);
      if (!agreed) return { isError: true };
      window.open(verdict.href, '_blank', 'noopener,noreferrer');
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
      const next: DisplayMode = mode === 'fullscreen' ? 'fullscreen' : 'inline';
      setDisplayMode(next);
      return { mode: next };
    };
    let cancelled = false;
    void bridge.connect(transport).then(() => {
      if (cancelled) return;
      const params = new URLSearchParams({ host: window.location.origin, csp: base64Url(JSON.stringify(loaded.rawCsp ?? {})) });
      iframe.src = `${sandboxOrigin}/proxy.html?${params.toString()}`;
    });
    return () => {
      cancelled = true;
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
  return (
    <section
      className={
        fullscreen
          ? 'fixed inset-4 z-40 flex flex-col overflow-hidden rounded-lg border border-line-strong bg-panel shadow-2xl'
          : 'rounded border border-line bg-panel'
      }
      data-testid="app-view"
      data-view-id={viewId}
      data-status={status}
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
        <span className="ml-auto flex items-center gap-1">
          <Button
            size="sm"
            variant="ghost"
            onClick={() => setDisplayMode(fullscreen ? 'inline' : 'fullscreen')}
            data-testid="app-fullscreen"
          >
            {fullscreen ? 'Exit fullscreen' : 'Fullscreen'}
          </Button>
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
      {link && (
        <div
          className="flex flex-wrap items-center gap-2 border-b border-line bg-warn-soft px-3 py-2 text-xs"
          role="alertdialog"
          data-testid="app-open-link"
        >
          <span>
            The view asks to open <span className="font-mono break-all">{link.href}</span>
          </span>
          <span className="ml-auto flex gap-1">
            <Button size="sm" variant="primary" onClick={() => link.resolve(true)} data-testid="app-open-link-allow">
              Open
            </Button>
            <Button size="sm" onClick={() => link.resolve(false)} data-testid="app-open-link-deny">
              Don’t open
            </Button>
          </span>
        </div>
      )}
      <div
        className={fullscreen ? 'min-h-0 flex-1 overflow-auto' : 'overflow-auto'}
        style={settings.width > 0 ? { width: settings.width } : undefined}
      >
        {!loaded && <div className="p-4 text-xs text-muted">Reading {resourceUri}…</div>}
        <iframe
          ref={frame}
          title={`App view: ${tool.name}`}
          data-testid="app-frame"
          sandbox="allow-scripts allow-same-origin allow-forms"
          allow={loaded ? buildAllowAttribute(loaded.meta.permissions) : undefined}
          referrerPolicy="no-referrer"
          className="block w-full border-0 bg-transparent"
          style={{ height: fullscreen ? '100%' : height, display: loaded ? 'block' : 'none' }}
        />
      </div>
      {shown.length > 0 && (
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
  );
}

function AppNotice({ text }: { text: string }) {
  return (
    <div className="rounded border border-err/40 bg-err-soft px-3 py-2 text-xs" role="alert" data-testid="app-error">
      {text}
    </div>
  );
}
