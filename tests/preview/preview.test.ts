import { describe, expect, it } from 'vitest';
import { decodeBase64, downloadFileName, hexDump, looksLikeText, mediaOnlyType, previewKind, sniffBinary } from '@/lib/preview';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('hexDump', () => {
  it('prints offset, hex in two groups of eight, and printable ASCII', () => {
    const data = new TextEncoder().encode('Hello, MCP!\n\u0000\u0001binary');
    expect(hexDump(data)).toEqual([
      '00000000  48 65 6c 6c 6f 2c 20 4d  43 50 21 0a 00 01 62 69  Hello, MCP!...bi',
      '00000010  6e 61 72 79                                       nary',
    ]);
  });

  it('summarises what is past the limit', () => {
    const data = new Uint8Array(40).fill(0xff);
    const lines = hexDump(data, { maxBytes: 16 });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('00000000  ff ff ff ff ff ff ff ff  ff ff ff ff ff ff ff ff  ................');
    expect(lines[1]).toBe('… 24 more bytes');
    expect(hexDump(new Uint8Array(0))).toEqual([]);
  });
});

describe('decodeBase64', () => {
  it('decodes standard and URL-safe base64, ignoring whitespace and missing padding', () => {
    expect(new TextDecoder().decode(decodeBase64('SGVs\nbG8='))).toBe('Hello');
    expect(decodeBase64('-_8')).toEqual(bytes(0xfb, 0xff));
    expect(() => decodeBase64('not base64!')).toThrow(/not valid base64/);
  });
});

describe('previewKind', () => {
  it('picks the preview from the MIME type', () => {
    expect(previewKind('application/json; charset=utf-8', { text: '{}' })).toBe('json');
    expect(previewKind('application/vnd.api+json', { text: '{}' })).toBe('json');
    expect(previewKind('text/markdown', { text: '# x' })).toBe('markdown');
    expect(previewKind('image/png', { bytes: bytes(0x89, 0x50) })).toBe('image');
    expect(previewKind('audio/wav', { bytes: bytes(1) })).toBe('audio');
    expect(previewKind('application/pdf', { bytes: bytes(0x25) })).toBe('pdf');
    expect(previewKind('text/plain', { text: 'x' })).toBe('text');
  });

  it('shows textual blobs as text and the rest as binary', () => {
    expect(previewKind('text/plain', { bytes: new TextEncoder().encode('Resource 1') })).toBe('text');
    expect(previewKind(undefined, { bytes: new TextEncoder().encode('plain words') })).toBe('text');
    expect(previewKind('application/gzip', { bytes: bytes(0x1f, 0x8b, 0x08, 0x00, 0x00) })).toBe('binary');
    expect(previewKind('application/octet-stream', { bytes: bytes(0x00, 0x01, 0x02) })).toBe('binary');
  });
});

describe('looksLikeText and sniffBinary', () => {
  it('tells text from binary', () => {
    expect(looksLikeText(new TextEncoder().encode('héllo wörld\n'))).toBe(true);
    expect(looksLikeText(bytes(0xc3, 0x28))).toBe(false);
    expect(looksLikeText(bytes(0x41, 0x00, 0x42))).toBe(false);
  });

  it('names common formats by their signature', () => {
    expect(sniffBinary(bytes(0x1f, 0x8b, 0x08))).toBe('gzip data');
    expect(sniffBinary(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d))).toBe('PNG image');
    expect(sniffBinary(bytes(0x00, 0x00))).toBeUndefined();
  });
});

describe('server bytes handed to the browser', () => {
  it('keeps the server’s type for a preview only when the browser can show it solely as media', () => {
    for (const type of ['image/png', 'IMAGE/JPEG', 'image/gif; charset=x', 'audio/mpeg', 'video/mp4', 'application/pdf']) {
      expect(mediaOnlyType(type)).toBe(type.split(';')[0]!.trim().toLowerCase());
    }
    // Types a browser renders as a document, where a script would run on mcpscope's origin.
    for (const type of [
      'image/svg+xml',
      'text/html',
      'application/xhtml+xml',
      'text/xml',
      'application/xml',
      'image/svg',
      'video/x+xml',
      'text/plain',
      '',
      undefined,
      'application/octet-stream',
    ]) {
      expect(mediaOnlyType(type)).toBeUndefined();
    }
  });

  it('names downloads after the URI, sanitised, with an extension from the type', () => {
    expect(downloadFileName('file:///reports/q3.pdf', 'application/pdf')).toBe('q3.pdf');
    expect(downloadFileName('hostile://files/page', 'text/html')).toBe('page.html');
    expect(downloadFileName('hostile://files/pic.svg?x=1#y', 'image/svg+xml')).toBe('pic.svg');
    // Decoded separators cannot climb out of the downloads folder: they become underscores.
    expect(downloadFileName('https://x/..%2F..%2Fetc%2Fpasswd')).toBe('_.._etc_passwd');
    expect(downloadFileName('https://x/a%0Ab%3Cscript%3E.txt')).toBe('a_b_script_.txt');
    expect(downloadFileName('https://x/..')).toBe('resource');
    expect(downloadFileName('https://x/.htaccess')).toBe('htaccess');
    expect(downloadFileName('', 'image/png')).toBe('resource.png');
    expect(downloadFileName(`https://x/${'a'.repeat(300)}`).length).toBeLessThanOrEqual(100);
    expect(downloadFileName('https://x/bad%E0%A4%A')).toBe('bad%E0%A4%A');
  });
});
