// How to show a resource's contents: the kind of preview its MIME type (and content) calls for, base64
// decoding, and a classic hex dump for bytes nothing else can show. Pure: no DOM, no Node.

export type PreviewKind = 'json' | 'markdown' | 'html' | 'image' | 'audio' | 'video' | 'pdf' | 'text' | 'binary';

function essence(mimeType: string | undefined): string {
  return (mimeType ?? '').split(';')[0]!.trim().toLowerCase();
}

const TEXTUAL_APPLICATION =
  /^application\/(?:.*\+)?(?:json|xml|yaml|x-yaml|toml|javascript|ecmascript|x-sh|sql|graphql|x-www-form-urlencoded)$/;

/** Whether a MIME type names text (so a blob of it can be decoded and shown as text). */
export function isTextualMime(mimeType: string | undefined): boolean {
  const type = essence(mimeType);
  return type.startsWith('text/') || TEXTUAL_APPLICATION.test(type);
}

/**
 * The preview for one resource content item. `text` content is never shown as binary; a `blob` is shown
 * as text when its MIME type is textual or its bytes look like UTF-8 text.
 */
export function previewKind(mimeType: string | undefined, content: { text?: string; bytes?: Uint8Array }): PreviewKind {
  const type = essence(mimeType);
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'text/markdown' || type === 'text/x-markdown') return 'markdown';
  if (type === 'text/html') return 'html';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  if (type === 'application/pdf') return 'pdf';
  if (content.text !== undefined) return 'text';
  if (isTextualMime(type)) return 'text';
  if (content.bytes && looksLikeText(content.bytes)) return 'text';
  return 'binary';
}

/** Strict-enough UTF-8 text check: valid UTF-8 and almost no control characters. */
export function looksLikeText(bytes: Uint8Array, sample = 4096): boolean {
  const slice = bytes.subarray(0, sample);
  if (slice.length === 0) return true;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(slice);
  } catch {
    // A multi-byte character cut at the sample's end is still text.
    if (bytes.length <= sample) return false;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(slice.subarray(0, sample - 4));
    } catch {
      return false;
    }
  }
  let control = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code === 0) return false;
    if (code < 32 && code !== 9 && code !== 10 && code !== 13) control++;
  }
  return control / Math.max(1, text.length) < 0.02;
}

/** Decodes base64 (standard or URL-safe, whitespace ignored); throws on characters outside the alphabet. */
export function decodeBase64(base64: string): Uint8Array {
  const clean = base64.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw new Error('The blob is not valid base64.');
  const padded = clean.padEnd(Math.ceil(clean.length / 4) * 4, '=');
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export interface HexDumpOptions {
  /** Bytes shown; the rest are summarised in the last line. Default 4096. */
  maxBytes?: number;
  bytesPerLine?: number;
}

/**
 * `xxd`-style lines: offset, hex bytes in pairs of 8, and the printable ASCII. Lines past `maxBytes`
 * are summarised as "… N more bytes".
 */
export function hexDump(bytes: Uint8Array, options: HexDumpOptions = {}): string[] {
  const perLine = options.bytesPerLine ?? 16;
  const shown = Math.min(bytes.length, options.maxBytes ?? 4096);
  const offsetWidth = Math.max(8, shown.toString(16).length);
  const lines: string[] = [];
  for (let start = 0; start < shown; start += perLine) {
    const end = Math.min(start + perLine, shown);
    let hex = '';
    let ascii = '';
    for (let i = start; i < start + perLine; i++) {
      if (i > start && (i - start) % 8 === 0) hex += ' ';
      if (i < end) {
        const byte = bytes[i]!;
        hex += `${byte.toString(16).padStart(2, '0')} `;
        ascii += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
      } else {
        hex += '   ';
      }
    }
    lines.push(`${start.toString(16).padStart(offsetWidth, '0')}  ${hex} ${ascii}`);
  }
  if (bytes.length > shown) lines.push(`… ${bytes.length - shown} more byte${bytes.length - shown === 1 ? '' : 's'}`);
  return lines;
}

/** A few well-known signatures, so a mislabelled blob can be named ("gzip data", "PNG image"). */
export function sniffBinary(bytes: Uint8Array): string | undefined {
  const starts = (...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  if (starts(0x1f, 0x8b)) return 'gzip data';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'PNG image';
  if (starts(0xff, 0xd8, 0xff)) return 'JPEG image';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'GIF image';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'PDF document';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'ZIP archive';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x41) return 'WAV audio';
  if (starts(0x00, 0x61, 0x73, 0x6d)) return 'WebAssembly module';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Handing server bytes to the browser without giving them mcpscope's origin. A blob: URL carries the origin of
// the page that made it: opened in a tab, a blob labelled text/html or image/svg+xml would run its scripts as
// mcpscope, with access to /api/tokens. Downloads are therefore always application/octet-stream, and previews
// keep the server's type only when the browser can show that type solely as media, never as a document.

/** The type every download of server content is served as: the browser saves it, never renders it. */
export const DOWNLOAD_MIME_TYPE = 'application/octet-stream';

/** Media types a browser shows only as media (no document, no script), for `<img>`/`<audio>`/`<video>`/PDF. */
const MEDIA_ONLY =
  /^(?:image\/(?:png|jpeg|pjpeg|gif|webp|avif|bmp|x-icon|vnd\.microsoft\.icon|apng)|audio\/[a-z0-9.-]+|video\/[a-z0-9.-]+|application\/pdf)$/;

/**
 * The type a preview's object URL may carry: the server's when it is media-only (a PNG, an MP3, a PDF), else
 * undefined: the caller shows it another way (an SVG as a data: URL in an `<img>`, whose origin is opaque).
 */
export function mediaOnlyType(mimeType: string | undefined): string | undefined {
  const type = essence(mimeType);
  return MEDIA_ONLY.test(type) ? type : undefined;
}

const MAX_FILE_NAME = 100;
const EXTENSIONS: Record<string, string> = {
  'application/json': 'json',
  'application/pdf': 'pdf',
  'application/xml': 'xml',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'video/mp4': 'mp4',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/markdown': 'md',
  'text/csv': 'csv',
};

/**
 * A file name for saving a resource: the last segment of its URI, decoded, with path separators, control and
 * reserved characters replaced, no leading dots, at most 100 characters; an extension from the MIME type when
 * it has none; `resource` when nothing usable is left.
 */
export function downloadFileName(uri: string, mimeType?: string): string {
  const segment = uri.split(/[?#]/)[0]!.split(/[/\\]/).filter(Boolean).pop() ?? '';
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    name = segment;
  }
  name = name
    .replace(/[\u0000-\u001f\u007f-\u009f<>:"/\\|?*]+/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, MAX_FILE_NAME);
  if (!name) name = 'resource';
  const extension = EXTENSIONS[essence(mimeType)];
  if (extension && !/\.[A-Za-z0-9]{1,8}$/.test(name)) name = `${name}.${extension}`;
  return name;
}
