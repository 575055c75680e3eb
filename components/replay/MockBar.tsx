'use client';

// "Serve as mock" on a shared session's page, for the person who made the share: this mcpscope serves the recording
// as an MCP server on 127.0.0.1 (lib/mock) and shows the URL to connect a client, or mcpscope itself, to. It runs
// until stopped here or until mcpscope stops; a hosted instance serves none, and the bar is not shown there.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../api';
import { Button, CopyButton, Spinner } from '../ui';
import { getShareMock, startShareMock, stopShareMock } from './api';

export function MockBar({ shareId }: { shareId: string }) {
  const client = useQueryClient();
  const key = queryKeys.shareMock(shareId);
  const status = useQuery({
    queryKey: key,
    queryFn: () => getShareMock(shareId),
    // While it runs, the count of answered requests moves.
    refetchInterval: (query) => (query.state.data?.mock ? 5000 : false),
  });
  const start = useMutation({
    mutationFn: () => startShareMock(shareId),
    onSuccess: (body) => client.setQueryData(key, { mock: body.mock, available: true }),
  });
  const stop = useMutation({
    mutationFn: () => stopShareMock(shareId),
    onSuccess: () => client.setQueryData(key, { mock: null, available: true }),
  });
  if (!status.data?.available) return null;
  const mock = status.data.mock;
  const error = start.error ?? stop.error;
  return (
    <div
      className="flex min-h-9 shrink-0 flex-wrap items-center gap-x-3 gap-y-1 border-b border-line bg-panel-2 px-3 py-1 text-[13px]"
      data-testid="mock-bar"
      data-running={mock ? 'true' : 'false'}
    >
      {mock ? (
        <>
          <span className="font-medium">Serving as an MCP server</span>
          <span className="flex min-w-0 items-center gap-1">
            <code className="truncate rounded bg-panel px-1.5 py-0.5 font-mono text-xs" data-testid="mock-url">
              {mock.url}
            </code>
            <CopyButton text={mock.url} label="Copy URL" />
          </span>
          <span className="text-xs text-muted" title="Legacy HTTP+SSE (2024-11-05) clients connect here">
            legacy SSE <code className="font-mono">{mock.sseUrl}</code>
          </span>
          <span className="text-xs text-muted" data-testid="mock-requests">
            {mock.requests} request{mock.requests === 1 ? '' : 's'} answered
          </span>
          <Button size="sm" className="ml-auto" onClick={() => stop.mutate()} disabled={stop.isPending} data-testid="mock-stop">
            {stop.isPending && <Spinner className="h-3 w-3" />}
            Stop mock
          </Button>
        </>
      ) : (
        <>
          <span className="text-muted">
            Hand this recording to a client as a server: the handshake, lists and answers as recorded, on this machine only.
          </span>
          <Button size="sm" className="ml-auto" onClick={() => start.mutate()} disabled={start.isPending} data-testid="mock-start">
            {start.isPending && <Spinner className="h-3 w-3" />}
            Serve as mock
          </Button>
        </>
      )}
      {error && (
        <span role="alert" className="basis-full text-xs text-err" data-testid="mock-error">
          {error instanceof Error ? error.message : String(error)}
        </span>
      )}
    </div>
  );
}
