import type { HTMLAttributes } from 'react';
import { cn } from './cn';

export type Tone = 'neutral' | 'accent' | 'ok' | 'err' | 'warn' | 'purple';

const TONES: Record<Tone, string> = {
  neutral: 'bg-panel-2 text-muted border-line',
  accent: 'bg-accent-soft text-accent border-transparent',
  ok: 'bg-ok-soft text-ok border-transparent',
  err: 'bg-err-soft text-err border-transparent',
  warn: 'bg-warn-soft text-warn border-transparent',
  purple: 'bg-purple-soft text-purple border-transparent',
};

export interface BadgeProps extends HTMLAttributes<HTMLSpanElement> {
  tone?: Tone;
  mono?: boolean;
}

export function Badge({ tone = 'neutral', mono, className, ...props }: BadgeProps) {
  return (
    <span
      className={cn(
        'inline-flex h-[18px] shrink-0 items-center rounded border px-1.5 text-[11px] leading-none font-medium whitespace-nowrap',
        mono && 'font-mono',
        TONES[tone],
        className,
      )}
      {...props}
    />
  );
}

/** The outcome of one check of a checklist (the Doctor's steps, the audit's checks). */
export type CheckResult = 'pass' | 'warn' | 'fail' | 'na' | 'skipped' | 'consent';

const CHECK_RESULT: Record<CheckResult, { label: string; tone: Tone }> = {
  pass: { label: 'pass', tone: 'ok' },
  warn: { label: 'warn', tone: 'warn' },
  fail: { label: 'fail', tone: 'err' },
  na: { label: 'n/a', tone: 'neutral' },
  skipped: { label: 'skipped', tone: 'neutral' },
  consent: { label: 'needs consent', tone: 'warn' },
};

export function CheckBadge({ result }: { result: CheckResult }) {
  return <Badge tone={CHECK_RESULT[result].tone}>{CHECK_RESULT[result].label}</Badge>;
}
