// Which commands this browser has confirmed before: a new command (or the same one in another directory, or with
// other variables) is shown for confirmation first. Only a hash is kept: a command line may hold a secret, and
// localStorage is readable by any script on the page. The guard against other sites is the launch token
// (lib/stdio/policy.ts); this is the person's own look at what is about to run.
const KEY = 'mcpscope.stdio.confirmed';
const MAX = 200;

/** Two FNV-1a passes with different offsets: 64 bits, plenty to tell a person's commands apart. */
function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 2) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

export function commandFingerprint(line: string, cwd: string, envNames: readonly string[]): string {
  return hash(JSON.stringify([line, cwd, [...envNames].sort()]));
}

function load(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

export function isConfirmed(fingerprint: string): boolean {
  return load().includes(fingerprint);
}

export function rememberConfirmed(fingerprint: string): void {
  const list = [fingerprint, ...load().filter((item) => item !== fingerprint)].slice(0, MAX);
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Storage full or off: the command is confirmed again next time.
  }
}
