// What the store writes to disk holds encrypted tokens, client registrations and share documents: only the
// account mcpscope runs as may read it. New directories are made 0700 and files 0600 from the first byte (no
// window where another local user could open them); files an older mcpscope left readable are tightened.
import fs from 'node:fs';

/**
 * Makes `dir` (and missing parents) with mode 0700. A directory that already exists keeps its mode: it may be one
 * the operator chose and shares with other things (MCPSCOPE_DATA_DIR=/srv/data); the files inside are 0600 anyway.
 */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Creates `file` empty with mode 0600 unless it exists. */
export function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/**
 * Narrows an existing file to 0600 when group or others may read or write it. Files someone else owns are left
 * as they are (chmod would fail; that someone chose their mode).
 */
export function restrictToOwner(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return; // not there (yet): nothing to narrow
  }
  if ((stat.mode & 0o077) === 0) return;
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return;
  fs.chmodSync(file, stat.mode & 0o700);
}
