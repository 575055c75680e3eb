'use client';

// The connect form's "Command" kind: a local stdio server that mcpscope starts and speaks MCP to over its
// stdin/stdout. The exact command is shown for confirmation before a command runs for the first time here
// (lib/stdio/policy.ts says why starting programs is guarded, and how).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import {
  formatCommandLine,
  splitCommandLine,
  type CommandSessionRequest,
  type SessionSummary,
  type StdioAvailability,
} from '@/lib/contract';
import { ApiError, createCommandSession, getStdioAvailability, queryKeys, rememberConnectError, rememberLiveConnect } from '../api';
import { Button, Callout, IconPlay, Spinner } from '../ui';
import { ConnectError, shownConnectError } from './ConnectError';
import { Field } from './Field';
import { TimeoutFields, useTimeoutFields } from './TimeoutFields';
import { ENV_WORDS, HeadersEditor, envNameProblem, type HeaderRow } from './HeadersEditor';
import { commandFingerprint, isConfirmed, rememberConfirmed, SaveServer, StdioConfirm } from '../servers';

interface Launch {
  request: CommandSessionRequest;
  line: string;
  fingerprint: string;
}

/** A name for the command: its package or script (`@scope/server-x@1.2` → `server-x`), else the program. */
function suggestedName(words: readonly string[]): string {
  const subject = words.slice(1).find((word) => !word.startsWith('-')) ?? words[0] ?? '';
  const base = subject.split(/[\\/]/).pop() ?? subject;
  return base.replace(/@[^@]*$/, '').replace(/\.(m?js|py|ts)$/, '') || subject;
}

