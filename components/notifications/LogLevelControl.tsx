'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionSummary } from '@/lib/contract';
import { describeFailure, getLogLevel, queryKeys, setLogLevel, type LogLevel } from '../api';
import { Button, cn, useDerivedState } from '../ui';
import { LevelSelect } from './LevelSelect';

/**
 * Sets the minimum level of log messages the server sends: `logging/setLevel` on 2025-era servers, the
 * per-request `_meta` level on 2026-07-28 servers (mcpscope then adds it to every request it sends).
 */
export function LogLevelControl({ sessionId, summary }: { sessionId: string; summary: SessionSummary | undefined }) {
  const queryClient = useQueryClient();
  const connected = summary?.state === 'connected';
  const modern = summary?.server?.era === 'stateless-2026';
  const declared = summary?.server?.capabilities ? 'logging' in summary.server.capabilities : false;
  const current = useQuery({
    queryKey: queryKeys.logLevel(sessionId),
    queryFn: () => getLogLevel(sessionId),
    enabled: connected,
    staleTime: Infinity,
  });
  // The level the server reports, until the person picks another; a new report replaces the pick.
  const [level, setLevel] = useDerivedState<LogLevel | undefined, LogLevel>(
    current.data?.level,
    (next, previous) => next ?? previous ?? 'info',
  );

  const mutation = useMutation({
    mutationFn: (next: LogLevel) => setLogLevel(sessionId, next),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.logLevel(sessionId) }),
  });
  const outcome = mutation.data;
  const rpcError = outcome?.mode === 'setLevel' && 'error' in outcome.outcome ? outcome.outcome.error : undefined;

  return (
    <div className="flex min-w-0 items-center gap-1.5" data-testid="log-level-control">
      <LevelSelect
        id="log-level-select"
        label="Server log level"
        labelClassName="whitespace-nowrap"
        className="w-[110px]"
        value={level}
        onChange={setLevel}
        disabled={!connected}
        testId="log-level-select"
      />
      <Button
        size="sm"
        onClick={() => mutation.mutate(level)}
        disabled={!connected || mutation.isPending}
        data-testid="log-level-set"
        title={modern ? 'Sent as _meta["io.modelcontextprotocol/logLevel"] on every request from now on' : 'Sends logging/setLevel'}
      >
        Set
      </Button>
      <span
        className={cn('truncate text-[11px]', mutation.isError || rpcError ? 'text-err' : 'text-faint')}
        data-testid="log-level-status"
        title={modern ? '2026-07-28 servers take the level per request, in _meta' : undefined}
      >
        {mutation.isError
          ? describeFailure(mutation.error)
          : rpcError
            ? `logging/setLevel failed: ${rpcError.message} (${rpcError.code})`
            : outcome
              ? outcome.mode === 'per-request'
                ? `${outcome.level}: sent in _meta with each request`
                : `logging/setLevel ${outcome.level} accepted`
              : current.data?.level
                ? `current: ${current.data.level}`
                : modern
                  ? 'per request (2026-07-28)'
                  : declared
                    ? 'not set (server default)'
                    : 'the server did not declare logging'}
      </span>
    </div>
  );
}
