// Share links against the real SQLite store: create, read, expire, delete, the size limit, and a restart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createShare,
  decodeShare,
  deleteShare,
  isShareId,
  parseShareRequest,
  readShare,
  shareMaxBytes,
  ShareError,
  DEFAULT_SHARE_MAX_BYTES,
} from '@/lib/shares';
import { openStore, type Store } from '@/lib/store';
import { parseJsonExport } from '@/lib/trace';
import { ARG_SECRET, META, sampleEvents } from './sample-log';

const OWNER = 'owner_aaaaaaaaaaaaaaaaaaaaaaaa';
const OTHER = 'owner_bbbbbbbbbbbbbbbbbbbbbbbb';
const DAY = 24 * 60 * 60 * 1000;

let dir: string;
let store: Store;
let clock: number;
const now = () => clock;

async function open(): Promise<Store> {
  return openStore({ dataDir: dir, databaseUrl: '', secretKey: '', now });
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-shares-'));
  clock = Date.UTC(2026, 2, 4, 12, 0, 0);
  store = await open();
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function expectShareError(promise: Promise<unknown>, code: string, status: number): Promise<ShareError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShareError);
  expect((error as ShareError).code).toBe(code);
  expect((error as ShareError).status).toBe(status);
  return error as ShareError;
}

const share = (body: unknown = {}, owner = OWNER) => createShare(store, { owner, meta: META, events: sampleEvents(), body }, { now });

describe('createShare and readShare', () => {
  it('stores a compressed, redacted copy under an unguessable id and reads it back as a session export', async () => {
    const created = await share({ maskArguments: true });
    expect(isShareId(created.shareId)).toBe(true);
    expect(created.shareId).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(created.createdAt).toBe(clock);
    expect(created.expiresAt).toBe(clock + 30 * DAY);
    expect(created.storedBytes).toBeLessThan(created.bytes);

    const document = await readShare(store, created.shareId, OWNER, { now });
    expect(document.share).toMatchObject({
      id: created.shareId,
      owned: true,
      selection: { kind: 'whole' },
      masking: { secrets: true, query: false, arguments: true, results: false },
      expiresAt: created.expiresAt,
    });
    expect(document.meta.sessionId).toBe(created.shareId);
    expect(document.meta.serverUrl).toBe(META.serverUrl);
    const { events } = parseJsonExport(document);
    expect(events).toHaveLength(sampleEvents().length);
    expect(JSON.stringify(document)).not.toContain(ARG_SECRET);

    // Anyone else with the link reads the same content, not owning it.
    const other = await readShare(store, created.shareId, OTHER, { now });
    expect(other.share.owned).toBe(false);
    expect(await readShare(store, created.shareId, undefined, { now })).toMatchObject({ share: { owned: false } });
  });

  it('gives different ids to every share', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add((await share()).shareId);
    expect(ids.size).toBe(20);
  });

  it('records a range or a set of exchanges in the share info', async () => {
    const ranged = await readShare(store, (await share({ range: { from: 90, to: 200 } })).shareId, OWNER, { now });
    expect(ranged.share.selection).toEqual({ kind: 'range', range: { from: 90, to: 200 } });
    const chosen = await readShare(store, (await share({ exchangeIds: ['e3', 'e5'] })).shareId, OWNER, { now });
    expect(chosen.share.selection).toEqual({ kind: 'exchanges', exchangeCount: 2 });
    expect(chosen.events.every((e) => !('exchangeId' in e) || ['e3', 'e5', 'e2'].includes(e.exchangeId as string))).toBe(true);
  });

  it('refuses an empty selection and bad input with clear codes', async () => {
    await expectShareError(share({ range: { from: 10_000, to: 20_000 } }), 'empty_share', 400);
    await expectShareError(share({ exchangeIds: ['missing'] }), 'empty_share', 400);
    const typo = await expectShareError(share({ maskQueries: true }), 'invalid_request', 400);
    expect(typo.message).toContain('"maskQueries"');
    await expectShareError(share({ range: { from: 5, to: 1 } }), 'invalid_request', 400);
    await expectShareError(share({ expiresInDays: 0 }), 'invalid_request', 400);
    await expectShareError(share({ expiresInDays: 'soon' }), 'invalid_request', 400);
    await expectShareError(share({ maskResults: 'yes' }), 'invalid_request', 400);
  });
});

