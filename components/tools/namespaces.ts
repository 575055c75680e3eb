// Tool list helpers: search and grouping by namespace prefix (`github__create_issue`, `files.read`). Pure.
import type { ToolInfo } from '../api';

export interface ToolGroup {
  /** null for tools without a shared prefix. */
  namespace: string | null;
  tools: ToolInfo[];
}

export function namespaceOf(name: string): string | null {
  const double = name.indexOf('__');
  if (double > 0) return name.slice(0, double);
  const dot = name.indexOf('.');
  if (dot > 0) return name.slice(0, dot);
  return null;
}

/** Groups tools by prefix when at least two tools share one; everything else stays ungrouped, first. */
export function groupTools(tools: readonly ToolInfo[]): ToolGroup[] {
  const byNamespace = new Map<string, ToolInfo[]>();
  for (const tool of tools) {
    const namespace = namespaceOf(tool.name);
    if (!namespace) continue;
    const list = byNamespace.get(namespace);
    if (list) list.push(tool);
    else byNamespace.set(namespace, [tool]);
  }
  const grouped = new Set([...byNamespace].filter(([, list]) => list.length >= 2).map(([namespace]) => namespace));
  if (grouped.size === 0) return [{ namespace: null, tools: [...tools] }];
  const loose = tools.filter((tool) => {
    const namespace = namespaceOf(tool.name);
    return !namespace || !grouped.has(namespace);
  });
  const groups: ToolGroup[] = loose.length > 0 ? [{ namespace: null, tools: loose }] : [];
  for (const namespace of [...grouped].sort()) groups.push({ namespace, tools: byNamespace.get(namespace) ?? [] });
  return groups;
}

/** Case-insensitive match on name, title and description; name and title matches rank first. */
export function searchTools(tools: readonly ToolInfo[], query: string): ToolInfo[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [...tools];
  const strong: ToolInfo[] = [];
  const weak: ToolInfo[] = [];
  for (const tool of tools) {
    if (tool.name.toLowerCase().includes(needle) || (tool.title ?? tool.annotations?.title ?? '').toLowerCase().includes(needle)) {
      strong.push(tool);
    } else if ((tool.description ?? '').toLowerCase().includes(needle)) {
      weak.push(tool);
    }
  }
  return [...strong, ...weak];
}

export function toolLabel(tool: ToolInfo): string {
  return tool.title || tool.annotations?.title || tool.name;
}
