// Recently used servers, remembered in this browser. Only the URL and transport: never headers or tokens, and
// the URL with its credential query values masked (`?api_key=••••abcd`) as everywhere else in mcpscope: what
// localStorage holds is readable by any script on the page and stays on the disk.
import type { TransportChoice } from '@/lib/contract';
import { MASK, maskUrl } from '@/lib/trace';

/** How the last connect to a server ended, as the workspace saw it. */
export type RecentOutcome = 'connected' | 'auth_required' | 'failed';

export interface RecentServer {
  url: string;
  transport: TransportChoice;
  /** Epoch ms of the last connect. */
  at: number;
  /** How it ended (unset while unknown: the connect was still under way when the page was left). */
  outcome?: RecentOutcome;
  /** The error code when it failed (never the message: it may quote what the server said). */
  errorCode?: string;
}

const OUTCOMES: readonly RecentOutcome[] = ['connected', 'auth_required', 'failed'];

const KEY = 'mcpscope.recent';
const MAX = 8;
const TRANSPORTS: readonly TransportChoice[] = ['auto', 'streamable-http', 'sse'];

export function loadRecent(): RecentServer[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return (
      parsed
        .filter(
          (item): item is RecentServer =>
            typeof item === 'object' &&
            item !== null &&
            typeof item.url === 'string' &&
            TRANSPORTS.includes(item.transport) &&
            typeof item.at === 'number',
        )
        // Entries an older mcpscope stored in clear are masked as they are read (and saved so on the next change).
        .map((item) => ({
          url: maskUrl(item.url),
          transport: item.transport,
          at: item.at,
          ...(OUTCOMES.includes(item.outcome as RecentOutcome) ? { outcome: item.outcome } : {}),
          ...(typeof item.errorCode === 'string' && /^[\w.-]{1,64}$/.test(item.errorCode) ? { errorCode: item.errorCode } : {}),
        }))
        .slice(0, MAX)
    );
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

/**
 * Notes how the last connect to a server ended. `url` is the session's shown URL (already masked the same way);
 * a server no longer in the list (forgotten meanwhile) is not added back.
 */
export function recordOutcome(url: string, transport: TransportChoice, outcome: RecentOutcome, errorCode?: string): RecentServer[] {
  const masked = maskUrl(url);
  const list = loadRecent();
  const entry = list.find((item) => item.url === masked && item.transport === transport);
  if (!entry || (entry.outcome === outcome && entry.errorCode === errorCode)) return list;
  entry.outcome = outcome;
  if (outcome === 'failed' && errorCode) entry.errorCode = errorCode;
  else delete entry.errorCode;
  return save(list);
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
