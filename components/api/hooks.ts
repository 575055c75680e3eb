'use client';

import { useMutation, useQuery, useQueryClient, type UseMutationResult, type UseQueryResult } from '@tanstack/react-query';
import type { SessionSummary } from '@/lib/contract';
import { ApiError, getSession, listTools } from './client';
import { queryKeys } from './query-keys';
import type { ToolInfo } from './types';

export function useSessionSummary(id: string): UseQueryResult<SessionSummary, ApiError> {
  return useQuery<SessionSummary, ApiError>({
    queryKey: queryKeys.session(id),
    queryFn: () => getSession(id),
    // Live changes arrive as `summary` frames on the events stream; polling is only a safety net.
    refetchInterval: (query) => (query.state.data?.state === 'connecting' ? 2000 : false),
    retry: (count, error) => error.status >= 500 && count < 2,
  });
}

export function useTools(id: string, enabled: boolean): UseQueryResult<ToolInfo[], ApiError> {
  return useQuery<ToolInfo[], ApiError>({
    queryKey: queryKeys.tools(id),
    queryFn: () => listTools(id),
    enabled,
    staleTime: Infinity,
    retry: false,
  });
}

/** Asks the server to list the tools again (tools/list on the wire) and updates the cached list. */
export function useRefreshTools(id: string): UseMutationResult<ToolInfo[], ApiError, void> {
  const queryClient = useQueryClient();
  return useMutation<ToolInfo[], ApiError, void>({
    mutationFn: () => listTools(id, true),
    onSuccess: (tools) => queryClient.setQueryData(queryKeys.tools(id), tools),
  });
}
