// What a tool or resource says about its MCP App (SEP-1865 `_meta.ui`), read defensively: these are a server's
// strings. Pure: the tool list, the view host and the server-side log all read the same answer.
import { isJsonObject } from '../json';

/** The MIME type of an MCP App view (`text/html;profile=mcp-app`). */
export const APP_MIME_TYPE = 'text/html;profile=mcp-app';

/** The extension's identifier, as advertised in `capabilities.extensions`. */
export const APPS_EXTENSION_ID = 'io.modelcontextprotocol/ui';

/** The version of the MCP Apps specification this host implements (the ext-apps SDK's protocol version). */
export const APPS_SPEC_VERSION = '2026-01-26';

const MAX_URI = 2048;

/**
 * The `ui://` resource a tool renders, from `_meta.ui.resourceUri` or the older flat `_meta["ui/resourceUri"]`
 * (the nested key wins). Undefined when there is none or it is not a `ui://` URI.
 */
export function appResourceUri(tool: { _meta?: unknown } | undefined): string | undefined {
  const meta = tool?._meta;
  if (!isJsonObject(meta)) return undefined;
  const ui = meta.ui;
  const nested = isJsonObject(ui) ? ui.resourceUri : undefined;
  const value = nested !== undefined ? nested : meta['ui/resourceUri'];
  return isUiUri(value) ? value : undefined;
}

export function isUiUri(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_URI && value.startsWith('ui://') && !/[\u0000-\u001f\u007f]/.test(value);
}

export type AppVisibility = 'model' | 'app';

/** Who may call the tool: `_meta.ui.visibility`, default both the model (here: the person) and the app. */
export function toolVisibility(tool: { _meta?: unknown } | undefined): AppVisibility[] {
  const meta = tool?._meta;
  const ui = isJsonObject(meta) ? meta.ui : undefined;
  const list = isJsonObject(ui) ? ui.visibility : undefined;
  if (!Array.isArray(list)) return ['model', 'app'];
  return list.filter((v): v is AppVisibility => v === 'model' || v === 'app');
}

export function visibleToApps(tool: { _meta?: unknown } | undefined): boolean {
  return toolVisibility(tool).includes('app');
}

/** The CSP a view's resource declares (`_meta.ui.csp`), each list kept to well-formed origins. */
export interface AppCsp {
  connectDomains: string[];
  resourceDomains: string[];
  frameDomains: string[];
  baseUriDomains: string[];
}

export interface AppPermissions {
  camera?: object;
  microphone?: object;
  geolocation?: object;
  clipboardWrite?: object;
}

export interface AppResourceMeta {
  csp: AppCsp;
  permissions: AppPermissions;
  prefersBorder?: boolean;
}

const MAX_DOMAINS = 32;
// An origin a CSP can carry: scheme, host (a leading `*.` wildcard allowed) and an optional port. Nothing that
// could end a directive or add a keyword (`;`, quotes, spaces) gets through.
const CSP_ORIGIN = /^(https?|wss?):\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:(\d{1,5}|\*))?$/i;

function domains(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') continue;
    const trimmed = item.trim().replace(/\/+$/, '');
    if (CSP_ORIGIN.test(trimmed) && !out.includes(trimmed)) out.push(trimmed);
    if (out.length >= MAX_DOMAINS) break;
  }
  return out;
}

/** A declared CSP (`_meta.ui.csp`) kept to well-formed origins; anything else reads as not declared. */
export function appCsp(value: unknown): AppCsp {
  const csp = isJsonObject(value) ? value : {};
  return {
    connectDomains: domains(csp.connectDomains),
    resourceDomains: domains(csp.resourceDomains),
    frameDomains: domains(csp.frameDomains),
    baseUriDomains: domains(csp.baseUriDomains),
  };
}

/** Reads `_meta.ui` of a resource content (or listing); what is malformed is left out, never widened. */
export function appResourceMeta(meta: unknown): AppResourceMeta {
  const ui = isJsonObject(meta) && isJsonObject(meta.ui) ? meta.ui : {};
  const permissions: AppPermissions = {};
  if (isJsonObject(ui.permissions)) {
    for (const key of ['camera', 'microphone', 'geolocation', 'clipboardWrite'] as const) {
      if (isJsonObject(ui.permissions[key])) permissions[key] = {};
    }
  }
  return {
    csp: appCsp(ui.csp),
    permissions,
    ...(typeof ui.prefersBorder === 'boolean' ? { prefersBorder: ui.prefersBorder } : {}),
  };
}

/** The view's Content-Security-Policy: what its resource declared and nothing wider (spec § Security). */
export function viewContentSecurityPolicy(csp: AppCsp): string {
  const res = csp.resourceDomains;
  const list = (base: string[], extra: string[]) => [...base, ...extra].join(' ');
  return [
    `default-src 'none'`,
    // Views are single HTML documents with inline scripts and styles (the SDK's own build makes them so).
    `script-src ${list(["'self'", "'unsafe-inline'"], res)}`,
    `style-src ${list(["'self'", "'unsafe-inline'"], res)}`,
    `img-src ${list(["'self'", 'data:', 'blob:'], res)}`,
    `font-src ${list(["'self'", 'data:'], res)}`,
    `media-src ${list(["'self'", 'data:', 'blob:'], res)}`,
    `connect-src ${csp.connectDomains.length > 0 ? csp.connectDomains.join(' ') : "'none'"}`,
    `frame-src ${csp.frameDomains.length > 0 ? csp.frameDomains.join(' ') : "'none'"}`,
    `object-src 'none'`,
    `base-uri ${csp.baseUriDomains.length > 0 ? csp.baseUriDomains.join(' ') : "'self'"}`,
    `form-action 'none'`,
  ].join('; ');
}
