// Recently used servers, remembered in this browser. Only the URL and transport: never headers or tokens.
import type { TransportChoice } from '@/lib/contract';

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

export function rememberServer(url: string, transport: TransportChoice): RecentServer[] {
  const rest = loadRecent().filter((item) => !(item.url === url && item.transport === transport));
  return save([{ url, transport, at: Date.now() }, ...rest].slice(0, MAX));
}

export function forgetServer(url: string, transport: TransportChoice): RecentServer[] {
  return save(loadRecent().filter((item) => !(item.url === url && item.transport === transport)));
}
