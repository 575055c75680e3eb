// Share links: make the redacted copy, store it compressed under an unguessable id, read it back, delete it.
//
// Each share is two rows in the store: the content (kind `session-log`, expiring when the link does, so the
// store's own sweep removes expired logs on time) and a small marker (no content: owner, expiry, deletion
// time) that outlives it for a while. The store hides expired rows, so the marker is what lets a dead link
// say "expired" or "deleted" instead of just "not found".
import type { Store } from '../store';
import { EXPORT_FORMAT, EXPORT_VERSION, type TraceEvent, type TraceMeta } from '../trace';
import { decodeShare, encodeShare } from './codec';
import { shareMaxBytes } from './config';
import { buildSharedLog, type SharedSessionDocument, type ShareInfo, type TextMasker } from './document';
import { ShareError } from './errors';
import { isShareId, newShareId } from './id';
import { parseShareRequest } from './request';
import { MCPSCOPE_VERSION } from './version';

export const SHARE_KIND = 'session-log';
const MARKER_KIND = 'session-log-marker';
/** How long a dead link keeps saying why it is dead, after which it is simply unknown. */
const MARKER_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

interface Marker {
  owner?: string;
  expiresAt?: number;
  deletedAt?: number;
}

export interface ShareServiceOptions {
  /** Epoch ms; the store should use the same clock. */
  now?: () => number;
  /** Default: MCPSCOPE_SHARE_MAX_BYTES, else 20 MB. */
  maxBytes?: number;
}

export interface CreateShareInput {
  /** The owner id (cookie) of the browser making the link: only it may delete the link. */
  owner: string;
  meta: TraceMeta;
  events: readonly TraceEvent[];
  /** The request body (`ShareRequestBody`), checked here. */
  body: unknown;
  /** The session's known secrets, masked once more over the whole copy. */
  secrets?: TextMasker;
}

export interface CreatedShare {
  shareId: string;
  createdAt: number;
  expiresAt?: number;
  bytes: number;
  storedBytes: number;
}

function markerId(shareId: string): string {
  return `marker:${shareId}`;
}

