// Tiny, valid media files made in code, so the demo ships no binary assets and needs no Node-only zlib:
// the PNG uses uncompressed ("stored") deflate blocks, which every decoder accepts.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function u32be(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0, false);
  return out;
}

/** zlib stream made of stored (uncompressed) deflate blocks. */
function zlibStored(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [new Uint8Array([0x78, 0x01])];
  const maxBlock = 0xffff;
  const blocks = Math.max(1, Math.ceil(data.length / maxBlock));
  for (let i = 0; i < blocks; i++) {
    const block = data.subarray(i * maxBlock, (i + 1) * maxBlock);
    const last = i === blocks - 1 ? 1 : 0;
    const len = block.length;
    parts.push(new Uint8Array([last, len & 0xff, len >>> 8, ~len & 0xff, (~len >>> 8) & 0xff]), block);
  }
  parts.push(u32be(adler32(data)));
  return concat(parts);
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const typeBytes = new TextEncoder().encode(type);
  return concat([u32be(data.length), typeBytes, data, u32be(crc32(concat([typeBytes, data])))]);
}

/** Encodes 8-bit RGBA pixels (row-major, `width * height * 4` bytes) as a PNG file. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  if (rgba.length !== width * height * 4) throw new RangeError('rgba length does not match width × height × 4');
  const raw = new Uint8Array(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    // Filter byte 0 (none) starts every scanline.
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (1 + width * 4) + 1);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, adaptive filtering, no interlace
  return concat([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlibStored(raw)),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/** A 64×64 picture of a magnifier ("scope") over a diagonal gradient. */
export function demoPng(size = 64): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const cx = size * 0.42;
  const cy = size * 0.42;
  const radius = size * 0.26;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const t = (x + y) / (2 * (size - 1));
      let r = Math.round(30 + 40 * t);
      let g = Math.round(60 + 120 * t);
      let b = Math.round(160 + 80 * (1 - t));
      const d = Math.hypot(x - cx, y - cy);
      const onRing = Math.abs(d - radius) < size * 0.045;
      const inLens = d < radius - size * 0.045;
      // The handle: a thick segment from the ring towards the bottom-right corner.
      const along = (x - cx + (y - cy)) / Math.SQRT2;
      const across = Math.abs(x - cx - (y - cy)) / Math.SQRT2;
      const onHandle = along > radius && along < size * 0.62 && across < size * 0.06;
      if (onRing || onHandle) [r, g, b] = [245, 245, 250];
      else if (inLens) [r, g, b] = [Math.min(255, r + 90), Math.min(255, g + 60), Math.min(255, b + 10)];
      rgba.set([r, g, b, 255], i);
    }
  }
  return encodePng(size, size, rgba);
}

/** A mono 16-bit PCM WAV file holding a short sine tone with a soft attack and release. */
export function demoWav(options: { frequencyHz?: number; durationMs?: number; sampleRate?: number } = {}): Uint8Array {
  const frequency = options.frequencyHz ?? 440;
  const sampleRate = options.sampleRate ?? 8000;
  const samples = Math.round(((options.durationMs ?? 500) / 1000) * sampleRate);
  const dataBytes = samples * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  const fade = Math.max(1, Math.round(sampleRate * 0.02));
  for (let n = 0; n < samples; n++) {
    const envelope = Math.min(1, n / fade, (samples - 1 - n) / fade);
    const value = Math.sin((2 * Math.PI * frequency * n) / sampleRate) * 0.6 * envelope;
    view.setInt16(44 + n * 2, Math.round(value * 32767), true);
  }
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** An SVG icon as a `data:` URL, so tool icons need no hosting. */
export function svgIcon(path: string, colour: string): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="${colour}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${path}</svg>`;
  return `data:image/svg+xml;base64,${toBase64(new TextEncoder().encode(svg))}`;
}
