'use client';

import { useEffect, useState } from 'react';
import { cn } from './cn';
import { IconCheck, IconCopy } from './icons';

export function CopyButton({ text, className, label = 'Copy' }: { text: string; className?: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1200);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      title={label}
      aria-label={label}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true));
      }}
      className={cn('inline-flex h-6 w-6 items-center justify-center rounded text-faint hover:bg-hover hover:text-fg', className)}
    >
      {copied ? <IconCheck className="text-ok" /> : <IconCopy />}
    </button>
  );
}
