// Recently used servers, remembered in this browser. Only the URL and transport: never headers or tokens, and
// the URL with its credential query values masked (`?api_key=••••abcd`) as everywhere else in mcpscope: what
// localStorage holds is readable by any script on the page and stays on the disk.
import type { TransportChoice } from '@/lib/contract';
import { MASK, maskUrl } from '@/lib/trace';

export interface RecentServer {
  url: string;
  transport: TransportChoice;
  /** Epoch ms of the last connect. */
  at: number;
}

const KEY = 'mcpscope.recent';
const MAX = 8;
const TRANSPORTS: readonly TransportChoice[] = ['auto', 'streamable-http', 'sse'];

export function loadRecent(): RecentServer[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter(
        (item): item is RecentServer =>
          typeof item === 'object' &&
          item !== null &&
          typeof item.url === 'string' &&
          TRANSPORTS.includes(item.transport) &&
          typeof item.at === 'number',
      )
      // Entries an older mcpscope stored in clear are masked as they are read (and saved so on the next change).
      .map((item) => ({ ...item, url: maskUrl(item.url) }))
      .slice(0, MAX);
  } catch {
    return [];
  }
}

function save(list: RecentServer[]): RecentServer[] {
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Storage full or disabled: the list simply is not remembered.
  }
  return list;
}

export function rememberServer(typed: string, transport: TransportChoice): RecentServer[] {
  const url = maskUrl(typed);
  const rest = loadRecent().filter((item) => !(item.url === url && item.transport === transport));
  return save([{ url, transport, at: Date.now() }, ...rest].slice(0, MAX));
}

export function forgetServer(url: string, transport: TransportChoice): RecentServer[] {
  const masked = maskUrl(url);
  return save(loadRecent().filter((item) => !(item.url === masked && item.transport === transport)));
}

/** The query parameters of a remembered URL whose values were secrets: the person types them again. */
export function maskedParamNames(url: string): string[] {
  try {
    return [...new URL(url).searchParams].filter(([, value]) => value.startsWith(MASK)).map(([name]) => name);
  } catch {
    return [];
  }
}
