'use client';

import { useEffect, useState } from 'react';
import { buildHandshakeScript, type HandshakeScript, type TraceEvent, type TraceMeta } from '@/lib/trace';
import { Button, IconAlert, Spinner } from '../ui';
import { CodeToCopy, VariableList, Warnings } from '../copy-as';
import { Modal } from './Modal';

type Loaded = { ok: true; script: HandshakeScript; meta: TraceMeta } | { ok: false; code: string; message: string };

function errorOf(error: unknown): { code: string; message: string } {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'script_failed';
  return { code, message: error instanceof Error ? error.message : String(error) };
}

const MODE_LABEL: Record<HandshakeScript['mode'], string> = {
  'streamable-http': 'Streamable HTTP, with the session id threaded through',
  'stateless-2026': 'Streamable HTTP, stateless (2026-07-28)',
  'legacy-sse': 'Legacy HTTP+SSE: the script opens the stream and posts to the endpoint it names',
};

/** The recorded handshake as a bash script of curl calls, copied as it opens. */
export function HandshakeDialog({
  load,
  onClose,
}: {
  load: () => Promise<{ meta: TraceMeta; events: readonly TraceEvent[] }>;
  onClose: () => void;
}) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    let cancelled = false;
    load()
      .then(({ meta, events }) => ({ ok: true as const, meta, script: buildHandshakeScript(events, { meta }) }))
      .catch((error: unknown) => ({ ok: false as const, ...errorOf(error) }))
      .then((result) => {
        if (!cancelled) setLoaded(result);
      });
    return () => {
      cancelled = true;
    };
  }, [load]);

  return (
    <Modal
      title="Handshake as a curl script"
      subtitle="A bash script that replays this session's handshake against the same server."
      onClose={onClose}
      testId="handshake-dialog"
      className="max-w-3xl"
      footer={
        <Button className="ml-auto" onClick={onClose}>
          Close
        </Button>
      }
    >
      <div className="flex flex-col gap-3 p-4">
        {!loaded && (
          <div className="flex items-center gap-2 text-muted">
            <Spinner /> Reading the session log…
          </div>
        )}
        {loaded && !loaded.ok && (
          <div
            role="alert"
            className="flex gap-2 rounded border border-err/40 bg-err-soft px-3 py-2 text-[13px]"
            data-testid="handshake-error"
          >
            <IconAlert className="mt-0.5 h-4 w-4 shrink-0 text-err" />
            <div>
              <div>{loaded.message}</div>
              <div className="font-mono text-[11px] text-err">{loaded.code}</div>
            </div>
          </div>
        )}
        {loaded?.ok && (
          <>
            <div className="text-xs text-muted">
              <span className="font-medium text-fg">{MODE_LABEL[loaded.script.mode]}.</span> Steps:{' '}
              <span className="font-mono" data-testid="handshake-steps">
                {loaded.script.steps.join(' → ')}
              </span>
            </div>
            <CodeToCopy code={loaded.script.script} copyOnMount testId="handshake-script" maxHeight="max-h-[50dvh]" />
            <VariableList variables={loaded.script.variables} />
            <Warnings warnings={loaded.script.warnings} />
          </>
        )}
      </div>
    </Modal>
  );
}
