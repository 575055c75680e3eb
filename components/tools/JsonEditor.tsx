'use client';

// Loaded with next/dynamic: CodeMirror is the heaviest thing in the UI and only needed in JSON mode.
import { json } from '@codemirror/lang-json';
import CodeMirror from '@uiw/react-codemirror';
import { useMemo } from 'react';
import { useTheme } from '../theme';

export interface JsonEditorProps {
  value: string;
  onChange: (value: string) => void;
  minHeight?: string;
  maxHeight?: string;
  ariaLabel?: string;
}

export default function JsonEditor({ value, onChange, minHeight = '180px', maxHeight = '520px', ariaLabel }: JsonEditorProps) {
  const { resolved } = useTheme();
  const extensions = useMemo(() => [json()], []);
  return (
    <CodeMirror
      value={value}
      onChange={onChange}
      extensions={extensions}
      theme={resolved}
      minHeight={minHeight}
      maxHeight={maxHeight}
      aria-label={ariaLabel}
      basicSetup={{ lineNumbers: true, foldGutter: true, highlightActiveLine: false, autocompletion: false }}
      className="overflow-hidden rounded border border-line text-xs"
    />
  );
}
