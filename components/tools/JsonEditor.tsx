'use client';

// Loaded with next/dynamic: CodeMirror is the heaviest thing in the UI and only needed in JSON mode.
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import CodeMirror, { type EditorView } from '@uiw/react-codemirror';
import { useMemo } from 'react';
import { useTheme } from '../theme';
import { locatePointer } from './json-locate';

/** A problem with the parsed value, at a JSON pointer into it. */
export interface JsonProblem {
  pointer: string;
  message: string;
}

export interface JsonEditorProps {
  value: string;
  onChange: (value: string) => void;
  minHeight?: string;
  maxHeight?: string;
  ariaLabel?: string;
  /** Checks the parsed value (e.g. against the tool's schema): each problem is marked where it is in the text. */
  check?: (value: unknown) => JsonProblem[];
}

const LINT_DELAY_MS = 300;

/** JSON syntax errors, then the check's problems marked where they are. */
function schemaLinter(check: ((value: unknown) => JsonProblem[]) | undefined) {
  const syntax = jsonParseLinter();
  const source = (view: EditorView): Diagnostic[] => {
    const text = view.state.doc.toString();
    if (!text.trim()) return [];
    const syntaxErrors = syntax(view);
    if (syntaxErrors.length > 0 || !check) return syntaxErrors;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return [];
    }
    return check(parsed).map((problem) => {
      const range = locatePointer(text, problem.pointer) ?? { from: 0, to: Math.min(1, text.length) };
      return {
        from: range.from,
        to: Math.max(range.to, range.from + 1),
        severity: 'error' as const,
        message: problem.message,
        source: 'inputSchema',
      };
    });
  };
  return linter(source, { delay: LINT_DELAY_MS });
}

export default function JsonEditor({ value, onChange, minHeight = '180px', maxHeight = '520px', ariaLabel, check }: JsonEditorProps) {
  const { resolved } = useTheme();
  // A new check (the tool's schema changed) reconfigures the editor, which keeps its text and lints again; the
  // caller keeps `check` stable otherwise (useCallback on the schema).
  const extensions = useMemo(() => [json(), schemaLinter(check), lintGutter()], [check]);
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
