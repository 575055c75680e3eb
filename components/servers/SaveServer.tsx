'use client';

// "Save" on the connect form: the form's server under a name, with its header or env values kept (encrypted) only
// when the person ticks it; otherwise only their names, asked for at connect.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { SavedServerView } from '@/lib/contract';
import type { SavedServerTarget } from '@/lib/servers';
import { queryKeys, type ApiError } from '../api';
import { Button, IconAlert, IconCheck, Spinner } from '../ui';
import { saveServer } from './api';

export function SaveServer({
  target,
  suggestName,
  disabled,
}: {
  /** The form's server, or a sentence saying what is missing. */
  target: () => SavedServerTarget | string;
  suggestName: () => string;
  disabled?: boolean;
}) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [keepSecrets, setKeepSecrets] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation<SavedServerView, ApiError, { target: SavedServerTarget }>({
    mutationFn: ({ target: saved }) => saveServer({ name: name.trim(), target: saved, keepSecrets }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.savedServers() });
      setOpen(false);
    },
  });

  if (!open)
    return (
      <span className="inline-flex items-center gap-1.5">
        <Button
          className="h-8"
          disabled={disabled}
          data-testid="save-server-open"
          title="Keep this server in the saved servers list"
          onClick={() => {
            const current = target();
            if (typeof current === 'string') {
              setProblem(current);
              return;
            }
            setProblem(null);
            save.reset();
            setName(suggestName());
            setOpen(true);
          }}
        >
          {/* The confirmation sits in the button: the form's row has no room for another word. */}
          {save.isSuccess ? (
            <span className="inline-flex items-center gap-1 text-ok" role="status" data-testid="save-server-done">
              <IconCheck className="h-3 w-3" /> Saved
            </span>
          ) : (
            'Save…'
          )}
        </Button>
        {problem && (
          <span role="alert" className="text-xs text-err" data-testid="save-server-error">
            {problem}
          </span>
        )}
      </span>
    );

  const submit = () => {
    const current = target();
    if (typeof current === 'string') return setProblem(current);
    if (!name.trim()) return setProblem('Give the server a name.');
    setProblem(null);
    save.mutate({ target: current });
  };
  const error = problem ?? (save.isError ? save.error.message : null);
  return (
    <div className="mt-3 w-full rounded border border-line bg-panel-2 p-2.5" data-testid="save-server">
      {/* Not a <form>: this sits inside the connect form, and Enter here saves rather than connects. */}
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="save-server-name" className="text-xs text-muted">
          Save as
        </label>
        <input
          id="save-server-name"
          className="input h-7 min-w-0 flex-1 text-[13px]"
          data-testid="save-server-name"
          autoFocus
          autoComplete="off"
          maxLength={200}
          value={name}
          onChange={(event) => setName(event.target.value)}
          onKeyDown={(event) => {
            if (event.key !== 'Enter') return;
            event.preventDefault();
            submit();
          }}
        />
        <Button size="sm" variant="primary" disabled={save.isPending} onClick={submit} data-testid="save-server-submit">
          {save.isPending && <Spinner className="h-3 w-3" />} Save
        </Button>
        <Button size="sm" onClick={() => setOpen(false)}>
          Cancel
        </Button>
        <label className="inline-flex w-full items-center gap-1.5 text-xs">
          <input
            type="checkbox"
            checked={keepSecrets}
            onChange={(event) => setKeepSecrets(event.target.checked)}
            data-testid="save-server-keep"
          />
          Keep header and environment values (encrypted on this mcpscope); otherwise only their names, asked for when connecting
        </label>
      </div>
      {error && (
        <p role="alert" className="mt-1.5 flex gap-1.5 text-xs text-err" data-testid="save-server-error">
          <IconAlert className="mt-0.5 h-3 w-3 shrink-0" />
          <span className="min-w-0 break-words">{error}</span>
        </p>
      )}
    </div>
  );
}