describe('the size limit', () => {
  it('refuses a share over the limit with 413 share_too_large naming the limit, and stores nothing', async () => {
    const error = await expectShareError(
      createShare(store, { owner: OWNER, meta: META, events: sampleEvents(), body: {} }, { now, maxBytes: 2048 }),
      'share_too_large',
      413,
    );
    expect(error.message).toContain('2 kB limit');
    expect(error.message).toContain('MCPSCOPE_SHARE_MAX_BYTES=2048');
    // A smaller selection fits under the same limit.
    const small = await createShare(
      store,
      { owner: OWNER, meta: META, events: sampleEvents(), body: { exchangeIds: ['e5'] } },
      { now, maxBytes: 4096 },
    );
    expect(small.bytes).toBeLessThanOrEqual(4096);
  });

  it('reads the limit from MCPSCOPE_SHARE_MAX_BYTES, 20 MB by default', () => {
    expect(DEFAULT_SHARE_MAX_BYTES).toBe(20 * 1024 * 1024);
    expect(shareMaxBytes({})).toBe(DEFAULT_SHARE_MAX_BYTES);
    expect(shareMaxBytes({ MCPSCOPE_SHARE_MAX_BYTES: '1000' })).toBe(1000);
    expect(shareMaxBytes({ MCPSCOPE_SHARE_MAX_BYTES: 'lots' })).toBe(DEFAULT_SHARE_MAX_BYTES);
  });
});

describe('expiry and deletion', () => {
  it('expires: the link then says expired, and the content leaves the store', async () => {
    const created = await share({ expiresInSeconds: 60 });
    expect(created.expiresAt).toBe(clock + 60_000);
    clock += 59_000;
    await expect(readShare(store, created.shareId, OWNER, { now })).resolves.toBeTruthy();
    clock += 2_000;
    const error = await expectShareError(readShare(store, created.shareId, OWNER, { now }), 'share_expired', 410);
    expect(error.message).toMatch(/expired on/);
    await store.purgeExpired();
    // The link still explains itself...
    await expectShareError(readShare(store, created.shareId, OWNER, { now }), 'share_expired', 410);
    // ...but the content row is gone: with the clock turned back, the store has nothing to return.
    clock -= 30_000;
    expect(await store.getShare(created.shareId)).toBeUndefined();
  });

  it('accepts fractional days and never-expiring links', async () => {
    expect((await share({ expiresInDays: 0.5 })).expiresAt).toBe(clock + DAY / 2);
    const forever = await share({ expiresInDays: null });
    expect(forever.expiresAt).toBeUndefined();
    clock += 400 * DAY;
    await expect(readShare(store, forever.shareId, OWNER, { now })).resolves.toMatchObject({ share: { id: forever.shareId } });
  });

  it('is deleted only by its owner; then the link says deleted', async () => {
    const created = await share();
    await expectShareError(deleteShare(store, created.shareId, OTHER, { now }), 'share_forbidden', 403);
    await expectShareError(deleteShare(store, created.shareId, undefined, { now }), 'share_forbidden', 403);
    await deleteShare(store, created.shareId, OWNER, { now });
    await expectShareError(readShare(store, created.shareId, OTHER, { now }), 'share_deleted', 410);
    await expectShareError(deleteShare(store, created.shareId, OWNER, { now }), 'share_deleted', 410);
  });

  it('an owner can delete a link that already expired', async () => {
    const created = await share({ expiresInSeconds: 1 });
    clock += 5_000;
    await deleteShare(store, created.shareId, OWNER, { now });
    await expectShareError(readShare(store, created.shareId, OWNER, { now }), 'share_deleted', 410);
  });

  it('unknown and malformed ids are not found (internal rows stay out of reach)', async () => {
    const created = await share();
    await expectShareError(readShare(store, 'A'.repeat(24), OWNER, { now }), 'share_not_found', 404);
    await expectShareError(readShare(store, `marker:${created.shareId}`, OWNER, { now }), 'share_not_found', 404);
    await expectShareError(readShare(store, '../../etc', OWNER, { now }), 'share_not_found', 404);
    await expectShareError(deleteShare(store, 'A'.repeat(24), OWNER, { now }), 'share_not_found', 404);
  });
});

describe('shares survive a restart', () => {
  it('reopening the store from the same data directory gives back the same shared log', async () => {
    const created = await share({ maskResults: true, exchangeIds: ['e3'] });
    const before = await readShare(store, created.shareId, OWNER, { now });
    await store.close();

    store = await open();
    const after = await readShare(store, created.shareId, OWNER, { now });
    expect(after).toEqual(before);

    // What is in the database is compressed: no event text is stored in the clear.
    const row = await store.getShare(created.shareId);
    expect(row?.payload).not.toContain('tools/call');
    expect(await decodeShare(row!.payload)).toMatchObject({ format: 'mcpscope-session', share: { id: created.shareId } });
  });
});

describe('parseShareRequest', () => {
  it('defaults to the whole log and 30 days; seconds win over days', () => {
    expect(parseShareRequest(undefined)).toEqual({ selection: {}, expiresInMs: 30 * DAY });
    expect(parseShareRequest({ expiresInDays: 7, expiresInSeconds: 2 }).expiresInMs).toBe(2000);
    expect(parseShareRequest({ untilSeq: 12, maskQuery: true }).selection).toEqual({ untilSeq: 12, maskQuery: true });
    expect(() => parseShareRequest([])).toThrow(ShareError);
    expect(() => parseShareRequest({ exchangeIds: [] })).toThrow(/empty/);
    expect(() => parseShareRequest({ expiresInSeconds: -1 })).toThrow(/expiresInSeconds/);
  });
});
