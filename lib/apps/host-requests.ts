// What a view asks the host to do on the person's machine (`ui/download-file`), read defensively and turned into a
// plan the person is shown before anything happens; plus the streamed tool input a host may send before the whole
// arguments (`ui/notifications/tool-input-partial`). Pure: the browser carries the plans out, tests read them.
import { checkServerUrl } from '../url-policy';
import { isJsonObject } from '../json';

/** One item of a `ui/download-file` request, as the person is asked about it. */
export type DownloadItem =
  | {
      kind: 'file';
      /** A file name with no path, no leading dot, nothing but letters, digits, `.`, `-` and `_`. */
      filename: string;
      /** The type the view claimed (shown only: the file is saved as bytes, never rendered). */
      mimeType: string;
      bytes: number;
      /** The content: UTF-8 text or base64. */
      text?: string;
      blob?: string;
    }
  | { kind: 'link'; href: string; name: string }
  | { kind: 'refused'; name: string; reason: string };

/** At most this many items per request; more are refused, not silently dropped. */
export const MAX_DOWNLOAD_ITEMS = 10;
/** At most this many bytes per embedded file (what the browser builds in memory). */
export const MAX_DOWNLOAD_BYTES = 8 * 1024 * 1024;
const MAX_NAME = 100;

/** The last path segment of a URI, cut to a name a file system takes without surprises. */
export function safeFilename(uri: unknown, fallback = 'download'): string {
  const raw = typeof uri === 'string' ? uri : '';
  let last = raw.split(/[?#]/)[0]!.split(/[\\/]/).filter(Boolean).at(-1) ?? '';
  try {
    last = decodeURIComponent(last);
  } catch {
    // A malformed escape stays as it is; the character filter below applies either way.
  }
  const cleaned = last
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, MAX_NAME);
  return cleaned && /[A-Za-z0-9]/.test(cleaned) ? cleaned : fallback;
}

function base64Bytes(blob: string): number {
  const clean = blob.replace(/\s+/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

function shortName(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD').slice(0, 120);
}

/**
 * The items of a `ui/download-file` request (`params.contents`: EmbeddedResource or ResourceLink), each planned or
 * refused with the reason. Links must pass lib/url-policy (https:, or http:); they are opened in a new tab after the
 * person agrees, never fetched by mcpscope.
 */
export function planDownload(params: unknown): DownloadItem[] {
  const contents = isJsonObject(params) && Array.isArray(params.contents) ? params.contents : [];
  const out: DownloadItem[] = [];
  contents.forEach((item, index) => {
    if (index >= MAX_DOWNLOAD_ITEMS) {
      if (index === MAX_DOWNLOAD_ITEMS)
        out.push({
          kind: 'refused',
          name: `${contents.length - MAX_DOWNLOAD_ITEMS} more`,
          reason: `more than ${MAX_DOWNLOAD_ITEMS} items`,
        });
      return;
    }
    if (!isJsonObject(item)) {
      out.push({ kind: 'refused', name: `item ${index + 1}`, reason: 'not an object' });
      return;
    }
    if (item.type === 'resource' && isJsonObject(item.resource)) {
      const resource = item.resource;
      const name = safeFilename(resource.uri, `download-${index + 1}`);
      const mimeType = typeof resource.mimeType === 'string' ? resource.mimeType.slice(0, 100) : 'application/octet-stream';
      if (typeof resource.text === 'string') {
        const bytes = utf8Bytes(resource.text);
        if (bytes > MAX_DOWNLOAD_BYTES) out.push({ kind: 'refused', name, reason: `larger than ${MAX_DOWNLOAD_BYTES} bytes` });
        else out.push({ kind: 'file', filename: name, mimeType, bytes, text: resource.text });
      } else if (typeof resource.blob === 'string' && /^[A-Za-z0-9+/=\s]*$/.test(resource.blob)) {
        const bytes = base64Bytes(resource.blob);
        if (bytes > MAX_DOWNLOAD_BYTES) out.push({ kind: 'refused', name, reason: `larger than ${MAX_DOWNLOAD_BYTES} bytes` });
        else out.push({ kind: 'file', filename: name, mimeType, bytes, blob: resource.blob });
      } else {
        out.push({ kind: 'refused', name, reason: 'neither text nor base64 blob content' });
      }
      return;
    }
    if (item.type === 'resource_link') {
      const verdict = checkServerUrl(item.uri, { what: 'The link the view asked to download' });
      const name = shortName(item.name ?? item.uri);
      if (verdict.ok) out.push({ kind: 'link', href: verdict.href, name });
      else out.push({ kind: 'refused', name: shortName(item.uri), reason: verdict.message });
      return;
    }
    out.push({ kind: 'refused', name: `item ${index + 1}`, reason: `unknown content type ${shortName(item.type)}` });
  });
  return out;
}

/** At most this many partial steps before the whole input. */
const MAX_PARTIAL_STEPS = 12;

/**
 * The arguments as a model streaming them would reveal them: keys in order, a long string value growing in a few
 * pieces. Each step is a complete object (the spec's partial input is "healed" JSON); the last step equals the
 * whole arguments, which the host sends afterwards as `tool-input`.
 */
export function partialInputSteps(args: Record<string, unknown>): Record<string, unknown>[] {
  const keys = Object.keys(args);
  const steps: Record<string, unknown>[] = [];
  const current: Record<string, unknown> = {};
  for (const key of keys) {
    const value = args[key];
    if (typeof value === 'string' && value.length > 3) {
      const pieces = Math.min(3, value.length);
      for (let i = 1; i < pieces; i += 1) {
        current[key] = value.slice(0, Math.ceil((value.length * i) / pieces));
        steps.push({ ...current });
      }
    }
    current[key] = value;
    steps.push({ ...current });
  }
  if (steps.length <= MAX_PARTIAL_STEPS) return steps;
  // Keep the first steps' order and the end: what a view must handle is growth, then completion.
  const stride = steps.length / MAX_PARTIAL_STEPS;
  const kept = Array.from({ length: MAX_PARTIAL_STEPS - 1 }, (_, i) => steps[Math.floor(i * stride)]!);
  return [...kept, steps.at(-1)!];
}
