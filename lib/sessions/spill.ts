// Session logs on disk. A disconnected session's log leaves memory for a file in the data directory (one JSON
// event per line, mode 0600, in a folder of this process, mode 0700), and is read back from it when the log is
// exported, shared or streamed; the file goes when the session is forgotten, and a later process removes
// what a dead one left behind.
import fs from 'node:fs';
import path from 'node:path';
import type { ReleasedEvents, TraceEvent } from '../trace';

/** Every this many events, the file's index remembers where a line starts, so a reader can seek near a seq. */
const INDEX_EVERY = 256;
/** Events serialised and written per step: the event loop gets a turn between steps. */
const WRITE_BATCH = 1_000;
const READ_CHUNK = 1 << 20;

interface IndexEntry {
  seq: number;
  offset: number;
}

/** One log's events on disk, append-only. */
export class SpillFile implements ReleasedEvents {
  private written = 0;
  private events = 0;
  private last = 0;
  private readonly index: IndexEntry[] = [];

  constructor(readonly file: string) {}

  get count(): number {
    return this.events;
  }

  get lastSeq(): number {
    return this.last;
  }

  /** Bytes on disk. */
  get bytes(): number {
    return this.written;
  }

  /**
   * Appends events (in seq order, after the ones already there). Written in batches with a turn of the
   * event loop between them, so a large log never stalls other sessions; readers see each batch once whole.
   */
  async append(events: readonly TraceEvent[]): Promise<void> {
    if (events.length === 0) return;
    const handle = await fs.promises.open(this.file, 'a', 0o600);
    try {
      for (let start = 0; start < events.length; start += WRITE_BATCH) {
        const batch = events.slice(start, start + WRITE_BATCH);
        const entries: IndexEntry[] = [];
        let offset = this.written;
        let text = '';
        for (let i = 0; i < batch.length; i++) {
          const event = batch[i]!;
          if (event.seq <= this.last) throw new Error(`event ${event.seq} is not after the last one on disk (${this.last})`);
          const line = `${JSON.stringify(event)}\n`;
          if ((this.events + i) % INDEX_EVERY === 0) entries.push({ seq: event.seq, offset });
          offset += Buffer.byteLength(line);
          text += line;
        }
        await handle.write(text);
        for (const entry of entries) this.index.push(entry);
        this.written = offset;
        this.events += batch.length;
        this.last = batch[batch.length - 1]!.seq;
      }
    } finally {
      await handle.close();
    }
  }

  read(afterSeq: number, limit = Number.POSITIVE_INFINITY): TraceEvent[] {
    const out: TraceEvent[] = [];
    if (limit <= 0 || afterSeq >= this.last || this.events === 0) return out;
    let position = this.index[this.blockFor(afterSeq)]?.offset ?? 0;
    const end = this.written;
    const fd = fs.openSync(this.file, 'r');
    try {
      const chunk = Buffer.allocUnsafe(READ_CHUNK);
      let carry: Buffer | undefined;
      while (out.length < limit && position < end) {
        const read = fs.readSync(fd, chunk, 0, Math.min(READ_CHUNK, end - position), position);
        if (read <= 0) break;
        position += read;
        const data = carry ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
        let lineStart = 0;
        while (out.length < limit) {
          const newline = data.indexOf(0x0a, lineStart);
          if (newline < 0) break;
          const event = JSON.parse(data.toString('utf8', lineStart, newline)) as TraceEvent;
          if (event.seq > afterSeq) out.push(event);
          lineStart = newline + 1;
        }
        // The chunk buffer is reused: keep a copy of the unfinished line.
        carry = lineStart < data.length ? Buffer.from(data.subarray(lineStart)) : undefined;
      }
    } finally {
      fs.closeSync(fd);
    }
    return out;
  }

  remove(): void {
    fs.rmSync(this.file, { force: true });
  }

  /** The last indexed block that starts at or before the first seq wanted. */
  private blockFor(afterSeq: number): number {
    let lo = 0;
    let hi = this.index.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.index[mid]!.seq <= afterSeq + 1) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}

const PROCESS_FOLDER = /^(\d+)-[0-9a-z]+$/;
let folders = 0;

/**
 * This process's folder of spilled logs, `<data dir>/session-logs/<pid>-<n>`, made on first use. Making it
 * first removes the folders of processes that are no longer running (sessions never outlive their process).
 */
export class SpillFolder {
  private folder: string | undefined;
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = path.resolve(dataDir, 'session-logs');
  }

  /** A new file for one log (the name is the session id, which is a UUID). */
  fileFor(sessionId: string): SpillFile {
    if (!/^[A-Za-z0-9-]{1,100}$/.test(sessionId)) throw new Error(`not a session id: ${sessionId}`);
    return new SpillFile(path.join(this.ensure(), `${sessionId}.jsonl`));
  }

  /** Removes this process's folder and everything in it (shutdown). */
  remove(): void {
    if (this.folder) fs.rmSync(this.folder, { recursive: true, force: true });
    this.folder = undefined;
  }

  private ensure(): string {
    if (this.folder) return this.folder;
    fs.mkdirSync(this.root, { recursive: true, mode: 0o700 });
    removeLeftovers(this.root);
    folders += 1;
    const folder = path.join(this.root, `${process.pid}-${folders.toString(36)}${Date.now().toString(36)}`);
    fs.mkdirSync(folder, { mode: 0o700 });
    this.folder = folder;
    return folder;
  }
}

/** Removes the folders of processes that are gone (what a crash or a kill left behind). */
export function removeLeftovers(root: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return 0;
  }
  for (const name of names) {
    const match = PROCESS_FOLDER.exec(name);
    if (!match || processAlive(Number(match[1]))) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
