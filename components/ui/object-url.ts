'use client';

import { useCallback, useSyncExternalStore } from 'react';
import { DOWNLOAD_MIME_TYPE } from '@/lib/preview';

interface ObjectUrl {
  url: string;
  users: number;
}

/** Live object URLs by bytes and type: made when the first component shows them, revoked when the last one stops. */
const live = new WeakMap<Uint8Array, Map<string, ObjectUrl>>();

function liveUrl(bytes: Uint8Array | undefined, type: string | undefined): string | undefined {
  return bytes && type ? live.get(bytes)?.get(type)?.url : undefined;
}

/**
 * An object URL for the bytes with this type while `wanted`, revoked when they change or the component unmounts.
 * The URL is a resource outside React: it is made when the component subscribes (after it is shown) and read
 * as an external store, so it appears in the render right after, without an effect setting state.
 */
export function useObjectUrl(bytes: Uint8Array | undefined, type: string | undefined, wanted = true): string | undefined {
  const subscribe = useCallback(
    (changed: () => void) => {
      if (!wanted || !bytes || !type) return () => {};
      let byType = live.get(bytes);
      if (!byType) live.set(bytes, (byType = new Map()));
      let entry = byType.get(type);
      if (!entry) {
        entry = { url: URL.createObjectURL(new Blob([bytes as BlobPart], { type })), users: 0 };
        byType.set(type, entry);
        changed();
      }
      entry.users += 1;
      const held = entry;
      const map = byType;
      return () => {
        held.users -= 1;
        if (held.users > 0) return;
        URL.revokeObjectURL(held.url);
        if (map.get(type) === held) map.delete(type);
      };
    },
    [bytes, type, wanted],
  );
  const get = () => (wanted ? liveUrl(bytes, type) : undefined);
  return useSyncExternalStore(subscribe, get, () => undefined);
}

/**
 * An object URL for saving server bytes. Always application/octet-stream: a blob URL has mcpscope's origin, so
 * one labelled text/html or image/svg+xml and opened in a tab would run the server's script as mcpscope. This
 * one is only ever saved. Pair it with `download={downloadFileName(...)}` (lib/preview).
 */
export function useDownloadUrl(bytes: Uint8Array | undefined, wanted = true): string | undefined {
  return useObjectUrl(bytes, DOWNLOAD_MIME_TYPE, wanted);
}
