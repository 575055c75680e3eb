// The server's MCP App views in one list: `ui://` resources it lists (or lists with the app MIME type), and those
// its tools point at without listing them. Pure: the Apps view and its tests read the same answer.
import { APP_MIME_TYPE, appResourceUri, isUiUri } from './meta';

export interface AppCatalogEntry<T> {
  uri: string;
  name?: string;
  title?: string;
  description?: string;
  mimeType?: string;
  /** resources/list has it (otherwise only a tool names it). */
  listed: boolean;
  /** The tools whose `_meta.ui.resourceUri` names it, in list order. */
  tools: T[];
}

interface ListedResource {
  uri?: unknown;
  name?: unknown;
  title?: unknown;
  description?: unknown;
  mimeType?: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function appCatalog<T extends { name: string; _meta?: unknown }>(
  resources: readonly ListedResource[],
  tools: readonly T[],
): AppCatalogEntry<T>[] {
  const byUri = new Map<string, AppCatalogEntry<T>>();
  for (const resource of resources) {
    const uri = resource.uri;
    const mimeType = text(resource.mimeType);
    const isApp = isUiUri(uri) || (typeof uri === 'string' && mimeType?.toLowerCase().replace(/\s+/g, '') === APP_MIME_TYPE);
    if (!isApp || typeof uri !== 'string' || byUri.has(uri)) continue;
    byUri.set(uri, {
      uri,
      name: text(resource.name),
      title: text(resource.title),
      description: text(resource.description),
      mimeType,
      listed: true,
      tools: [],
    });
  }
  for (const tool of tools) {
    const uri = appResourceUri(tool);
    if (!uri) continue;
    let entry = byUri.get(uri);
    if (!entry) {
      entry = { uri, listed: false, tools: [] };
      byUri.set(uri, entry);
    }
    entry.tools.push(tool);
  }
  return [...byUri.values()];
}
