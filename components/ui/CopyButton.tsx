'use client';

import { useEffect, useState } from 'react';
import { IconButton } from './IconButton';
import { IconCheck, IconCopy } from './icons';

export function CopyButton({ text, className, label = 'Copy' }: { text: string; className?: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1200);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <IconButton
      title={label}
      label={label}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true));
      }}
      className={className}
    >
      {copied ? <IconCheck className="text-ok" /> : <IconCopy />}
    </IconButton>
  );
}
