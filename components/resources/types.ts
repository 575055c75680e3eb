// The MCP shapes the resources view reads, kept loose: servers send all sorts.
import type { ContentAnnotations, ResourceLinkContent } from '../api';
import type { ResourceContents } from './ContentPreview';

/** A listed resource: MCP's resource_link content block is a resource with its type, so the fields are the same. */
export interface ResourceInfo extends Omit<ResourceLinkContent, 'type'> {
  _meta?: Record<string, unknown>;
}

export interface ResourceTemplateInfo {
  uriTemplate: string;
  name?: string;
  title?: string;
  description?: string;
  mimeType?: string;
  annotations?: ContentAnnotations;
}

export interface ReadResult {
  contents?: ResourceContents[];
  _meta?: Record<string, unknown>;
}

export function resourceLabel(item: { title?: string; name?: string; uri?: string; uriTemplate?: string }): string {
  return item.title || item.name || item.uri || item.uriTemplate || '(unnamed)';
}
