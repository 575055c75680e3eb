'use client';

import type { TransportChoice } from '@/lib/contract';
import { Badge, IconButton, IconX, timeAgo } from '../ui';
import type { RecentOutcome, RecentServer } from './recent';

const OUTCOME: Record<RecentOutcome, { label: string; tone: 'ok' | 'warn' | 'err' }> = {
  connected: { label: 'connected', tone: 'ok' },
  auth_required: { label: 'needs sign-in', tone: 'warn' },
  failed: { label: 'failed', tone: 'err' },
};

const TRANSPORT_LABEL: Record<TransportChoice, string> = { auto: 'auto', 'streamable-http': 'HTTP', sse: 'SSE' };

export function RecentServers({
  servers,
  onPick,
  onForget,
}: {
  servers: RecentServer[];
  onPick: (server: RecentServer) => void;
  onForget: (server: RecentServer) => void;
}) {
  if (servers.length === 0) return null;
  return (
    <section aria-label="Recent servers" className="mt-6">
      <h2 className="field-label">Recent servers</h2>
      <ul className="divide-y divide-line overflow-hidden rounded border border-line bg-panel" data-testid="recent-servers">
        {servers.map((server) => (
          <li key={`${server.transport} ${server.url}`} className="group flex items-center" data-testid="recent-server">
            <button
              type="button"
              onClick={() => onPick(server)}
              title="Fill the form with this server"
              className="flex min-w-0 flex-1 items-center gap-2 px-3 py-1.5 text-left hover:bg-hover"
            >
              <span className="truncate font-mono text-xs" title={server.url}>
                {server.url}
              </span>
              {server.outcome ? (
                <Badge
                  className="ml-auto"
                  tone={OUTCOME[server.outcome].tone}
                  data-testid="recent-outcome"
                  data-outcome={server.outcome}
                  title={`Last connect: ${OUTCOME[server.outcome].label}${server.errorCode ? ` (${server.errorCode})` : ''}`}
                >
                  {OUTCOME[server.outcome].label}
                </Badge>
              ) : (
                <span className="ml-auto" />
              )}
              <Badge>{TRANSPORT_LABEL[server.transport]}</Badge>
              <span className="w-20 shrink-0 text-right text-[11px] text-faint">{timeAgo(server.at)}</span>
            </button>
            <IconButton
              onClick={() => onForget(server)}
              label={`Remove ${server.url} from recent servers`}
              title="Remove from recent servers"
              data-testid="recent-remove"
              className="mr-1"
            >
              <IconX className="h-3.5 w-3.5" />
            </IconButton>
          </li>
        ))}
      </ul>
    </section>
  );
}