function formatLimit(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} kB`;
  return `${bytes} bytes`;
}

const lastPurge = new WeakMap<Store, number>();

/** Expired shares leave the store on time even when nobody opens them (at most once an hour per store). */
async function purgeNowAndThen(store: Store, now: number): Promise<void> {
  if (now - (lastPurge.get(store) ?? 0) < PURGE_INTERVAL_MS) return;
  lastPurge.set(store, now);
  await store.purgeExpired().catch((error: unknown) => console.error('could not purge expired shares', error));
}

export async function createShare(store: Store, input: CreateShareInput, options: ShareServiceOptions = {}): Promise<CreatedShare> {
  const now = options.now ?? Date.now;
  const maxBytes = options.maxBytes ?? shareMaxBytes();
  const { selection, expiresInMs } = parseShareRequest(input.body);
  const shared = buildSharedLog(input.meta, input.events, selection, { secrets: input.secrets });
  if (shared.events.length === 0) {
    throw new ShareError(
      'empty_share',
      selection.exchangeIds
        ? 'None of the chosen exchanges is in this session’s log.'
        : 'Nothing happened in the chosen time range: there is nothing to share.',
    );
  }

  const shareId = newShareId();
  const createdAt = now();
  const expiresAt = expiresInMs === null ? undefined : createdAt + expiresInMs;
  const info: ShareInfo = {
    id: shareId,
    createdAt,
    selection: selection.exchangeIds
      ? { kind: 'exchanges', exchangeCount: shared.stats.exchanges, ...(selection.range ? { range: selection.range } : {}) }
      : selection.range
        ? { kind: 'range', range: selection.range }
        : { kind: 'whole' },
    masking: {
      secrets: true,
      query: Boolean(selection.maskQuery),
      arguments: Boolean(selection.maskArguments),
      results: Boolean(selection.maskResults),
    },
  };
  if (expiresAt !== undefined) info.expiresAt = expiresAt;
  const document: SharedSessionDocument = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(createdAt).toISOString(),
    mcpscopeVersion: MCPSCOPE_VERSION,
    // The live session's id is a handle on someone's connection; the share has its own.
    meta: { ...shared.meta, sessionId: shareId },
    events: shared.events,
    share: info,
  };

  const json = JSON.stringify(document);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > maxBytes) {
    throw new ShareError(
      'share_too_large',
      `This share would be ${formatLimit(bytes)}, over the ${formatLimit(maxBytes)} limit for share links (MCPSCOPE_SHARE_MAX_BYTES=${maxBytes}). ` +
        'Share a shorter time range or fewer exchanges, or export the log as a file instead.',
    );
  }
  const { payload, storedBytes } = await encodeShare(json);
  await purgeNowAndThen(store, createdAt);
  await store.saveShare({ id: shareId, owner: input.owner, kind: SHARE_KIND, payload, expiresAt });
  const marker: Marker = { owner: input.owner, ...(expiresAt !== undefined ? { expiresAt } : {}) };
  await store.saveShare({
    id: markerId(shareId),
    owner: input.owner,
    kind: MARKER_KIND,
    payload: JSON.stringify(marker),
    expiresAt: expiresAt === undefined ? undefined : expiresAt + MARKER_RETENTION_MS,
  });
  return { shareId, createdAt, ...(expiresAt !== undefined ? { expiresAt } : {}), bytes, storedBytes };
}

async function readMarker(store: Store, shareId: string): Promise<Marker | undefined> {
  const row = await store.getShare(markerId(shareId));
  if (!row || row.kind !== MARKER_KIND) return undefined;
  try {
    return JSON.parse(row.payload) as Marker;
  } catch {
    return undefined;
  }
}

function notFound(): ShareError {
  return new ShareError(
    'share_not_found',
    'There is no shared session at this link. Check that the link is complete; links deleted or expired long ago are forgotten.',
  );
}

function expired(at: number): ShareError {
  return new ShareError('share_expired', `This share link expired on ${new Date(at).toUTCString()}. Ask whoever shared it for a new link.`);
}

function deleted(): ShareError {
  return new ShareError('share_deleted', 'This share link was deleted by the person who created it.');
}

/** Why a link is not there: deleted, expired, or unknown. */
async function deadLink(store: Store, shareId: string, now: number): Promise<ShareError> {
  const marker = await readMarker(store, shareId);
  if (marker?.deletedAt !== undefined) return deleted();
  if (marker?.expiresAt !== undefined && marker.expiresAt <= now) return expired(marker.expiresAt);
  return notFound();
}

/**
 * The shared document, with `share.owned` telling whether `owner` made it. Throws `ShareError`
 * `share_not_found` (404), `share_expired` or `share_deleted` (410).
 */
export async function readShare(
  store: Store,
  shareId: string,
  owner: string | undefined,
  options: Pick<ShareServiceOptions, 'now'> = {},
): Promise<SharedSessionDocument> {
  const now = (options.now ?? Date.now)();
  if (!isShareId(shareId)) throw notFound();
  const row = await store.getShare(shareId);
  if (!row || row.kind !== SHARE_KIND) throw await deadLink(store, shareId, now);
  if (row.expiresAt !== undefined && row.expiresAt <= now) throw expired(row.expiresAt);
  const document = await decodeShare(row.payload);
  return { ...document, share: { ...document.share, owned: owner !== undefined && row.owner === owner } };
}

/** Deletes a link; only the browser that made it may. The link then answers `share_deleted`. */
export async function deleteShare(
  store: Store,
  shareId: string,
  owner: string | undefined,
  options: Pick<ShareServiceOptions, 'now'> = {},
): Promise<void> {
  const now = (options.now ?? Date.now)();
  if (!isShareId(shareId)) throw notFound();
  const row = await store.getShare(shareId);
  const content = row?.kind === SHARE_KIND ? row : undefined;
  const marker = await readMarker(store, shareId);
  if (!content && !marker) throw notFound();
  if (marker?.deletedAt !== undefined) throw deleted();
  const madeBy = content?.owner ?? marker?.owner;
  if (owner === undefined || madeBy !== owner) {
    throw new ShareError('share_forbidden', 'Only the browser that created this share link can delete it.');
  }
  // Removes the content even when it has expired and the store only hides it.
  await store.deleteShare(shareId);
  await store.deleteShare(markerId(shareId));
  const tombstone: Marker = { owner, deletedAt: now, ...(marker?.expiresAt !== undefined ? { expiresAt: marker.expiresAt } : {}) };
  await store.saveShare({
    id: markerId(shareId),
    owner,
    kind: MARKER_KIND,
    payload: JSON.stringify(tombstone),
    expiresAt: now + MARKER_RETENTION_MS,
  });
}
