'use client';

import { Button, IconPlus, IconX } from '../ui';
import { SecretInput } from './SecretInput';

export interface HeaderRow {
  id: number;
  name: string;
  value: string;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function headerNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return undefined;
  if (!HEADER_NAME.test(trimmed)) return "Header names may only contain letters, digits and !#$%&'*+-.^_`|~";
  if (/^(host|content-length|connection|transfer-encoding)$/i.test(trimmed)) return `${trimmed} is set by mcpscope`;
  return undefined;
}

let nextId = 1;
export function newHeaderRow(): HeaderRow {
  nextId += 1;
  return { id: nextId, name: '', value: '' };
}

/** What the rows are: HTTP headers (the default) or, for a command, environment variables. */
export interface PairEditorWords {
  noun: string;
  namePlaceholder: string;
  problem: (name: string) => string | undefined;
  testId: string;
}

const HEADER_WORDS: PairEditorWords = { noun: 'header', namePlaceholder: 'Header-Name', problem: headerNameProblem, testId: 'header' };

export function envNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return undefined;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(trimmed) ? undefined : 'Variable names are letters, digits and _, not starting with a digit';
}

export const ENV_WORDS: PairEditorWords = { noun: 'variable', namePlaceholder: 'NAME', problem: envNameProblem, testId: 'env' };

export function HeadersEditor({
  rows,
  onChange,
  words = HEADER_WORDS,
}: {
  rows: HeaderRow[];
  onChange: (rows: HeaderRow[]) => void;
  words?: PairEditorWords;
}) {
  const noun = words.noun;
  const Noun = noun[0]!.toUpperCase() + noun.slice(1);
  const update = (id: number, patch: Partial<HeaderRow>) => onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));

  return (
    <div className="flex flex-col gap-1.5" data-testid={`${words.testId}s-editor`}>
      {rows.map((row, index) => {
        const problem = words.problem(row.name);
        return (
          <div key={row.id}>
            <div className="flex items-center gap-1.5">
              <input
                className="input-mono w-[38%] flex-none"
                placeholder={words.namePlaceholder}
                aria-label={`${Noun} ${index + 1} name`}
                aria-invalid={problem ? true : undefined}
                data-testid={`${words.testId}-name`}
                spellCheck={false}
                autoComplete="off"
                value={row.name}
                onChange={(event) => update(row.id, { name: event.target.value })}
              />
              <SecretInput
                maskWhenBlurred
                placeholder="value"
                aria-label={`${Noun} ${index + 1} value`}
                data-testid={`${words.testId}-value`}
                value={row.value}
                onChange={(event) => update(row.id, { value: event.target.value })}
              />
              <Button
                variant="ghost"
                size="sm"
                className="w-7 px-0"
                aria-label={`Remove ${noun} ${row.name || index + 1}`}
                title={`Remove ${noun}`}
                onClick={() => onChange(rows.filter((other) => other.id !== row.id))}
              >
                <IconX />
              </Button>
            </div>
            {problem && <div className="mt-0.5 text-xs text-err">{problem}</div>}
          </div>
        );
      })}
      <div>
        <Button size="sm" variant="ghost" data-testid={`add-${words.testId}`} onClick={() => onChange([...rows, newHeaderRow()])}>
          <IconPlus className="h-3.5 w-3.5" /> Add {noun}
        </Button>
      </div>
    </div>
  );
}
