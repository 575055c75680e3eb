'use client';

// The home screen's saved servers: each with its kind and how the last connect went, connected in one click (after
// asking for the values that were not kept, and, for a command new to this browser, confirming it), exported as a
// client's snippet, removed. Names and targets come from config files a person may have found anywhere: text only.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { SavedServerView, SessionState, SessionSummary, StdioAvailability } from '@/lib/contract';
import { ApiError, getStdioAvailability, queryKeys, rememberConnectError, rememberLiveConnect } from '../api';
import { Badge, Button, IconAlert, IconButton, IconDownload, IconPlug, IconPlus, IconX, Spinner, timeAgo, type Tone } from '../ui';
import { connectSavedServer, listSavedServers, removeSavedServer } from './api';
import { ExportDialog } from './ExportDialog';
import { ImportDialog } from './ImportDialog';
import { commandFingerprint, isConfirmed, rememberConfirmed } from './stdio-confirm';
import { StdioConfirm } from './StdioConfirm';

const OUTCOME: Record<SessionState, { label: string; tone: Tone }> = {
  connected: { label: 'connected', tone: 'ok' },
  auth_required: { label: 'needs sign-in', tone: 'warn' },
  failed: { label: 'failed', tone: 'err' },
  connecting: { label: 'connecting', tone: 'neutral' },
  closed: { label: 'closed', tone: 'neutral' },
};

function targetText(server: SavedServerView): string {
  return server.target.kind === 'url' ? server.target.url : server.target.line;
}

export function SavedServers() {
  const servers = useQuery<SavedServerView[], ApiError>({ queryKey: queryKeys.savedServers(), queryFn: listSavedServers });
  const [dialog, setDialog] = useState<{ kind: 'import' } | { kind: 'export'; servers: SavedServerView[] } | null>(null);
  const list = servers.data ?? [];

  return (
    <section aria-label="Saved servers" className="mt-6" data-testid="saved-servers">
      <div className="mb-1.5 flex items-center gap-2">
        <h2 className="field-label mb-0">Saved servers</h2>
        {servers.isPending && <Spinner className="h-3 w-3 text-muted" />}
        <div className="ml-auto flex gap-1.5">
          <Button
            size="sm"
            onClick={() => setDialog({ kind: 'import' })}
            data-testid="saved-import-open"
            title="Import the servers of a client's config file"
          >
            <IconPlus className="h-3 w-3" /> Import…
          </Button>
          {list.length > 0 && (
            <Button size="sm" onClick={() => setDialog({ kind: 'export', servers: list })} data-testid="saved-export-all">
              <IconDownload className="h-3 w-3" /> Export all…
            </Button>
          )}
        </div>
      </div>
      {servers.isError && (
        <p role="alert" className="text-[13px] text-err">
          Could not load the saved servers: {servers.error.message}
        </p>
      )}
      {servers.isSuccess && list.length === 0 && (
        <p className="rounded border border-dashed border-line px-3 py-3 text-[13px] text-muted" data-testid="saved-empty">
          None yet. Import the servers of Claude Desktop, Cursor, Windsurf, Claude Code or VS Code from their config file, or use Save in
          the form above.
        </p>
      )}
      {list.length > 0 && (
        <ul className="divide-y divide-line overflow-hidden rounded border border-line bg-panel" data-testid="saved-list">
          {list.map((server) => (
            <SavedServerRow key={server.id} server={server} onExport={() => setDialog({ kind: 'export', servers: [server] })} />
          ))}
        </ul>
      )}
      {dialog?.kind === 'import' && <ImportDialog onClose={() => setDialog(null)} />}
      {dialog?.kind === 'export' && <ExportDialog servers={dialog.servers} onClose={() => setDialog(null)} />}
    </section>
  );
}

interface Pending {
  headers: Record<string, string>;
  env: Record<string, string>;
}

