'use client';

import { useMemo } from 'react';
import type { SessionSummary } from '@/lib/contract';
import { describeFailure, useMcpList } from '../api';
import type { LogStore } from '../log-store';
import { useNotificationCount } from '../notifications';
import {
  EmptyState,
  IconAlert,
  ListChangeNotice,
  ListFooter,
  ListOption,
  ListSearchRow,
  PagedListBody,
  RefreshButton,
  SearchBox,
  Spinner,
  SubTabs,
  cn,
  useStickyState,
} from '../ui';
import { ResourceDetail } from './ResourceDetail';
import { TemplateDetail } from './TemplateDetail';
import { resourceLabel, type ResourceInfo, type ResourceTemplateInfo } from './types';
import { useLastSubscriptionRestore, useResourceSubscriptions } from './use-subscriptions';

type Pane = 'resources' | 'templates';
type Selection = { kind: 'resource'; uri: string } | { kind: 'template'; uriTemplate: string } | null;

function matches(
  item: { name?: string; title?: string; uri?: string; uriTemplate?: string; description?: string },
  query: string,
): boolean {
  if (!query) return true;
  return [item.name, item.title, item.uri, item.uriTemplate, item.description].some((field) => field?.toLowerCase().includes(query));
}

/** Resources and resource templates: paged lists on the left, a resource's contents or a template's form on the right. */
export function ResourcesView({ sessionId, store, summary }: { sessionId: string; store: LogStore; summary: SessionSummary | undefined }) {
  const connected = summary?.state === 'connected';
  const capabilities = summary?.server?.capabilities ?? {};
  const offersResources = 'resources' in capabilities;
  const enabled = connected && offersResources;
  const changes = useNotificationCount(store, 'notifications/resources/list_changed');
  const resources = useMcpList<ResourceInfo>(sessionId, 'resources/list', enabled, changes);
  const templates = useMcpList<ResourceTemplateInfo>(sessionId, 'resources/templates/list', enabled, changes);
  const subscriptions = useResourceSubscriptions(sessionId, summary);
  const [pane, setPane] = useStickyState<Pane>(sessionId, 'resources-pane', 'resources');
  const [search, setSearch] = useStickyState(sessionId, 'resources-search', '');
  const [selection, setSelection] = useStickyState<Selection>(sessionId, 'resources-selection', null);
  const query = search.trim().toLowerCase();

  const shownResources = useMemo(() => resources.items.filter((item) => matches(item, query)), [resources.items, query]);
  const shownTemplates = useMemo(() => templates.items.filter((item) => matches(item, query)), [templates.items, query]);
  const updatedCount = useNotificationCount(store, 'notifications/resources/updated');
  const restore = useLastSubscriptionRestore(store);
  const [dismissedRestore, setDismissedRestore] = useStickyState<string | null>(sessionId, 'resources-restore-dismissed', null);
  const [dismissedChange, setDismissedChange] = useStickyState<number | null>(sessionId, 'resources-change-dismissed', null);

  if (!summary || summary.state === 'connecting') return <EmptyState title="Waiting for the connection…" icon={<Spinner />} />;
  if (!connected && !resources.query.data) {
    return (
      <EmptyState title="Not connected" testId="resources-unavailable">
        Resources are read live from the server; connect to browse them.
      </EmptyState>
    );
  }
  if (!offersResources) {
    return (
      <EmptyState title="This server offers no resources" testId="resources-none">
        It did not declare the resources capability during the handshake.
      </EmptyState>
    );
  }

  const active = pane === 'resources' ? resources : templates;
  const selectedResource =
    selection?.kind === 'resource' ? (resources.items.find((item) => item.uri === selection.uri) ?? { uri: selection.uri }) : undefined;
  const selectedTemplate =
    selection?.kind === 'template' ? templates.items.find((item) => item.uriTemplate === selection.uriTemplate) : undefined;

  const method = pane === 'resources' ? 'resources/list' : 'resources/templates/list';
  const noun = pane === 'resources' ? 'resource' : 'template';
  const shownCount = pane === 'resources' ? shownResources.length : shownTemplates.length;
  const rows =
    pane === 'resources'
      ? shownResources.map((item) => {
          const selected = selection?.kind === 'resource' && selection.uri === item.uri;
          return (
            <ListOption
              key={item.uri}
              selected={selected}
              onClick={() => setSelection({ kind: 'resource', uri: item.uri })}
              data-testid="resource-item"
              data-uri={item.uri}
              title={item.description}
            >
              <span className="flex items-center gap-1.5">
                <span className="truncate text-[13px] font-medium">{resourceLabel(item)}</span>
                {subscriptions.subscribed.includes(item.uri) && (
                  <span className="h-1.5 w-1.5 shrink-0 rounded-full bg-ok" title="Subscribed" />
                )}
              </span>
              <span className="block truncate font-mono text-[11px] text-muted">{item.uri}</span>
              {item.mimeType && <span className="block truncate text-[10px] text-faint">{item.mimeType}</span>}
            </ListOption>
          );
        })
      : shownTemplates.map((item) => {
          const selected = selection?.kind === 'template' && selection.uriTemplate === item.uriTemplate;
          return (
            <ListOption
              key={item.uriTemplate}
              selected={selected}
              onClick={() => setSelection({ kind: 'template', uriTemplate: item.uriTemplate })}
              data-testid="template-item"
              data-uri-template={item.uriTemplate}
              title={item.description}
            >
              <span className="block truncate text-[13px] font-medium">{resourceLabel(item)}</span>
              <span className="block truncate font-mono text-[11px] text-muted">{item.uriTemplate}</span>
            </ListOption>
          );
        });

  return (
    <div className="flex h-full min-h-0" data-testid="resources-view">
      <aside className="flex w-[320px] shrink-0 flex-col border-r border-line bg-panel">
        <SubTabs<Pane>
          tabs={[
            {
              key: 'resources',
              label: `Resources ${resources.items.length}${resources.hasMore ? '+' : ''}`,
              testId: 'resources-pane-resources',
            },
            {
              key: 'templates',
              label: `Templates ${templates.items.length}${templates.hasMore ? '+' : ''}`,
              testId: 'resources-pane-templates',
            },
          ]}
          active={pane}
          onChange={setPane}
        />
        <ListSearchRow>
          <SearchBox
            value={search}
            onSearch={setSearch}
            placeholder={pane === 'resources' ? 'Search resources' : 'Search templates'}
            data-testid="resource-search"
            aria-label="Search resources"
          />
          <RefreshButton
            onClick={() => void active.query.refetch()}
            title={`List again (${method})`}
            label="List again"
            testId="resources-refresh"
            spinning={active.query.isFetching}
          />
        </ListSearchRow>
        {active.query.isError && active.items.length > 0 && (
          <div className="shrink-0 border-b border-err/40 bg-err-soft px-3 py-1 text-xs text-err" role="alert">
            {describeFailure(active.query.error)}
          </div>
        )}
        {active.change && active.change.at !== dismissedChange && (
          <ListChangeNotice
            title={`The server changed its ${pane === 'resources' ? 'resources' : 'resource templates'}`}
            method="notifications/resources/list_changed"
            change={active.change}
            onDismiss={() => setDismissedChange(active.change?.at ?? null)}
            testId="resources-changed"
          />
        )}
        {restore && restore.phaseId !== dismissedRestore && (
          <div
            className={cn(
              'flex shrink-0 items-start gap-1.5 border-b px-3 py-1.5 text-xs',
              restore.status === 'ok' ? 'border-line bg-accent-soft' : 'border-warn/40 bg-warn-soft',
            )}
            role="status"
            data-testid="subscriptions-restored"
            data-status={restore.status}
          >
            <span className="min-w-0 flex-1 break-words">
              <span className="font-semibold">After reconnecting:</span> {restore.error?.message ?? restore.detail}
            </span>
            <button
              type="button"
              onClick={() => setDismissedRestore(restore.phaseId)}
              aria-label="Dismiss"
              className="shrink-0 rounded px-1 text-muted hover:bg-hover hover:text-fg"
            >
              ×
            </button>
          </div>
        )}
        <div role="listbox" aria-label={pane} className="min-h-0 flex-1 overflow-auto py-1" data-testid={`${pane}-list`}>
          <PagedListBody
            list={active}
            method={method}
            failureTestId="resources-error"
            describeError={describeFailure}
            shownCount={shownCount}
            emptyNote={query ? `No ${noun} matches “${search}”.` : `${method} returned no ${noun}s.`}
          >
            {rows}
          </PagedListBody>
        </div>
        <ListFooter testId="resources-footer">
          {active.pages} page{active.pages === 1 ? '' : 's'} · {changes} list change{changes === 1 ? '' : 's'} · {updatedCount} update
          {updatedCount === 1 ? '' : 's'}
        </ListFooter>
      </aside>
      <section className="min-w-0 flex-1 overflow-auto bg-bg">
        {selectedResource ? (
          <ResourceDetail
            key={selectedResource.uri}
            sessionId={sessionId}
            store={store}
            resource={selectedResource}
            connected={connected}
            subscriptions={subscriptions}
          />
        ) : selectedTemplate ? (
          <TemplateDetail
            key={selectedTemplate.uriTemplate}
            sessionId={sessionId}
            store={store}
            template={selectedTemplate}
            connected={connected}
            completions={'completions' in capabilities}
          />
        ) : (
          <EmptyState
            title={pane === 'resources' ? 'Pick a resource' : 'Pick a template'}
            icon={<IconAlert className="h-6 w-6 opacity-0" />}
          >
            {pane === 'resources'
              ? 'Select a resource on the left to read it. Binary contents are previewed by MIME type, or shown as a hex dump.'
              : 'Select a template to fill in its variables (with the server’s completion suggestions) and read the resulting URI.'}
          </EmptyState>
        )}
      </section>
    </div>
  );
}
