'use client';

import { useEffect, useState } from 'react';
import type { ShellVariable } from '@/lib/trace';
import { Button, IconAlert, IconButton, IconCheck, IconCopy, IconX, cn } from '../ui';
import { copyText } from './clipboard';

export type CopyState = 'idle' | 'copied' | 'failed';

/** Copies `text` once on mount (the click that opened the panel) and on every press of the Copy button. */
export function useCopy(text: string, copyOnMount: boolean): [CopyState, () => void] {
  const [state, setState] = useState<CopyState>('idle');
  const copy = () => {
    void copyText(text).then((ok) => setState(ok ? 'copied' : 'failed'));
  };
  useEffect(() => {
    if (copyOnMount) copy();
    // Only the first render's text is copied automatically; later presses copy the current text.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(timer);
  }, [state]);
  return [state, copy];
}

function CopyStatus({ state }: { state: CopyState }) {
  if (state === 'copied') {
    return (
      <span className="inline-flex items-center gap-1 text-xs text-ok" data-testid="copy-status" data-state="copied" role="status">
        <IconCheck className="h-3.5 w-3.5" /> Copied
      </span>
    );
  }
  if (state === 'failed') {
    return (
      <span className="text-xs text-warn" data-testid="copy-status" data-state="failed" role="status">
        The clipboard is not available here: select the text and copy it.
      </span>
    );
  }
  return null;
}

/** The variables a copied command needs, as `export NAME=…` lines to fill in. */
export function VariableList({ variables }: { variables: readonly ShellVariable[] }) {
  if (variables.length === 0) return null;
  return (
    <div className="rounded border border-warn/40 bg-warn-soft px-3 py-2 text-xs" data-testid="copy-variables">
      <div className="font-semibold text-warn">Set {variables.length === 1 ? 'this variable' : 'these variables'} first</div>
      <div className="mt-0.5 text-muted">Secrets were masked when they were recorded, so the command reads them from the shell.</div>
      <ul className="mt-1.5 space-y-1">
        {variables.map((variable) => (
          <li key={variable.name} data-testid="copy-variable" data-name={variable.name}>
            <code className="font-mono text-[11px] text-fg">export {variable.name}=…</code>
            <span className="ml-2 text-muted">{variable.description}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Warnings({ warnings }: { warnings: readonly string[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="space-y-0.5 text-xs text-muted" data-testid="copy-warnings">
      {warnings.map((warning) => (
        <li key={warning} className="flex gap-1.5">
          <IconAlert className="mt-0.5 h-3 w-3 shrink-0 text-warn" />
          {warning}
        </li>
      ))}
    </ul>
  );
}

/** Code to copy, with a Copy button and its outcome. */
export function CodeToCopy({
  code,
  copyOnMount = false,
  testId,
  maxHeight = 'max-h-72',
}: {
  code: string;
  copyOnMount?: boolean;
  testId?: string;
  maxHeight?: string;
}) {
  const [state, copy] = useCopy(code, copyOnMount);
  return (
    <div className="overflow-hidden rounded border border-line bg-panel-2">
      <div className="flex h-7 items-center gap-2 border-b border-line px-2">
        <CopyStatus state={state} />
        <Button size="sm" variant="ghost" className="ml-auto" onClick={copy} data-testid={testId ? `${testId}-copy` : undefined}>
          <IconCopy className="h-3.5 w-3.5" /> Copy
        </Button>
      </div>
      <pre className={cn('overflow-auto p-2.5 font-mono text-[11px] leading-relaxed whitespace-pre', maxHeight)} data-testid={testId}>
        {code}
      </pre>
    </div>
  );
}

/** A panel that opens under a "Copy as …" button: the code (already copied), what to set, what is missing. */
export function CopyAsPanel({
  title,
  code,
  variables = [],
  warnings = [],
  onClose,
  testId,
  className,
}: {
  title: string;
  code: string;
  variables?: readonly ShellVariable[];
  warnings?: readonly string[];
  onClose: () => void;
  testId: string;
  className?: string;
}) {
  return (
    <section className={cn('flex flex-col gap-2 border-b border-line bg-panel p-3', className)} data-testid={testId} aria-label={title}>
      <div className="flex items-center gap-2">
        <span className="text-xs font-semibold">{title}</span>
        <IconButton onClick={onClose} label={`Close ${title}`} className="ml-auto">
          <IconX className="h-3.5 w-3.5" />
        </IconButton>
      </div>
      <CodeToCopy code={code} copyOnMount testId={`${testId}-code`} />
      <VariableList variables={variables} />
      <Warnings warnings={warnings} />
    </section>
  );
}
