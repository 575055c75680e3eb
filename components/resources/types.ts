// The MCP shapes the resources view reads, kept loose: servers send all sorts.
import type { ResourceContents } from './ContentPreview';

export interface ResourceAnnotations {
  audience?: string[];
  priority?: number;
  lastModified?: string;
}

export interface ResourceInfo {
  uri: string;
  name?: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: ResourceAnnotations;
  _meta?: Record<string, unknown>;
}

export interface ResourceTemplateInfo {
  uriTemplate: string;
  name?: string;
  title?: string;
  description?: string;
  mimeType?: string;
  annotations?: ResourceAnnotations;
}

export interface ReadResult {
  contents?: ResourceContents[];
  _meta?: Record<string, unknown>;
}

export function resourceLabel(item: { title?: string; name?: string; uri?: string; uriTemplate?: string }): string {
  return item.title || item.name || item.uri || item.uriTemplate || '(unnamed)';
}