export function CommandConnect() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const commandInput = useRef<HTMLInputElement>(null);
  const [commandLine, setCommandLine] = useState('');
  const [env, setEnv] = useState<HeaderRow[]>([]);
  const [cwd, setCwd] = useState('');
  const timeouts = useTimeoutFields();
  const { connectTimeoutS, requestTimeoutS } = timeouts;
  const [localError, setLocalError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<Launch | null>(null);

  const availability = useQuery<StdioAvailability, ApiError>({
    queryKey: queryKeys.stdio(),
    queryFn: getStdioAvailability,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const available = availability.data?.available === true;

  const launch = useMutation<SessionSummary, ApiError, Launch>({
    mutationFn: ({ request }) => {
      const token = availability.data?.launchToken;
      if (!token) throw new ApiError('stdio_unavailable', 'This mcpscope does not start local servers.', 403);
      return createCommandSession({ ...request, wait: false }, token);
    },
    onSuccess: (summary, { fingerprint }) => {
      rememberConfirmed(fingerprint);
      queryClient.setQueryData(queryKeys.session(summary.id), summary);
      if (summary.state === 'connecting') rememberLiveConnect(summary.id);
      router.push(`/inspect/${encodeURIComponent(summary.id)}`);
    },
    onError: (error, { fingerprint }) => {
      if (!error.sessionId) return;
      // It ran (and failed): the command was confirmed; the session's log says how it failed.
      rememberConfirmed(fingerprint);
      rememberConnectError(error.sessionId, { code: error.code, message: error.message });
      router.push(`/inspect/${encodeURIComponent(error.sessionId)}`);
    },
  });
  const busy = launch.isPending || launch.isSuccess || (launch.isError && Boolean(launch.error.sessionId));

  const prepare = (): Launch | undefined => {
    const words = splitCommandLine(commandLine.trim());
    if (words.length === 0) {
      setLocalError('Enter the command that starts the server, e.g. npx -y @modelcontextprotocol/server-everything stdio.');
      commandInput.current?.focus();
      return undefined;
    }
    const badName = env.map((row) => envNameProblem(row.name)).find(Boolean);
    if (badName) {
      setLocalError(badName);
      return undefined;
    }
    const [command, ...args] = words as [string, ...string[]];
    const variables: Record<string, string> = {};
    for (const row of env) if (row.name.trim()) variables[row.name.trim()] = row.value;
    const connectMs = Number(connectTimeoutS) * 1000;
    const requestMs = Number(requestTimeoutS) * 1000;
    const timeouts = { ...(connectMs > 0 ? { connectMs } : {}), ...(requestMs > 0 ? { requestMs } : {}) };
    const request: CommandSessionRequest = {
      kind: 'command',
      command,
      args,
      ...(Object.keys(variables).length > 0 ? { env: variables } : {}),
      ...(cwd.trim() ? { cwd: cwd.trim() } : {}),
      ...(Object.keys(timeouts).length > 0 ? { timeouts } : {}),
    };
    const line = formatCommandLine(command, args);
    return { request, line, fingerprint: commandFingerprint(line, cwd.trim(), Object.keys(variables)) };
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (busy || !available) return;
    setLocalError(null);
    launch.reset();
    const prepared = prepare();
    if (!prepared) return;
    // A command not run here before is shown, exactly, for the person to confirm first.
    if (!isConfirmed(prepared.fingerprint)) {
      setConfirming(prepared);
      return;
    }
    launch.mutate(prepared);
  };

  const error = shownConnectError(localError, launch.error);

  return (
    <form onSubmit={onSubmit} className="rounded-md border border-line bg-panel p-4 shadow-sm" noValidate data-testid="command-form">
      {availability.data && !available && (
        <Callout
          tone="warn"
          title="Local servers are not available here"
          message={availability.data.message}
          code={availability.data.code}
          testId="stdio-unavailable"
          className="mb-4"
        />
      )}
      <label htmlFor="connect-command" className="field-label">
        Command
      </label>
      <input
        ref={commandInput}
        id="connect-command"
        data-testid="connect-command"
        className="input-mono h-8 w-full text-[13px]"
        placeholder="npx -y @modelcontextprotocol/server-everything stdio"
        autoFocus
        autoComplete="off"
        spellCheck={false}
        disabled={!available}
        value={commandLine}
        onChange={(event) => {
          setCommandLine(event.target.value);
          setConfirming(null);
        }}
      />
      <p className="mt-1 text-[11px] text-faint">
        The program and its arguments, quoted as in a shell; nothing is expanded ($VARS, globs and pipes are passed as typed). mcpscope runs
        it on this machine and speaks MCP over its stdin and stdout; its stderr is kept in the log.
      </p>

      <div className="mt-4">
        <div className="field-label">
          Environment variables <span className="font-normal tracking-normal normal-case">(optional; values are treated as secrets)</span>
        </div>
        <HeadersEditor
          rows={env}
          onChange={(rows) => {
            setEnv(rows);
            setConfirming(null);
          }}
          words={ENV_WORDS}
        />
      </div>

      <div className="mt-3">
        <Field
          label="Working directory (optional)"
          data-testid="connect-cwd"
          mono
          placeholder="mcpscope's own directory"
          disabled={!available}
          value={cwd}
          onChange={(event) => {
            setCwd(event.target.value);
            setConfirming(null);
          }}
        />
      </div>

      <TimeoutFields {...timeouts} />

      {error && <ConnectError title="Could not start the server" error={error} />}

      {confirming ? (
        <StdioConfirm
          line={confirming.line}
          cwd={confirming.request.cwd}
          envNames={confirming.request.env ? Object.keys(confirming.request.env) : []}
          onRun={() => {
            const prepared = confirming;
            setConfirming(null);
            launch.mutate(prepared);
          }}
          onCancel={() => setConfirming(null)}
        />
      ) : (
        <div className="mt-4 flex flex-wrap items-center gap-2">
          <Button type="submit" variant="primary" className="h-8 px-4" disabled={busy || !available} data-testid="connect-submit">
            {busy ? (
              <>
                <Spinner className="h-3 w-3" /> Starting…
              </>
            ) : (
              <>
                <IconPlay className="h-3.5 w-3.5" /> Run and connect
              </>
            )}
          </Button>
          {availability.isPending && <Spinner className="h-3 w-3 text-muted" />}
          <SaveServer
            disabled={busy}
            target={() => {
              const words = splitCommandLine(commandLine.trim());
              if (words.length === 0) return 'Enter the command first.';
              const badName = env.map((row) => envNameProblem(row.name)).find(Boolean);
              if (badName) return badName;
              const [command, ...args] = words as [string, ...string[]];
              const variables: Record<string, string> = {};
              for (const row of env) if (row.name.trim()) variables[row.name.trim()] = row.value;
              return { kind: 'command', command, args, env: variables, ...(cwd.trim() ? { cwd: cwd.trim() } : {}) };
            }}
            suggestName={() => suggestedName(splitCommandLine(commandLine.trim()))}
          />
        </div>
      )}
    </form>
  );
}
