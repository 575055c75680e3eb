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

export function HeadersEditor({ rows, onChange }: { rows: HeaderRow[]; onChange: (rows: HeaderRow[]) => void }) {
  const update = (id: number, patch: Partial<HeaderRow>) => onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));

  return (
    <div className="flex flex-col gap-1.5" data-testid="headers-editor">
      {rows.map((row, index) => {
        const problem = headerNameProblem(row.name);
        return (
          <div key={row.id}>
            <div className="flex items-center gap-1.5">
              <input
                className="input-mono w-[38%] flex-none"
                placeholder="Header-Name"
                aria-label={`Header ${index + 1} name`}
                aria-invalid={problem ? true : undefined}
                data-testid="header-name"
                spellCheck={false}
                autoComplete="off"
                value={row.name}
                onChange={(event) => update(row.id, { name: event.target.value })}
              />
              <SecretInput
                maskWhenBlurred
                placeholder="value"
                aria-label={`Header ${index + 1} value`}
                data-testid="header-value"
                value={row.value}
                onChange={(event) => update(row.id, { value: event.target.value })}
              />
              <Button
                variant="ghost"
                size="sm"
                className="w-7 px-0"
                aria-label={`Remove header ${row.name || index + 1}`}
                title="Remove header"
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
        <Button size="sm" variant="ghost" data-testid="add-header" onClick={() => onChange([...rows, newHeaderRow()])}>
          <IconPlus className="h-3.5 w-3.5" /> Add header
        </Button>
      </div>
    </div>
  );
}
