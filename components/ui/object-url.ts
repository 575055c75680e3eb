'use client';

import { useEffect, useState } from 'react';
import { DOWNLOAD_MIME_TYPE } from '@/lib/preview';

/** An object URL for the bytes with this type while `wanted`, revoked when they change or the component unmounts. */
export function useObjectUrl(bytes: Uint8Array | undefined, type: string | undefined, wanted = true): string | undefined {
  const [url, setUrl] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!wanted || !bytes || !type) {
      setUrl(undefined);
      return;
    }
    const next = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [bytes, type, wanted]);
  return url;
}

/**
 * An object URL for saving server bytes. Always application/octet-stream: a blob URL has mcpscope's origin, so
 * one labelled text/html or image/svg+xml and opened in a tab would run the server's script as mcpscope. This
 * one is only ever saved. Pair it with `download={downloadFileName(...)}` (lib/preview).
 */
export function useDownloadUrl(bytes: Uint8Array | undefined, wanted = true): string | undefined {
  return useObjectUrl(bytes, DOWNLOAD_MIME_TYPE, wanted);
}
