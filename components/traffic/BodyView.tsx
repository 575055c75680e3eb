'use client';

import { useMemo, useState } from 'react';
import type { BodyCapture } from '@/lib/trace/types';
import { CopyButton, JsonTree, cn, formatBytes, tryParseJson } from '../ui';

/** A captured HTTP body: JSON as a tree (with a raw toggle), text as text, binary as a note. */
export function BodyView({ body, emptyText = 'No body' }: { body: BodyCapture | undefined; emptyText?: string }) {
  const [raw, setRaw] = useState(false);
  const parsed = useMemo(() => (body && body.encoding === 'utf8' ? tryParseJson(body.text) : { ok: false as const }), [body]);

  if (!body || (body.size === 0 && !body.text)) return <div className="p-3 text-xs text-faint">{emptyText}</div>;
  if (body.dropped) {
    return (
      <div className="p-3 text-xs text-warn">
        This body ({formatBytes(body.size)}) was dropped when the session log reached its size cap. The rest of the exchange is kept.
      </div>
    );
  }
  return (
    <div className="flex min-h-0 flex-col" data-testid="body-view">
      <div className="flex h-7 shrink-0 items-center gap-2 border-b border-line px-3 text-[11px] text-muted">
        <span>
          {formatBytes(body.size)}
          {body.encoding === 'base64' && ' · binary (base64)'}
        </span>
        {body.truncated && <span className="text-warn">showing the first {formatBytes(body.text.length)} (capture cap)</span>}
        <span className="ml-auto flex items-center gap-1">
          {parsed.ok && (
            <button
              type="button"
              className={cn('rounded px-1.5 py-0.5 hover:bg-hover', raw && 'bg-panel-2 text-fg')}
              onClick={() => setRaw((value) => !value)}
              aria-pressed={raw}
            >
              Raw
            </button>
          )}
          <CopyButton text={body.text} label="Copy body" />
        </span>
      </div>
      <div className="overflow-auto p-3">
        {parsed.ok && !raw ? (
          <JsonTree data={parsed.value} expandDepth={3} />
        ) : (
          <pre className="font-mono text-xs break-all whitespace-pre-wrap">{body.text}</pre>
        )}
      </div>
    </div>
  );
}
