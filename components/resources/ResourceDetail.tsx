'use client';

import type { LogStore } from '../log-store';
import { Badge, Button, CopyButton, formatBytes } from '../ui';
import { ReadPanel } from './ReadPanel';
import { resourceLabel, type ResourceInfo } from './types';
import type { ResourceSubscriptions } from './use-subscriptions';

export function ResourceDetail({
  sessionId,
  store,
  resource,
  connected,
  subscriptions,
}: {
  sessionId: string;
  store: LogStore;
  resource: ResourceInfo;
  connected: boolean;
  subscriptions: ResourceSubscriptions;
}) {
  const subscribed = subscriptions.subscribed.includes(resource.uri);
  const annotations = resource.annotations;
  return (
    <div className="flex flex-col" data-testid="resource-detail" data-uri={resource.uri}>
      <div className="border-b border-line bg-panel px-4 py-2.5">
        <div className="flex items-center gap-2">
          <h2 className="truncate text-[15px] font-semibold" data-testid="resource-title">
            {resourceLabel(resource)}
          </h2>
          {resource.title && resource.name && resource.title !== resource.name && (
            <span className="truncate font-mono text-xs text-muted">{resource.name}</span>
          )}
          <span className="ml-auto flex shrink-0 items-center gap-2">
            <Button
              size="sm"
              variant="secondary"
              onClick={() => subscriptions.toggle(resource.uri)}
              disabled={!subscriptions.supported || subscriptions.pendingUri !== undefined}
              title={
                subscriptions.unsupportedReason ??
                (subscriptions.mode === 'listen'
                  ? 'Adds this URI to the subscriptions/listen filter (2026-07-28)'
                  : subscribed
                    ? 'Sends resources/unsubscribe'
                    : 'Sends resources/subscribe; updates arrive as notifications/resources/updated')
              }
              data-testid="subscribe-resource"
              aria-pressed={subscribed}
            >
              {subscriptions.pendingUri === resource.uri ? '…' : subscribed ? 'Unsubscribe' : 'Subscribe'}
            </Button>
          </span>
        </div>
        <div className="mt-0.5 flex items-center gap-1 font-mono text-xs break-all text-accent" data-testid="resource-uri">
          {resource.uri}
          <CopyButton text={resource.uri} label="Copy URI" />
        </div>
        {resource.description && <p className="mt-1 text-[13px] whitespace-pre-line text-muted">{resource.description}</p>}
        <div className="mt-1.5 flex flex-wrap items-center gap-1.5 text-[11px] text-muted">
          {resource.mimeType && <Badge mono>{resource.mimeType}</Badge>}
          {resource.size !== undefined && <Badge>{formatBytes(resource.size)}</Badge>}
          {annotations?.audience && <Badge>audience: {annotations.audience.join(', ')}</Badge>}
          {annotations?.priority !== undefined && <Badge>priority {annotations.priority}</Badge>}
          {annotations?.lastModified && <Badge>modified {annotations.lastModified}</Badge>}
          {subscribed && (
            <Badge tone="ok" data-testid="subscribed-badge">
              subscribed{subscriptions.mode === 'listen' ? ' (listen)' : ''}
            </Badge>
          )}
        </div>
        {subscriptions.error && (
          <div className="mt-1 text-xs text-err" role="alert">
            {subscriptions.error}
          </div>
        )}
      </div>
      <div className="p-4">
        <ReadPanel sessionId={sessionId} uri={resource.uri} store={store} canRead={connected} autoRead subscribed={subscribed} />
      </div>
    </div>
  );
}
