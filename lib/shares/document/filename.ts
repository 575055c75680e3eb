// File names for downloaded session logs: which server, and when, readable in a downloads folder.
import type { TraceMeta } from '../../trace';

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 48)
    .replace(/[-.]+$/g, '');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

function stamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
  );
}

/** `mcpscope-<server name or host>-<UTC time the session started>.<ext>`, safe in any file system. */
export function sessionFileName(meta: Pick<TraceMeta, 'serverInfo' | 'serverUrl' | 'startedAt'>, ext: 'json' | 'har'): string {
  const name = slug(meta.serverInfo?.name ?? '') || slug(hostOf(meta.serverUrl).replace(':', '-')) || 'session';
  const started = Number.isFinite(meta.startedAt) ? new Date(meta.startedAt) : new Date();
  return `mcpscope-${name}-${stamp(started)}.${ext}`;
}
