'use client';

// The app view beside a tool's result, with the host context a person can change to see how the view reacts
// (theme, locale, display mode, container width): each change reaches the view as
// ui/notifications/host-context-changed.
import { useState } from 'react';
import { appResourceUri } from '@/lib/apps';
import { useTools, type CallToolResult, type ToolInfo } from '../api';
import { Badge } from '../ui';
import { AppView, DISPLAY_MODES, isDisplayMode, type HostContextSettings } from './AppView';

const WIDTHS = [0, 320, 480, 768];

export function AppBadge({ tool, compact = false }: { tool: ToolInfo; compact?: boolean }) {
  const uri = appResourceUri(tool);
  if (!uri) return null;
  return (
    <Badge tone="purple" title={`MCP App: renders ${uri}`} className={compact ? 'h-4 px-1 text-[10px]' : undefined} data-testid="tool-app">
      app
    </Badge>
  );
}

function defaultLocale(): string {
  return typeof navigator !== 'undefined' && navigator.language ? navigator.language : 'en-US';
}

export function AppPanel({
  sessionId,
  callId,
  tool,
  toolArgs,
  result,
}: {
  sessionId: string;
  /** One view per call: a new call renders a new view. */
  callId: string;
  tool: ToolInfo;
  toolArgs: Record<string, unknown>;
  result: CallToolResult;
}) {
  const tools = useTools(sessionId, true).data ?? [];
  const resourceUri = appResourceUri(tool);
  const [settings, setSettings] = useState<HostContextSettings>(defaultHostContext);
  const [closedFor, setClosedFor] = useState<CallToolResult | null>(null);
  if (!resourceUri) return null;
  if (closedFor === result) {
    return (
      <div className="text-xs text-muted" data-testid="app-closed">
        The app view was closed.{' '}
        <button type="button" className="text-accent hover:underline" onClick={() => setClosedFor(null)}>
          Show it again
        </button>
      </div>
    );
  }
  return (
    <div className="space-y-2" data-testid="app-panel">
      <HostContextControls settings={settings} onChange={setSettings} />
      <AppView
        key={callId}
        sessionId={sessionId}
        tool={tool}
        resourceUri={resourceUri}
        tools={tools}
        toolArgs={toolArgs}
        result={result}
        settings={settings}
        onDisplayModeChange={(displayMode) => setSettings((s) => ({ ...s, displayMode }))}
        onClose={() => setClosedFor(result)}
      />
    </div>
  );
}

/** The host context a person can change to see how a view reacts; each change reaches the view. */
export function HostContextControls({
  settings,
  onChange,
}: {
  settings: HostContextSettings;
  onChange: (update: (settings: HostContextSettings) => HostContextSettings) => void;
}) {
  const set = <K extends keyof HostContextSettings>(key: K, value: HostContextSettings[K]) => onChange((s) => ({ ...s, [key]: value }));
  return (
    <div className="flex flex-wrap items-center gap-2 text-xs text-muted" data-testid="app-host-context">
      <span className="font-semibold text-fg">Host context</span>
      <label className="flex items-center gap-1">
        theme
        <select
          className="input h-6 py-0 text-xs"
          value={settings.theme}
          onChange={(e) => set('theme', e.target.value as HostContextSettings['theme'])}
          data-testid="app-theme"
        >
          <option value="follow">as mcpscope</option>
          <option value="light">light</option>
          <option value="dark">dark</option>
        </select>
      </label>
      <label className="flex items-center gap-1">
        locale
        <input
          className="input h-6 w-20 py-0 text-xs"
          value={settings.locale}
          maxLength={35}
          onChange={(e) => set('locale', e.target.value)}
          data-testid="app-locale"
        />
      </label>
      <label className="flex items-center gap-1">
        display
        <select
          className="input h-6 py-0 text-xs"
          value={settings.displayMode}
          onChange={(e) => set('displayMode', isDisplayMode(e.target.value) ? e.target.value : 'inline')}
          data-testid="app-display-mode"
        >
          {DISPLAY_MODES.map((mode) => (
            <option key={mode} value={mode}>
              {mode === 'pip' ? 'picture-in-picture' : mode}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1">
        width
        <select
          className="input h-6 py-0 text-xs"
          value={settings.width}
          onChange={(e) => set('width', Number(e.target.value))}
          data-testid="app-width"
        >
          {WIDTHS.map((w) => (
            <option key={w} value={w}>
              {w === 0 ? 'pane' : `${w}px`}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

export function defaultHostContext(): HostContextSettings {
  return { theme: 'follow', locale: defaultLocale(), displayMode: 'inline', width: 0 };
}
