'use client';

import { keepPreviousData, useInfiniteQuery, type InfiniteData, type UseInfiniteQueryResult } from '@tanstack/react-query';
import { useMemo } from 'react';
import { rpcResult } from './protocol';

export type ListMethod = 'resources/list' | 'resources/templates/list' | 'prompts/list';

const ITEMS_KEY: Record<ListMethod, string> = {
  'resources/list': 'resources',
  'resources/templates/list': 'resourceTemplates',
  'prompts/list': 'prompts',
};

interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface McpList<T> {
  items: T[];
  /** More pages exist: `loadMore()` fetches the next one (pagination is explicit, as on the wire). */
  hasMore: boolean;
  loadMore: () => void;
  pages: number;
  query: UseInfiniteQueryResult<InfiniteData<Page<T>, string | undefined>, Error>;
}

/**
 * One paginated MCP list, page by page with `nextCursor`. `changeCount` is how many `list_changed`
 * notifications arrived; it is part of the cache key, so a change (even one that arrived while the view
 * was not shown) lists again from the first page, while the old list stays on screen until then.
 */
export function useMcpList<T>(sessionId: string, method: ListMethod, enabled: boolean, changeCount: number): McpList<T> {
  const query = useInfiniteQuery<Page<T>, Error, InfiniteData<Page<T>, string | undefined>, readonly unknown[], string | undefined>({
    queryKey: ['mcp-list', sessionId, method, changeCount],
    placeholderData: keepPreviousData,
    initialPageParam: undefined,
    queryFn: async ({ pageParam }) => {
      const result = await rpcResult<Record<string, unknown>>(sessionId, method, pageParam === undefined ? undefined : { cursor: pageParam });
      const items = result?.[ITEMS_KEY[method]];
      const next = result?.nextCursor;
      return { items: Array.isArray(items) ? (items as T[]) : [], nextCursor: typeof next === 'string' && next !== '' ? next : undefined };
    },
    getNextPageParam: (last, all) => {
      if (!last.nextCursor) return undefined;
      // A server that hands back a cursor it already gave would page forever.
      const seen = all.slice(0, -1).some((page) => page.nextCursor === last.nextCursor);
      return seen ? undefined : last.nextCursor;
    },
    enabled,
    staleTime: Infinity,
    retry: false,
  });
  const items = useMemo(() => (query.data?.pages ?? []).flatMap((page) => page.items), [query.data]);
  return {
    items,
    hasMore: Boolean(query.hasNextPage),
    loadMore: () => void query.fetchNextPage(),
    pages: query.data?.pages.length ?? 0,
    query,
  };
}
