'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { describeFailure, getRoots, putRoots, queryKeys, type RootEntry, type RootsBody } from '../api';
import { Button, IconPlus, IconX } from '../ui';

interface Draft {
  key: number;
  uri: string;
  name: string;
}

let nextKey = 1;
const toDrafts = (roots: readonly RootEntry[]): Draft[] => roots.map((root) => ({ key: nextKey++, uri: root.uri, name: root.name ?? '' }));

function problemOf(draft: Draft, all: readonly Draft[]): string | undefined {
  const uri = draft.uri.trim();
  if (!uri) return 'A root needs a URI.';
  if (!/^file:\/\//i.test(uri)) return 'Roots are file:// URIs.';
  if (all.filter((other) => other.uri.trim() === uri).length > 1) return 'Listed twice.';
  return undefined;
}

/** How each field of a root's row looks and what its label calls it. */
const FIELDS = {
  uri: { label: 'URI', placeholder: 'file:///path/to/project', className: 'input-mono' },
  name: { label: 'name', placeholder: 'name (optional)', className: 'input min-w-0 flex-[2]' },
} as const;

/** One field of a root's row, named by the row's number for screen readers ("Root 2 URI"). */
function RootInput({
  field,
  draft,
  index,
  onEdit,
  invalid = false,
}: {
  field: keyof typeof FIELDS;
  draft: Draft;
  index: number;
  onEdit: (key: number, patch: Partial<Draft>) => void;
  invalid?: boolean;
}) {
  const { label, placeholder, className } = FIELDS[field];
  return (
    <input
      className={className}
      placeholder={placeholder}
      value={draft[field]}
      onChange={(event) => onEdit(draft.key, { [field]: event.target.value })}
      aria-label={`Root ${index + 1} ${label}`}
      aria-invalid={invalid ? true : undefined}
      data-testid={`root-${field}`}
    />
  );
}

/**
 * The roots mcpscope offers the server. `roots/list` is answered from this list automatically; saving
 * a change sends `notifications/roots/list_changed`, after which servers usually ask again.
 */
export function RootsEditor({ sessionId, connected }: { sessionId: string; connected: boolean }) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: queryKeys.roots(sessionId), queryFn: () => getRoots(sessionId), staleTime: Infinity });
  // The saved roots until the person edits them (the query is never refetched; a save replaces both).
  const [edited, setDrafts] = useState<Draft[] | null>(null);
  const loaded = useMemo(() => (query.data ? toDrafts(query.data.roots) : null), [query.data]);
  const drafts = edited ?? loaded;

  const save = useMutation({
    mutationFn: (roots: RootEntry[]) => putRoots(sessionId, roots),
    onSuccess: (body: RootsBody) => {
      queryClient.setQueryData(queryKeys.roots(sessionId), body);
      setDrafts(toDrafts(body.roots));
    },
  });

  const rows = drafts ?? [];
  const problems = rows.map((draft) => problemOf(draft, rows));
  const saved = query.data?.roots ?? [];
  const dirty =
    rows.length !== saved.length ||
    rows.some((draft, index) => draft.uri.trim() !== saved[index]?.uri || (draft.name.trim() || undefined) !== saved[index]?.name);
  const update = (key: number, patch: Partial<Draft>) =>
    setDrafts((current) => (current ?? loaded ?? []).map((draft) => (draft.key === key ? { ...draft, ...patch } : draft)));

  return (
    <div className="flex flex-col gap-2" data-testid="roots-editor">
      {rows.length === 0 && <div className="text-xs text-muted">No roots: roots/list is answered with an empty list.</div>}
      {rows.map((draft, index) => (
        <div key={draft.key} className="flex items-start gap-1.5" data-testid="root-row">
          <div className="min-w-0 flex-[3]">
            <RootInput field="uri" draft={draft} index={index} onEdit={update} invalid={problems[index] !== undefined} />
            {problems[index] && <div className="mt-0.5 text-[11px] text-err">{problems[index]}</div>}
          </div>
          <RootInput field="name" draft={draft} index={index} onEdit={update} />
          <Button
            variant="ghost"
            size="md"
            onClick={() => setDrafts(rows.filter((other) => other.key !== draft.key))}
            aria-label={`Remove root ${index + 1}`}
          >
            <IconX className="h-3.5 w-3.5" />
          </Button>
        </div>
      ))}
      <div className="flex flex-wrap items-center gap-2">
        <Button size="sm" onClick={() => setDrafts([...rows, { key: nextKey++, uri: 'file:///', name: '' }])} data-testid="root-add">
          <IconPlus className="h-3 w-3" /> Add root
        </Button>
        <Button
          size="sm"
          variant="primary"
          onClick={() =>
            save.mutate(
              rows.map((draft) => (draft.name.trim() ? { uri: draft.uri.trim(), name: draft.name.trim() } : { uri: draft.uri.trim() })),
            )
          }
          disabled={!dirty || problems.some(Boolean) || save.isPending}
          data-testid="roots-save"
          title={
            connected ? 'Saves the list and sends notifications/roots/list_changed' : 'Saves the list (it is sent when the server asks)'
          }
        >
          {save.isPending ? 'Saving…' : 'Save roots'}
        </Button>
        <span className="text-[11px] text-muted" data-testid="roots-status">
          {save.isError
            ? describeFailure(save.error)
            : save.data
              ? save.data.notified
                ? 'Saved; notifications/roots/list_changed sent'
                : save.data.notifyError
                  ? `Saved, but the notification failed: ${save.data.notifyError.message}`
                  : 'Saved (not connected: nothing was sent)'
              : dirty
                ? 'Unsaved changes'
                : ''}
        </span>
      </div>
    </div>
  );
}
