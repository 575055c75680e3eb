// What a `list_changed` changed: the names (or URIs) added, removed and redefined between two listings,
// so a view can say more than "something changed".

export interface ListChange {
  added: string[];
  removed: string[];
  /** Same name or URI, different definition (description, schema, ...). */
  changed: string[];
  /** Epoch ms when the new list arrived. */
  at: number;
  /** False when one of the lists was only partly loaded (pagination): `removed` is then left empty. */
  complete: boolean;
}

/** Compares two listings by `keyOf`; the order of items does not count as a change. */
export function diffList<T>(
  before: readonly T[],
  after: readonly T[],
  keyOf: (item: T) => string,
  options: { complete?: boolean; at?: number } = {},
): ListChange {
  const complete = options.complete ?? true;
  const old = new Map(before.map((item) => [keyOf(item), stableJson(item)]));
  const added: string[] = [];
  const changed: string[] = [];
  const seen = new Set<string>();
  for (const item of after) {
    const key = keyOf(item);
    seen.add(key);
    const previous = old.get(key);
    if (previous === undefined) added.push(key);
    else if (previous !== stableJson(item)) changed.push(key);
  }
  const removed = complete ? [...old.keys()].filter((key) => !seen.has(key)) : [];
  return { added, removed, changed, at: options.at ?? Date.now(), complete };
}

export function isEmptyChange(change: ListChange): boolean {
  return change.added.length === 0 && change.removed.length === 0 && change.changed.length === 0;
}

/** JSON with object keys sorted, so two equal definitions compare equal whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
