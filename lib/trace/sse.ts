// Frame-by-frame capture of a Server-Sent Events stream, for the log (not for dispatching events).
//
// Field semantics (leading-space stripping, `id` with NUL ignored, `retry` digits only, multi-line `data`)
// come from `eventsource-parser`. It reports only events that carry data, and never the raw text or the
// frame boundaries, which the log needs; so this module splits lines itself (LF, CRLF and CR, across any
// chunk boundary), feeds complete lines to the parser, and closes a frame on each blank line.
import { createParser, type EventSourceParser } from 'eventsource-parser';

export interface SseFrame {
  id?: string;
  event?: string;
  /** Absent when the frame had no `data` line at all; `''` for an empty `data:` line. */
  data?: string;
  retry?: number;
  /** Set for a comment line (`: keep-alive`), reported as a frame of its own as soon as it arrives. */
  comment?: string;
  /** The frame's lines as they arrived, joined by `\n` (capped at `maxRawChars`). */
  raw: string;
  /** True when `raw` was cut at `maxRawChars`. */
  truncated?: boolean;
  /** True when the stream ended before the blank line that completes the frame (clients discard such an event). */
  incomplete?: boolean;
}

export interface SseFrameReaderOptions {
  /** Longest `raw` kept per frame, in characters. Default: unbounded. */
  maxRawChars?: number;
}

export interface SseFrameReader {
  /** Feed the next piece of the stream: bytes (decoded as UTF-8 across chunk boundaries) or text. */
  push(chunk: Uint8Array | string): void;
  /** The stream ended: report a frame still waiting for its blank line (marked `incomplete`). */
  end(): void;
}

interface OpenFrame {
  lines: string[];
  rawChars: number;
  truncated: boolean;
  sawData: boolean;
  retry?: number;
  fields?: { id?: string; event?: string; data: string };
}

export function createSseFrameReader(onFrame: (frame: SseFrame) => void, options: SseFrameReaderOptions = {}): SseFrameReader {
  const maxRaw = options.maxRawChars ?? Number.POSITIVE_INFINITY;
  const decoder = new TextDecoder('utf-8');
  let current = newFrame();
  // A partial line waiting for its terminator, kept as fragments so a long line in tiny chunks stays linear.
  let partial: string[] = [];
  // The previous chunk ended with CR: a LF starting the next chunk belongs to that CRLF, not a new line.
  let afterCr = false;
  let first = true;
  let ended = false;

  const parser: EventSourceParser = createParser({
    onEvent(message) {
      current.fields = { id: message.id, event: message.event, data: message.data };
    },
    onRetry(retry) {
      current.retry = retry;
    },
    onComment(comment) {
      const truncated = commentLine.length > maxRaw;
      const frame: SseFrame = { comment, raw: truncated ? commentLine.slice(0, maxRaw) : commentLine };
      if (truncated) frame.truncated = true;
      emit(frame);
    },
  });
  // The comment callback gets the text without its `:`/`: ` prefix; the raw line is kept here for it.
  let commentLine = '';

  function newFrame(): OpenFrame {
    return { lines: [], rawChars: 0, truncated: false, sawData: false };
  }

  function emit(frame: SseFrame): void {
    onFrame(frame);
  }

  function handleLine(line: string): void {
    if (line.length === 0) {
      closeFrame(false);
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) {
      commentLine = line;
      parser.feed(`${line}\n`);
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field === 'data') current.sawData = true;
    keepRaw(line);
    parser.feed(`${line}\n`);
  }

  function keepRaw(line: string): void {
    const f = current;
    if (f.truncated) return;
    const sep = f.lines.length > 0 ? 1 : 0;
    if (f.rawChars + sep + line.length > maxRaw) {
      const room = maxRaw - f.rawChars - sep;
      if (room > 0) f.lines.push(line.slice(0, room));
      f.rawChars = maxRaw;
      f.truncated = true;
      return;
    }
    f.lines.push(line);
    f.rawChars += sep + line.length;
  }

  function closeFrame(incomplete: boolean): void {
    const f = current;
    if (f.lines.length === 0 && !f.truncated && f.retry === undefined) {
      parser.feed('\n');
      return;
    }
    // The parser drops events without data; a synthetic empty `data` line makes it hand over id/event too.
    if (!f.sawData) parser.feed('data\n');
    parser.feed('\n');
    const frame: SseFrame = { raw: f.lines.join('\n') };
    if (f.fields?.id !== undefined) frame.id = f.fields.id;
    if (f.fields?.event !== undefined) frame.event = f.fields.event;
    if (f.sawData && f.fields) frame.data = f.fields.data;
    if (f.retry !== undefined) frame.retry = f.retry;
    if (f.truncated) frame.truncated = true;
    if (incomplete) frame.incomplete = true;
    current = newFrame();
    emit(frame);
  }

  function pushText(text: string): void {
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let i = 0;
    if (afterCr && text.length > 0) {
      afterCr = false;
      if (text.charCodeAt(0) === 10) i = 1;
    }
    while (i < text.length) {
      const lf = text.indexOf('\n', i);
      const cr = text.indexOf('\r', i);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) {
        partial.push(text.slice(i));
        return;
      }
      let line = text.slice(i, end);
      if (partial.length > 0) {
        partial.push(line);
        line = partial.join('');
        partial = [];
      }
      handleLine(line);
      if (text.charCodeAt(end) === 13) {
        if (end + 1 === text.length) {
          afterCr = true;
          i = end + 1;
        } else {
          i = text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
        }
      } else {
        i = end + 1;
      }
    }
  }

  return {
    push(chunk) {
      if (ended) return;
      if (typeof chunk === 'string') pushText(chunk);
      else pushText(decoder.decode(chunk, { stream: true }));
    },
    end() {
      if (ended) return;
      const tail = decoder.decode();
      if (tail) pushText(tail);
      ended = true;
      if (partial.length > 0) {
        // The stream stopped inside a line (a server cut off, or refused at the message size cap): that line ends no
        // event, so no message is read from it and only what the log keeps of it is joined. Joining it whole would
        // copy up to the whole cap (8 MB) a few times over for a frame the log cuts to maxRawChars anyway.
        const line = joinAtMost(partial, maxRaw + INCOMPLETE_LINE_MARGIN);
        partial = [];
        // A lone comment at the very end is still a whole comment.
        handleLine(line);
      }
      if (current.lines.length > 0 || current.truncated || current.retry !== undefined) closeFrame(true);
    },
  };
}

