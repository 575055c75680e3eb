// The file opened on the home page, handed to /view. It stays in this browser: in memory for the page that
// opened it, and in IndexedDB so a reload of /view still shows it. Nothing is uploaded.
import type { ImportedSession } from './parse';

const DB_NAME = 'mcpscope';
const STORE = 'opened-files';
const KEY = 'current';

let current: ImportedSession | undefined;

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = run(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

export async function rememberOpenedFile(session: ImportedSession): Promise<void> {
  current = session;
  try {
    await withStore('readwrite', (store) => store.put(session, KEY));
  } catch {
    // Private windows may refuse IndexedDB: the file still opens, it just does not survive a reload.
  }
}

export async function recallOpenedFile(): Promise<ImportedSession | undefined> {
  if (current) return current;
  try {
    current = (await withStore<ImportedSession | undefined>('readonly', (store) => store.get(KEY))) ?? undefined;
  } catch {
    return undefined;
  }
  return current;
}
