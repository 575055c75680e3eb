'use client';

import {
  keepPreviousData,
  useInfiniteQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
  type UseInfiniteQueryResult,
} from '@tanstack/react-query';
import { useMemo } from 'react';
import { diffList, isEmptyChange, type ListChange } from './list-diff';
import { rpcResult } from './protocol';
import { queryKeys } from './query-keys';

export type ListMethod = 'resources/list' | 'resources/templates/list' | 'prompts/list';

const ITEMS_KEY: Record<ListMethod, string> = {
  'resources/list': 'resources',
  'resources/templates/list': 'resourceTemplates',
  'prompts/list': 'prompts',
};

/** What identifies an item of each list, for telling what a list_changed changed. */
const KEY_OF: Record<ListMethod, (item: Record<string, unknown>) => string> = {
  'resources/list': (item) => String(item.uri),
  'resources/templates/list': (item) => String(item.uriTemplate),
  'prompts/list': (item) => String(item.name),
};

interface Page<T> {
  items: T[];
  nextCursor?: string;
  /** On the first page listed after a list_changed: how it differs from the list shown before. */
  change?: ListChange;
}

export interface McpList<T> {
  items: T[];
  /** More pages exist: `loadMore()` fetches the next one (pagination is explicit, as on the wire). */
  hasMore: boolean;
  loadMore: () => void;
  pages: number;
  /** What the latest list_changed changed (set once the list was fetched again after one). */
  change: ListChange | undefined;
  query: UseInfiniteQueryResult<InfiniteData<Page<T>, string | undefined>, Error>;
}

/** The newest list cached before `changeCount` (the one on screen until the new one arrives). */
function previousListing(
  queryClient: QueryClient,
  sessionId: string,
  method: ListMethod,
  changeCount: number,
): InfiniteData<Page<unknown>> | undefined {
  let best: { count: number; data: InfiniteData<Page<unknown>> } | undefined;
  for (const [key, data] of queryClient.getQueriesData<InfiniteData<Page<unknown>>>({ queryKey: queryKeys.mcpLists(sessionId, method) })) {
    const count = key[3];
    if (typeof count !== 'number' || count >= changeCount || !data?.pages?.length) continue;
    if (!best || count > best.count) best = { count, data };
  }
  return best?.data;
}

/**
 * One paginated MCP list, page by page with `nextCursor`. `changeCount` is how many `list_changed`
 * notifications arrived; it is part of the cache key, so a change (even one that arrived while the view
 * was not shown) lists again from the first page, while the old list stays on screen until then.
 */
export function useMcpList<T>(sessionId: string, method: ListMethod, enabled: boolean, changeCount: number): McpList<T> {
  const queryClient = useQueryClient();
  const query = useInfiniteQuery<Page<T>, Error, InfiniteData<Page<T>, string | undefined>, readonly unknown[], string | undefined>({
    queryKey: queryKeys.mcpList(sessionId, method, changeCount),
    placeholderData: keepPreviousData,
    initialPageParam: undefined,
    queryFn: async ({ pageParam }) => {
      const result = await rpcResult<Record<string, unknown>>(
        sessionId,
        method,
        pageParam === undefined ? undefined : { cursor: pageParam },
      );
      const items = result?.[ITEMS_KEY[method]];
      const next = result?.nextCursor;
      const page: Page<T> = {
        items: Array.isArray(items) ? (items as T[]) : [],
        nextCursor: typeof next === 'string' && next !== '' ? next : undefined,
      };
      const previous =
        pageParam === undefined && changeCount > 0 ? previousListing(queryClient, sessionId, method, changeCount) : undefined;
      if (previous) {
        const before = previous.pages.flatMap((old) => old.items) as Array<Record<string, unknown>>;
        const complete = page.nextCursor === undefined && previous.pages.at(-1)?.nextCursor === undefined;
        const change = diffList(before, page.items as Array<Record<string, unknown>>, KEY_OF[method], { complete });
        // resources/list_changed also re-lists the templates: an unchanged template list is not news.
        if (method !== 'resources/templates/list' || !isEmptyChange(change)) page.change = change;
      }
      return page;
    },
    getNextPageParam: (last, all) => {
      if (!last.nextCursor) return undefined;
      // A server that hands back a cursor it already gave would page forever.
      const seen = all.slice(0, -1).some((page) => page.nextCursor === last.nextCursor);
      return seen ? undefined : last.nextCursor;
    },
    enabled,
    staleTime: Infinity,
    // The list before a change is what the new one is compared with, even after a long while on another tab.
    gcTime: 30 * 60_000,
    retry: false,
  });
  const items = useMemo(() => (query.data?.pages ?? []).flatMap((page) => page.items), [query.data]);
  return {
    items,
    hasMore: Boolean(query.hasNextPage),
    loadMore: () => void query.fetchNextPage(),
    pages: query.data?.pages.length ?? 0,
    change: query.data?.pages[0]?.change,
    query,
  };
}
