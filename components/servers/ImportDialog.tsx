'use client';

// Import the servers of a client's config file: paste it or pick it, see what will be saved and every problem the
// reader found (by entry), choose, save. The file may come from anywhere: what it says is shown as text only.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';
import type { ImportServersResponse } from '@/lib/contract';
import type { ImportProblem } from '@/lib/servers';
import { ApiError, queryKeys } from '../api';
import { Modal } from '../share';
import { Badge, Button, cn, IconAlert, IconInfo, Spinner } from '../ui';
import { importServers } from './api';

const MAX_FILE = 1024 * 1024;

export function ImportDialog({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [keepSecrets, setKeepSecrets] = useState(false);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [fileError, setFileError] = useState<string | null>(null);

  const preview = useMutation<ImportServersResponse, ApiError, string>({
    mutationFn: (source) => importServers({ text: source, preview: true }),
    onSuccess: (result) => setChosen(new Set(result.servers.map((server) => server.name))),
  });
  const save = useMutation<ImportServersResponse, ApiError>({
    mutationFn: () => importServers({ text, keepSecrets, names: [...chosen] }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.savedServers() });
      onClose();
    },
  });

  const read = (source: string) => {
    setText(source);
    save.reset();
    if (source.trim()) preview.mutate(source);
    else preview.reset();
  };
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > MAX_FILE) {
      setFileError(`${file.name} is over 1 MiB: not a client's config file.`);
      return;
    }
    setFileError(null);
    read(await file.text());
  };

  const result = preview.data;
  const fileProblems = result?.problems.filter((problem) => !problem.entry) ?? [];
  const problemsOf = (name: string) => result?.problems.filter((problem) => problem.entry === name) ?? [];
  const rejected = [...new Set(result?.problems.filter((p) => p.entry && p.severity === 'error').map((p) => p.entry!) ?? [])].filter(
    (name) => !result?.servers.some((server) => server.name === name),
  );

  return (
    <Modal
      title="Import servers"
      subtitle="From the config file of Claude Desktop, Cursor, Windsurf, Claude Code (.mcp.json) or VS Code (mcp.json, settings.json)."
      onClose={onClose}
      testId="import-dialog"
      footer={
        <>
          <label
            className="inline-flex items-center gap-1.5 text-xs"
            title="Header and environment values are kept encrypted; otherwise only their names, and you type them when connecting"
          >
            <input
              type="checkbox"
              checked={keepSecrets}
              onChange={(event) => setKeepSecrets(event.target.checked)}
              data-testid="import-keep"
            />
            Keep header and environment values (encrypted)
          </label>
          <Button className="ml-auto" onClick={onClose}>
            Cancel
          </Button>
          <Button
            variant="primary"
            disabled={!result || chosen.size === 0 || save.isPending}
            onClick={() => save.mutate()}
            data-testid="import-save"
          >
            {save.isPending && <Spinner className="h-3 w-3" />}
            Import {chosen.size > 0 ? `${chosen.size} server${chosen.size === 1 ? '' : 's'}` : ''}
          </Button>
        </>
      }
    >
      <div className="space-y-3 p-4">
        <div className="flex items-center gap-2">
          <label className="inline-flex h-7 cursor-pointer items-center rounded border border-line-strong bg-panel px-2.5 text-[13px] font-medium hover:bg-hover">
            Choose a file…
            <input type="file" accept=".json,.jsonc,application/json" className="sr-only" onChange={onFile} data-testid="import-file" />
          </label>
          <span className="text-xs text-muted">or paste it below</span>
          {preview.isPending && <Spinner className="h-3 w-3 text-muted" />}
        </div>
        <textarea
          className="input-mono h-36 w-full resize-y p-2 text-xs"
          placeholder={'{\n  "mcpServers": {\n    "name": { "command": "npx", "args": ["-y", "some-mcp-server"] }\n  }\n}'}
          spellCheck={false}
          aria-label="Config file"
          data-testid="import-text"
          value={text}
          onChange={(event) => read(event.target.value)}
        />
        {fileError && (
          <p role="alert" className="text-[13px] text-err">
            {fileError}
          </p>
        )}
        {preview.isError && (
          <p role="alert" className="text-[13px] text-err" data-testid="import-error">
            {preview.error.message}
          </p>
        )}
        {save.isError && (
          <p role="alert" className="text-[13px] text-err" data-testid="import-error">
            {save.error.message}
          </p>
        )}
        {fileProblems.map((problem, index) => (
          <p key={index} role="alert" className="flex gap-2 text-[13px] text-err" data-testid="import-problem" data-code={problem.code}>
            <IconAlert className="mt-0.5 shrink-0" />
            <span className="min-w-0 break-words">{problem.message}</span>
          </p>
        ))}
        {result && result.servers.length > 0 && (
          <div>
            <div className="field-label">
              Will be imported
              {result.sections.length > 0 && (
                <span className="font-normal tracking-normal normal-case"> (from {result.sections.map((s) => `"${s}"`).join(', ')})</span>
              )}
            </div>
            <ul className="divide-y divide-line rounded border border-line" data-testid="import-entries">
              {result.servers.map((server) => (
                <li key={server.name} className="px-3 py-1.5" data-testid="import-entry" data-name={server.name}>
                  <label className="flex items-center gap-2">
                    <input
                      type="checkbox"
                      checked={chosen.has(server.name)}
                      onChange={(event) =>
                        setChosen((all) => {
                          const next = new Set(all);
                          if (event.target.checked) next.add(server.name);
                          else next.delete(server.name);
                          return next;
                        })
                      }
                      aria-label={`Import ${server.name}`}
                    />
                    <Badge tone={server.target.kind === 'command' ? 'purple' : 'accent'} className="w-[60px] shrink-0 justify-center">
                      {server.target.kind === 'command' ? 'command' : 'URL'}
                    </Badge>
                    <span className="truncate text-[13px] font-medium" title={server.name}>
                      {server.name}
                    </span>
                    <span className="min-w-0 flex-1 truncate font-mono text-[11px] text-muted">
                      {server.target.kind === 'url' ? server.target.url : server.target.line}
                    </span>
                  </label>
                  <EntryDetails
                    names={server.target.kind === 'url' ? server.target.headerNames : server.target.envNames}
                    what={server.target.kind === 'url' ? 'headers' : 'env'}
                    placeholders={server.placeholders}
                  />
                  <EntryProblems problems={problemsOf(server.name)} />
                </li>
              ))}
            </ul>
          </div>
        )}
        {result && rejected.length > 0 && (
          <div>
            <div className="field-label">Not imported</div>
            <ul className="divide-y divide-line rounded border border-err/40" data-testid="import-rejected">
              {rejected.map((name) => (
                <li key={name} className="px-3 py-1.5" data-testid="import-rejected-entry" data-name={name}>
                  <div className="truncate text-[13px] font-medium">{name}</div>
                  <EntryProblems problems={problemsOf(name)} />
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </Modal>
  );
}

/** An entry's problems: a warning (imported anyway) or an error (the entry is not imported). */
function EntryProblems({ problems }: { problems: ImportProblem[] }) {
  return problems.map((problem, index) => (
    <p
      key={index}
      className={cn('mt-1 flex gap-1.5 text-xs', problem.severity === 'error' ? 'text-err' : 'text-warn')}
      data-testid="import-problem"
      data-code={problem.code}
    >
      {problem.severity === 'error' ? <IconAlert className="mt-0.5 h-3 w-3 shrink-0" /> : <IconInfo className="mt-0.5 h-3 w-3 shrink-0" />}
      <span className="min-w-0 break-words">{problem.message}</span>
    </p>
  ));
}

function EntryDetails({ names, what, placeholders }: { names: string[]; what: 'headers' | 'env'; placeholders: string[] }) {
  if (names.length === 0 && placeholders.length === 0) return null;
  return (
    <div className="mt-0.5 pl-[92px] text-[11px] text-faint">
      {names.length > 0 && (
        <span>
          {what === 'headers' ? 'Headers' : 'Environment'}: <span className="font-mono">{names.join(', ')}</span>
        </span>
      )}
      {placeholders.length > 0 && (
        <span className="ml-2">
          Placeholders: <span className="font-mono">{placeholders.join(' ')}</span>
        </span>
      )}
    </div>
  );
}