/** Past `maxRawChars`, what is kept of a stream's unfinished last line: its field name and a character to see the cut. */
const INCOMPLETE_LINE_MARGIN = 64;

/** The fragments joined, up to `limit` characters. */
function joinAtMost(fragments: readonly string[], limit: number): string {
  let length = 0;
  const kept: string[] = [];
  for (const fragment of fragments) {
    if (length + fragment.length >= limit) {
      kept.push(fragment.slice(0, limit - length));
      break;
    }
    kept.push(fragment);
    length += fragment.length;
  }
  return kept.join('');
}

/**
 * Where events end in a stream given chunk by chunk, in bytes: just past each blank line (LF LF, CR CR, CRLF CRLF,
 * across chunk boundaries). Bytes, not text, so a caller can cut the chunks themselves at event boundaries.
 */
export class SseEventBoundaries {
  private lineLength = 0;
  private afterCr = false;

  /** The offsets in `chunk` just past each blank line it completes, in order. */
  ends(chunk: Uint8Array): number[] {
    const out: number[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === 0x0a && this.afterCr) {
        this.afterCr = false;
        // The LF of a CRLF: an event its CR ended ends after it.
        if (out.length > 0 && out[out.length - 1] === i) out[out.length - 1] = i + 1;
        continue;
      }
      this.afterCr = byte === 0x0d;
      if (byte === 0x0a || byte === 0x0d) {
        if (this.lineLength === 0) out.push(i + 1);
        this.lineLength = 0;
        continue;
      }
      this.lineLength += 1;
    }
    return out;
  }
}

/** Convenience for tests and offline parsing: all frames of a complete stream given as chunks. */
export function parseSseFrames(chunks: Iterable<Uint8Array | string>, options?: SseFrameReaderOptions): SseFrame[] {
  const frames: SseFrame[] = [];
  const reader = createSseFrameReader((f) => frames.push(f), options);
  for (const c of chunks) reader.push(c);
  reader.end();
  return frames;
}