function SavedServerRow({ server, onExport }: { server: SavedServerView; onExport: () => void }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState<Pending | null>(null);
  const isCommand = server.target.kind === 'command';
  const typed = server.needs.filter((need) => need.field === 'header' || need.field === 'env');
  const blocked = server.needs.filter((need) => need.field !== 'header' && need.field !== 'env');
  const availability = useQuery<StdioAvailability, ApiError>({
    queryKey: queryKeys.stdio(),
    queryFn: getStdioAvailability,
    staleTime: Number.POSITIVE_INFINITY,
    enabled: isCommand,
  });
  const fingerprint =
    server.target.kind === 'command' ? commandFingerprint(server.target.line, server.target.cwd ?? '', server.target.envNames) : '';

  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.savedServers() });
  const connect = useMutation<SessionSummary, ApiError, Pending>({
    mutationFn: (filled) => {
      const token = availability.data?.launchToken;
      if (isCommand && !token)
        throw new ApiError(
          availability.data?.code ?? 'stdio_unavailable',
          availability.data?.message ?? 'This mcpscope does not start local servers.',
          403,
        );
      return connectSavedServer(server.id, { ...filled, wait: false }, isCommand ? token : undefined);
    },
    onSuccess: (summary) => {
      if (isCommand) rememberConfirmed(fingerprint);
      queryClient.setQueryData(queryKeys.session(summary.id), summary);
      if (summary.state === 'connecting') rememberLiveConnect(summary.id);
      refresh();
      router.push(`/inspect/${encodeURIComponent(summary.id)}`);
    },
    onError: (error) => {
      if (!error.sessionId) return;
      if (isCommand) rememberConfirmed(fingerprint);
      rememberConnectError(error.sessionId, { code: error.code, message: error.message });
      refresh();
      router.push(`/inspect/${encodeURIComponent(error.sessionId)}`);
    },
  });
  const remove = useMutation<void, ApiError>({ mutationFn: () => removeSavedServer(server.id), onSuccess: refresh });
  const busy = connect.isPending || connect.isSuccess || (connect.isError && Boolean(connect.error.sessionId));

  const go = (filled: Pending) => {
    connect.reset();
    if (isCommand && !isConfirmed(fingerprint)) {
      setOpen(true);
      setConfirming(filled);
      return;
    }
    connect.mutate(filled);
  };
  const filledValues = (): Pending => {
    const filled: Pending = { headers: {}, env: {} };
    for (const need of typed)
      (need.field === 'header' ? filled.headers : filled.env)[need.name] = values[`${need.field}:${need.name}`] ?? '';
    return filled;
  };
  const onConnectClick = () => {
    if (busy) return;
    if (typed.length > 0 || blocked.length > 0) {
      setOpen((value) => !value);
      return;
    }
    go({ headers: {}, env: {} });
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (busy || blocked.length > 0) return;
    go(filledValues());
  };
  const outcome = server.lastOutcome;

  return (
    <li data-testid="saved-server" data-name={server.name} data-kind={server.target.kind}>
      <div className="flex items-center gap-2 px-3 py-1.5">
        <Badge tone={isCommand ? 'purple' : 'accent'} className="w-[60px] shrink-0 justify-center" data-testid="saved-kind">
          {isCommand ? 'command' : 'URL'}
        </Badge>
        <div className="min-w-0 flex-1">
          <div className="truncate text-[13px] font-medium" data-testid="saved-name" title={server.name}>
            {server.name}
          </div>
          <div className="truncate font-mono text-[11px] text-muted" data-testid="saved-target" title={targetText(server)}>
            {targetText(server)}
          </div>
        </div>
        {outcome && (
          <Badge
            tone={OUTCOME[outcome.state].tone}
            data-testid="saved-outcome"
            data-outcome={outcome.state}
            title={`Last connect ${timeAgo(outcome.at)}: ${OUTCOME[outcome.state].label}${outcome.errorCode ? ` (${outcome.errorCode})` : ''}`}
          >
            {OUTCOME[outcome.state].label}
          </Badge>
        )}
        {outcome && <span className="hidden w-16 shrink-0 text-right text-[11px] text-faint sm:inline">{timeAgo(outcome.at)}</span>}
        <Button
          size="sm"
          variant="primary"
          onClick={onConnectClick}
          disabled={busy}
          aria-expanded={typed.length > 0 || blocked.length > 0 ? open : undefined}
          data-testid="saved-connect"
          title={typed.length > 0 ? 'Asks for the values that were not saved, then connects' : 'Connect'}
        >
          {busy ? <Spinner className="h-3 w-3" /> : <IconPlug className="h-3 w-3" />} Connect
        </Button>
        <IconButton label={`Export ${server.name}`} title="Export for a client" data-testid="saved-export" onClick={onExport}>
          <IconDownload className="h-3.5 w-3.5" />
        </IconButton>
        <IconButton
          label={`Remove ${server.name}`}
          title="Remove this saved server"
          data-testid="saved-remove"
          disabled={remove.isPending}
          onClick={() => remove.mutate()}
        >
          <IconX className="h-3.5 w-3.5" />
        </IconButton>
      </div>
      {(open || connect.isError) && (
        <form onSubmit={onSubmit} className="border-t border-line bg-panel-2 px-3 py-2.5" data-testid="saved-connect-panel" noValidate>
          {blocked.length > 0 && (
            <p className="flex gap-2 text-[13px] text-warn" role="alert" data-testid="saved-blocked">
              <IconAlert className="mt-0.5 shrink-0" />
              <span>
                Its {blocked.map((need) => (need.field === 'args' ? `argument ${Number(need.name) + 1}` : need.field)).join(', ')} still
                hold a placeholder that only the client that wrote the file expands. Edit the saved server (import it again with the value
                written out) before connecting.
              </span>
            </p>
          )}
          {typed.length > 0 && blocked.length === 0 && (
            <>
              <p className="mb-2 text-xs text-muted">
                {server.secretsKept
                  ? 'Fill in what the file left as a placeholder.'
                  : 'Values are not saved unless asked; type them for this connect.'}
              </p>
              <div className="grid grid-cols-[minmax(0,auto)_1fr] items-center gap-x-3 gap-y-1.5">
                {typed.map((need) => {
                  const key = `${need.field}:${need.name}`;
                  return (
                    <label key={key} className="contents">
                      <span className="truncate font-mono text-xs" title={need.name}>
                        {need.field === 'header' ? need.name : `$${need.name}`}
                      </span>
                      <input
                        type="password"
                        autoComplete="off"
                        spellCheck={false}
                        className="input-mono h-7 text-[13px]"
                        data-testid="saved-value"
                        data-name={need.name}
                        aria-label={`${need.field === 'header' ? 'Header' : 'Variable'} ${need.name}`}
                        value={values[key] ?? ''}
                        onChange={(event) => setValues((all) => ({ ...all, [key]: event.target.value }))}
                      />
                    </label>
                  );
                })}
              </div>
              {!confirming && (
                <div className="mt-2 flex gap-2">
                  <Button type="submit" size="sm" variant="primary" disabled={busy} data-testid="saved-connect-submit">
                    <IconPlug className="h-3 w-3" /> Connect
                  </Button>
                  <Button size="sm" onClick={() => setOpen(false)}>
                    Cancel
                  </Button>
                </div>
              )}
            </>
          )}
          {confirming && server.target.kind === 'command' && (
            <StdioConfirm
              line={server.target.line}
              cwd={server.target.cwd}
              envNames={server.target.envNames}
              onRun={() => {
                const filled = confirming;
                setConfirming(null);
                connect.mutate(filled);
              }}
              onCancel={() => {
                setConfirming(null);
                if (typed.length === 0) setOpen(false);
              }}
            />
          )}
          {connect.isError && !connect.error.sessionId && (
            <div role="alert" data-testid="saved-connect-error" className="mt-2 flex gap-2 text-[13px] text-err">
              <IconAlert className="mt-0.5 shrink-0" />
              <span className="min-w-0 break-words">
                <span className="text-fg">{connect.error.message}</span>{' '}
                <span className="font-mono text-[11px] opacity-80">{connect.error.code}</span>
              </span>
            </div>
          )}
        </form>
      )}
    </li>
  );
}
