// Capturing HTTP bodies for the log: capped, UTF-8 text when it is text, base64 otherwise.
import { bytesToBase64, concatBytes, truncateUtf8, utf8ByteLength } from './bytes';
import type { BodyCapture } from './types';

/** A text body (already a string): cut at `maxBytes` on a character boundary. */
export function captureText(text: string, maxBytes: number): BodyCapture {
  const size = utf8ByteLength(text);
  if (size <= maxBytes) return { text, encoding: 'utf8', size, truncated: false };
  return { text: truncateUtf8(text, maxBytes), encoding: 'utf8', size, truncated: true };
}

/** A byte body held whole in memory (request bodies). */
export function captureBytes(bytes: Uint8Array, maxBytes: number): BodyCapture {
  const collector = new BodyCollector(maxBytes);
  collector.push(bytes);
  return collector.finish();
}

/**
 * Collects a streamed body up to `maxBytes` while counting all of it. Keeps references to the chunks it
 * was given (no copy) and joins them once at the end, so a body is copied at most once and never held past
 * the cap.
 */
export class BodyCollector {
  private readonly parts: Uint8Array[] = [];
  private kept = 0;
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Uint8Array): void {
    this.total += chunk.byteLength;
    if (this.kept >= this.maxBytes) return;
    const room = this.maxBytes - this.kept;
    const part = chunk.byteLength <= room ? chunk : chunk.subarray(0, room);
    this.parts.push(part);
    this.kept += part.byteLength;
  }

  /** Bytes seen so far (all of them, not only the kept part). */
  get size(): number {
    return this.total;
  }

  finish(): BodyCapture {
    const truncated = this.total > this.kept;
    const bytes = concatBytes(this.parts, this.kept);
    this.parts.length = 0;
    return decodeCapture(bytes, this.total, truncated);
  }
}

function decodeCapture(bytes: Uint8Array, size: number, truncated: boolean): BodyCapture {
  try {
    // fatal: anything that is not valid UTF-8 is binary. stream: a cut body may end mid-character; that
    // tail is held back instead of counted as invalid.
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, { stream: truncated });
    if (!looksBinary(text)) return { text, encoding: 'utf8', size, truncated };
  } catch {
    // not UTF-8
  }
  return { text: bytesToBase64(bytes), encoding: 'base64', size, truncated };
}

/** Valid UTF-8 can still be binary (NULs and control bytes); such text would be unreadable in the UI. */
function looksBinary(text: string): boolean {
  const sample = text.length > 4096 ? text.slice(0, 4096) : text;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) control++;
  }
  return control > sample.length / 10;
}
