'use client';

// Export saved servers as the snippet a client wants. Values are placeholders unless the person asks for the kept
// ones; the snippet is made on the server, which has them (they never reach the page otherwise).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { SavedServerView } from '@/lib/contract';
import { EXPORT_FORMAT_LABELS, EXPORT_FORMATS, type ExportedSnippet, type ExportFormat } from '@/lib/servers';
import { queryKeys, type ApiError } from '../api';
import { Modal } from '../share';
import { cn, CopyButton, Spinner } from '../ui';
import { exportSavedServers } from './api';

export function ExportDialog({ servers, onClose }: { servers: SavedServerView[]; onClose: () => void }) {
  const [format, setFormat] = useState<ExportFormat>('claude-desktop');
  const [keepSecrets, setKeepSecrets] = useState(false);
  const ids = servers.map((server) => server.id);
  const anyKept = servers.some((server) => server.secretsKept);
  const snippet = useQuery<ExportedSnippet, ApiError>({
    queryKey: queryKeys.savedServersExport(ids, format, keepSecrets),
    queryFn: () => exportSavedServers({ format, ids, keepSecrets }),
    staleTime: 0,
    gcTime: 0,
  });

  return (
    <Modal
      title={servers.length === 1 ? `Export "${servers[0]!.name}"` : `Export ${servers.length} servers`}
      subtitle="The snippet the client wants in its config file (or, for Claude Code, the commands to run)."
      onClose={onClose}
      testId="export-dialog"
    >
      <div className="space-y-3 p-4">
        <div role="radiogroup" aria-label="Client" className="flex flex-wrap gap-1">
          {EXPORT_FORMATS.map((value) => (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={format === value}
              data-testid={`export-format-${value}`}
              onClick={() => setFormat(value)}
              className={cn(
                'rounded border px-2 py-1 text-xs',
                format === value
                  ? 'border-accent bg-accent-soft font-medium text-fg'
                  : 'border-line text-muted hover:bg-hover hover:text-fg',
              )}
            >
              {EXPORT_FORMAT_LABELS[value]}
            </button>
          ))}
        </div>
        <label
          className={cn('inline-flex items-center gap-1.5 text-xs', !anyKept && 'text-faint')}
          title={anyKept ? 'Write the kept header and environment values as they are' : 'No values were kept for these servers'}
        >
          <input
            type="checkbox"
            checked={keepSecrets}
            disabled={!anyKept}
            onChange={(event) => setKeepSecrets(event.target.checked)}
            data-testid="export-keep"
          />
          Include kept secret values (otherwise placeholders)
        </label>
        {keepSecrets && (
          <p className="rounded border border-warn/40 bg-warn-soft px-2 py-1 text-xs" role="status">
            The snippet holds credentials in clear: paste it only where secrets belong.
          </p>
        )}
        <div className="relative">
          {snippet.isPending && <Spinner className="h-3 w-3 text-muted" />}
          {snippet.isError && (
            <p role="alert" className="text-[13px] text-err">
              {snippet.error.message}
            </p>
          )}
          {snippet.data && (
            <>
              <CopyButton text={snippet.data.text} label="Copy the snippet" className="absolute top-1.5 right-1.5 bg-panel" />
              <pre
                className="max-h-[45vh] overflow-auto rounded border border-line bg-panel-2 p-2 pr-9 font-mono text-xs whitespace-pre-wrap break-all"
                data-testid="export-snippet"
              >
                {snippet.data.text}
              </pre>
            </>
          )}
        </div>
        {snippet.data && snippet.data.placeholders.length > 0 && (
          <div className="text-xs" data-testid="export-placeholders">
            <div className="field-label">To fill in</div>
            <ul className="space-y-0.5">
              {snippet.data.placeholders.map((placeholder) => (
                <li key={`${placeholder.server} ${placeholder.field}`}>
                  <span className="font-mono">{placeholder.placeholder}</span>
                  <span className="text-muted">
                    {' '}
                    · {placeholder.server}, {placeholder.field}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
        {snippet.data?.notes.map((note, index) => (
          <p key={index} className="text-xs text-muted">
            {note}
          </p>
        ))}
      </div>
    </Modal>
  );
}
