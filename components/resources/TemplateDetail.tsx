'use client';

import { useMemo, useState } from 'react';
import { expandUriTemplate, templateVariables, type TemplateVariable } from '@/lib/uri-template';
import { ArgumentFields } from '../completion';
import type { LogStore } from '../log-store';
import { Badge, Button, CopyButton, IconPlay, useStickyState } from '../ui';
import { ReadPanel } from './ReadPanel';
import { resourceLabel, type ResourceTemplateInfo } from './types';

function parseVariables(template: string): { variables: TemplateVariable[]; error?: string } {
  try {
    return { variables: templateVariables(template) };
  } catch (error) {
    return { variables: [], error: error instanceof Error ? error.message : String(error) };
  }
}

function operatorHint(variable: TemplateVariable): string | undefined {
  const hints: Partial<Record<TemplateVariable['operator'], string>> = {
    '+': 'reserved characters such as / are kept',
    '#': 'becomes a #fragment',
    '?': 'becomes a query parameter',
    '&': 'becomes a query parameter',
    '/': 'becomes a path segment',
    '.': 'becomes a .label',
    ';': 'becomes a ;parameter',
  };
  const parts = [
    hints[variable.operator],
    variable.explode ? 'comma-separated values are sent as a list' : undefined,
    variable.maxLength ? `first ${variable.maxLength} characters` : undefined,
  ];
  const text = parts.filter(Boolean).join('; ');
  return text || undefined;
}

/** A template's variables as a form (with completion/complete suggestions), its expansion, and a read of the result. */
export function TemplateDetail({
  sessionId,
  store,
  template,
  connected,
  completions,
}: {
  sessionId: string;
  store: LogStore;
  template: ResourceTemplateInfo;
  connected: boolean;
  completions: boolean;
}) {
  const { variables, error: templateError } = useMemo(() => parseVariables(template.uriTemplate), [template.uriTemplate]);
  const [values, setValues] = useStickyState<Record<string, string>>(sessionId, `template:${template.uriTemplate}`, {});
  const [readUri, setReadUri] = useState<string | null>(null);

  const expansion = useMemo(() => {
    if (templateError) return { uri: undefined, error: templateError };
    try {
      const input = Object.fromEntries(
        variables.map((variable) => {
          const value = values[variable.name] ?? '';
          // An exploded variable takes a list: the person types it comma-separated.
          return [variable.name, value === '' ? undefined : variable.explode ? value.split(',').map((item) => item.trim()) : value];
        }),
      );
      return { uri: expandUriTemplate(template.uriTemplate, input), error: undefined };
    } catch (error) {
      return { uri: undefined, error: error instanceof Error ? error.message : String(error) };
    }
  }, [template.uriTemplate, templateError, variables, values]);
  const missing = variables.filter((variable) => !(values[variable.name] ?? '').trim()).map((variable) => variable.name);

  return (
    <div className="flex flex-col" data-testid="template-detail" data-uri-template={template.uriTemplate}>
      <div className="border-b border-line bg-panel px-4 py-2.5">
        <div className="flex items-center gap-2">
          <h2 className="truncate text-[15px] font-semibold">{resourceLabel(template)}</h2>
          <Badge tone="purple">template</Badge>
          {template.mimeType && <Badge mono>{template.mimeType}</Badge>}
        </div>
        <div className="mt-0.5 flex items-center gap-1 font-mono text-xs break-all text-accent">
          {template.uriTemplate}
          <CopyButton text={template.uriTemplate} label="Copy template" />
        </div>
        {template.description && <p className="mt-1 text-[13px] whitespace-pre-line text-muted">{template.description}</p>}
      </div>
      <div className="grid gap-4 p-4 xl:grid-cols-[minmax(280px,380px)_1fr]">
        <div className="flex flex-col gap-3">
          <div className="field-label mb-0">Variables (RFC 6570)</div>
          {templateError ? (
            <div className="text-xs text-err" role="alert">
              The template cannot be parsed: {templateError}
            </div>
          ) : variables.length === 0 ? (
            <div className="text-xs text-muted">This template has no variables.</div>
          ) : (
            <ArgumentFields
              sessionId={sessionId}
              reference={{ type: 'ref/resource', uri: template.uriTemplate }}
              fields={variables.map((variable) => ({ name: variable.name, description: operatorHint(variable) }))}
              values={values}
              onChange={setValues}
              completions={completions && connected}
              idPrefix="template-var"
            />
          )}
          {!completions && variables.length > 0 && (
            <div className="text-[11px] text-faint">The server did not declare completions, so there are no suggestions.</div>
          )}
          <div>
            <div className="field-label">Expands to</div>
            <div className="rounded border border-line bg-panel-2 px-2 py-1.5 font-mono text-xs break-all" data-testid="expanded-uri">
              {expansion.uri ?? <span className="text-err">{expansion.error}</span>}
            </div>
            {missing.length > 0 && (
              <div className="mt-1 text-[11px] text-warn">Not filled in: {missing.join(', ')} (left out of the URI)</div>
            )}
          </div>
          <div>
            <Button
              variant="primary"
              onClick={() => expansion.uri && setReadUri(expansion.uri)}
              disabled={!connected || !expansion.uri}
              data-testid="read-template"
            >
              <IconPlay className="h-3 w-3" /> Read this URI
            </Button>
          </div>
        </div>
        <div className="min-w-0">
          {readUri ? (
            <>
              <div className="mb-2 font-mono text-xs break-all text-muted">
                resources/read <span className="text-accent">{readUri}</span>
              </div>
              <ReadPanel key={readUri} sessionId={sessionId} uri={readUri} store={store} canRead={connected} autoRead subscribed={false} />
            </>
          ) : (
            <div className="flex min-h-32 items-center justify-center rounded border border-dashed border-line p-6 text-center text-xs text-muted">
              Fill in the variables and press Read this URI: the expanded URI is sent as resources/read.
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
