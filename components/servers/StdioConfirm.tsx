'use client';

// The exact command, shown for the person to confirm before a command runs for the first time in this browser
// (lib/stdio/policy.ts says why starting programs is guarded; the launch token is the guard against other sites).
import { Button, IconPlay } from '../ui';

export function StdioConfirm({
  line,
  cwd,
  envNames,
  onRun,
  onCancel,
}: {
  line: string;
  cwd: string | undefined;
  envNames: readonly string[];
  onRun: () => void;
  onCancel: () => void;
}) {
  return (
    <div
      role="alertdialog"
      aria-labelledby="stdio-confirm-title"
      data-testid="stdio-confirm"
      className="mt-4 rounded border border-warn/50 bg-warn-soft p-3 text-[13px]"
    >
      <div id="stdio-confirm-title" className="font-semibold">
        Run this command on this machine?
      </div>
      <p className="mt-0.5 text-xs text-muted">
        It runs with your permissions. mcpscope asks once for each new command; check it is the one you meant.
      </p>
      <pre
        className="mt-2 overflow-x-auto rounded border border-line bg-panel px-2 py-1.5 font-mono text-xs whitespace-pre-wrap break-all"
        data-testid="stdio-confirm-command"
      >
        {line}
      </pre>
      <dl className="mt-1.5 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
        <dt className="text-muted">Directory</dt>
        <dd className="font-mono break-all" data-testid="stdio-confirm-cwd">
          {cwd ?? "mcpscope's own directory"}
        </dd>
        <dt className="text-muted">Environment</dt>
        <dd className="font-mono break-all" data-testid="stdio-confirm-env">
          {envNames.length > 0 ? envNames.join(', ') : 'PATH, HOME and the other usual variables only'}
        </dd>
      </dl>
      <div className="mt-3 flex gap-2">
        <Button variant="primary" size="sm" data-testid="stdio-confirm-run" onClick={onRun}>
          <IconPlay className="h-3.5 w-3.5" /> Run it
        </Button>
        <Button size="sm" data-testid="stdio-confirm-cancel" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
