'use client';

import type { ToolInfo } from '../api';
import { useTheme } from '../theme';
import { Badge, cn } from '../ui';

/** The tool's own icon when it is inline data or HTTPS (never plain HTTP: mixed content, tracking); nothing otherwise. */
export function ToolIcon({ tool, className }: { tool: ToolInfo; className?: string }) {
  const { resolved } = useTheme();
  const icons = (tool.icons ?? []).filter((icon) => typeof icon?.src === 'string' && /^(data:image\/|https:)/i.test(icon.src));
  const icon = icons.find((candidate) => candidate.theme === resolved) ?? icons.find((candidate) => !candidate.theme) ?? icons[0];
  if (icon) {
    return (
      // eslint-disable-next-line @next/next/no-img-element -- arbitrary remote/data icons, no optimisation wanted
      <img
        src={icon.src}
        alt=""
        width={16}
        height={16}
        className={cn('h-4 w-4 shrink-0 object-contain', className)}
        data-testid="tool-icon"
      />
    );
  }
  // No made-up icon (the first letter of the name told nothing): the annotation badges say what a tool does.
  return null;
}

const HINTS = [
  { key: 'readOnlyHint', label: 'read-only', tone: 'ok', title: 'readOnlyHint: does not modify its environment' },
  { key: 'destructiveHint', label: 'destructive', tone: 'err', title: 'destructiveHint: may perform destructive updates' },
  {
    key: 'idempotentHint',
    label: 'idempotent',
    tone: 'accent',
    title: 'idempotentHint: calling again with the same arguments has no extra effect',
  },
  { key: 'openWorldHint', label: 'open-world', tone: 'purple', title: 'openWorldHint: interacts with external entities' },
] as const;

/** Badges for the hints a tool sets explicitly to true (absent hints are not guessed). */
export function AnnotationBadges({ tool, compact = false }: { tool: ToolInfo; compact?: boolean }) {
  const annotations = tool.annotations ?? {};
  const shown = HINTS.filter((hint) => annotations[hint.key] === true && (!compact || hint.key !== 'idempotentHint'));
  if (shown.length === 0) return null;
  return (
    <span className="inline-flex flex-wrap gap-1" data-testid="tool-annotations">
      {shown.map((hint) => (
        <Badge key={hint.key} tone={hint.tone} title={hint.title} className={compact ? 'h-4 px-1 text-[10px]' : undefined}>
          {hint.label}
        </Badge>
      ))}
    </span>
  );
}
