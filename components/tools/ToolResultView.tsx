'use client';

import { lazy, Suspense, useState } from 'react';
import { ENGINE_TIMING_DESCRIPTION } from '@/lib/contract';
import type { SchemaValidation } from '@/lib/schema-form';
import type { CallToolResult, ToolInfo } from '../api';
import { rpcErrorName } from '../messages';
import { Badge, CopyButton, IconAlert, IconCheck, JsonCode, JsonTree, cn, formatMs, prettyJson } from '../ui';
import type { LogStore } from '../log-store';
import { ContentBlockView } from './ContentBlockView';
import { parseUrlElicitationRequired } from './url-elicitation';
import { LiveUrlElicitationPanel, UrlElicitationPanel } from './UrlElicitationPanel';
import type { CallRecord } from './use-tools-state';

// Ajv loads with the first result that has an outputSchema to check, not with the page.
const StructuredCheck = lazy(() => import('./StructuredCheck'));

type Validation = SchemaValidation | { status: 'checking' };

function StructuredContent({ tool, result, validation }: { tool: ToolInfo; result: CallToolResult; validation: Validation | undefined }) {
  const hasStructured = result.structuredContent !== undefined;
  if (hasStructured && tool.outputSchema !== undefined)
    return <StructuredCard result={result} validation={validation ?? { status: 'checking' }} />;
  if (!hasStructured) {
    if (tool.outputSchema !== undefined && !result.isError) {
      return (
        <div className="flex gap-2 rounded border border-warn/40 bg-warn-soft px-3 py-2 text-xs" data-testid="output-schema-warning">
          <IconAlert className="mt-0.5 h-3.5 w-3.5 shrink-0 text-warn" />
          The tool declares an outputSchema but returned no structuredContent.
        </div>
      );
    }
    return null;
  }
  return <StructuredCard result={result} validation={undefined} />;
}

/** The structuredContent card; `validation` is undefined when the tool declares no outputSchema. */
function StructuredCard({ result, validation }: { result: CallToolResult; validation: Validation | undefined }) {
  const [tree, setTree] = useState(false);
  return (
    <div className="overflow-hidden rounded border border-line bg-panel" data-testid="structured-content">
      <div className="flex h-7 items-center gap-2 border-b border-line bg-panel-2 px-2.5 text-[11px] text-muted">
        <span className="font-semibold text-fg">structuredContent</span>
        {validation?.status === 'valid' && (
          <span className="inline-flex items-center gap-1 text-ok" data-testid="output-schema-valid">
            <IconCheck className="h-3 w-3" /> matches outputSchema
          </span>
        )}
        {validation === undefined && <span>no outputSchema declared</span>}
        <button
          type="button"
          aria-pressed={tree}
          onClick={() => setTree((value) => !value)}
          className={cn('ml-auto rounded px-1.5 py-0.5 hover:bg-hover', tree && 'bg-panel text-fg shadow-sm')}
        >
          Tree
        </button>
        <CopyButton text={prettyJson(result.structuredContent)} label="Copy JSON" />
      </div>
      {validation && validation.status !== 'valid' && validation.status !== 'checking' && (
        <div className="flex gap-2 border-b border-warn/40 bg-warn-soft px-3 py-2 text-xs" data-testid="output-schema-warning" role="alert">
          <IconAlert className="mt-0.5 h-3.5 w-3.5 shrink-0 text-warn" />
          <div className="min-w-0">
            {validation.status === 'invalid' ? (
              <>
                <div className="font-semibold text-warn">structuredContent does not match the tool’s outputSchema</div>
                <div className="mt-0.5">
                  Servers must return structured results that conform to the schema they declare; a client that validates would refuse this
                  result.
                </div>
                <ul className="mt-0.5 list-disc pl-4 font-mono text-[11px]">
                  {validation.errors.map((error) => (
                    <li key={error}>{error}</li>
                  ))}
                </ul>
              </>
            ) : (
              <>
                <div className="font-semibold text-warn">The outputSchema could not be used to check the result</div>
                <div className="mt-0.5">{validation.message}</div>
              </>
            )}
          </div>
        </div>
      )}
      <div className="p-2.5">
        {tree ? <JsonTree data={result.structuredContent} expandDepth={3} /> : <JsonCode value={result.structuredContent} />}
      </div>
    </div>
  );
}

function ErrorPanel({ title, code, message, data }: { title: string; code: string; message: string; data?: unknown }) {
  return (
    <div className="rounded border border-err/50 bg-err-soft px-3 py-2 text-[13px]" data-testid="result-error" role="alert">
      <div className="flex items-center gap-2">
        <IconAlert className="h-4 w-4 shrink-0 text-err" />
        <span className="font-semibold text-err">{title}</span>
        <span className="font-mono text-xs text-err" data-testid="result-error-code">
          {code}
        </span>
      </div>
      <div className="mt-1 break-words">{message}</div>
      {data !== undefined && (
        <div className="mt-2 rounded bg-panel p-2">
          <JsonTree data={data} expandDepth={2} />
        </div>
      )}
    </div>
  );
}

interface ResultProps {
  record: CallRecord;
  tool: ToolInfo;
  /** The live session's log (marks URL elicitations the server reports complete). */
  store?: LogStore;
  /** Calls the tool again with the same arguments (offered after a -32042). */
  onRetry?: () => void;
}

/**
 * A call's result. When the tool declares an outputSchema, the structuredContent is checked first, so the verdict
 * heads the result: a result that breaks its schema is not a plain "Success".
 */
export function ToolResultView(props: ResultProps) {
  const outcome = props.record.outcome;
  if (!outcome) return null;
  const result = outcome.kind === 'result' && outcome.result.isError !== true ? outcome.result : undefined;
  if (result && result.structuredContent !== undefined && props.tool.outputSchema !== undefined) {
    return (
      <Suspense fallback={<ResultBody {...props} validation={{ status: 'checking' }} />}>
        <StructuredCheck outputSchema={props.tool.outputSchema} value={result.structuredContent}>
          {(validation) => <ResultBody {...props} validation={validation} />}
        </StructuredCheck>
      </Suspense>
    );
  }
  return <ResultBody {...props} validation={undefined} />;
}

function ResultBody({ record, tool, store, onRetry, validation }: ResultProps & { validation: Validation | undefined }) {
  const [showRaw, setShowRaw] = useState(false);
  const outcome = record.outcome;
  if (!outcome) return null;
  const urlElicitation = outcome.kind === 'rpc-error' ? parseUrlElicitationRequired(outcome.error) : undefined;
  // The browser's round trip includes mcpscope's own hop; the figure shown is the engine's (the server's time).
  const roundTripMs = record.endedAt !== undefined ? record.endedAt - record.startedAt : undefined;
  const isToolError = outcome.kind === 'result' && outcome.result.isError === true;
  const failed = outcome.kind !== 'result' || isToolError;
  const cancelled = record.cancelRequested && outcome.kind !== 'result';

  // Not a plain success: structuredContent that breaks the declared outputSchema, or none at all (a MUST either way).
  const schemaBroken =
    outcome.kind === 'result' &&
    !isToolError &&
    tool.outputSchema !== undefined &&
    (outcome.result.structuredContent === undefined || validation?.status === 'invalid');
  const status = cancelled
    ? { label: 'Cancelled', tone: 'neutral' as const }
    : outcome.kind === 'result'
      ? isToolError
        ? { label: 'Tool error', tone: 'err' as const }
        : schemaBroken
          ? {
              label: outcome.result.structuredContent === undefined ? 'No structuredContent' : 'Breaks outputSchema',
              tone: 'warn' as const,
            }
          : { label: 'Success', tone: 'ok' as const }
      : urlElicitation
        ? { label: 'Needs you in the browser', tone: 'warn' as const }
        : outcome.kind === 'rpc-error'
          ? { label: 'JSON-RPC error', tone: 'err' as const }
          : { label: 'Request failed', tone: 'err' as const };

  const raw = outcome.kind === 'result' ? outcome.result : outcome.kind === 'rpc-error' ? { error: outcome.error } : { error: outcome };

  return (
    <section
      className={cn('flex flex-col gap-2', failed && !cancelled && 'rounded')}
      data-testid="tool-result"
      data-status={cancelled ? 'cancelled' : failed ? 'error' : schemaBroken ? 'schema-mismatch' : 'ok'}
    >
      <div className="flex items-center gap-2">
        <span className="field-label mb-0">Result</span>
        <Badge
          tone={status.tone}
          data-testid="result-status"
          title={
            schemaBroken
              ? 'The server answered, but its structured result does not conform to the outputSchema the tool declares (also listed in Findings).'
              : undefined
          }
        >
          {schemaBroken && <IconAlert className="mr-1 h-3 w-3" />}
          {status.label}
        </Badge>
        {record.engineMs !== undefined ? (
          <span
            className="cursor-help font-mono text-xs text-muted underline decoration-dotted underline-offset-2"
            data-testid="result-latency"
            data-engine-ms={record.engineMs}
            data-round-trip-ms={roundTripMs}
            title={`${formatMs(record.engineMs)}: ${ENGINE_TIMING_DESCRIPTION}.${roundTripMs !== undefined ? ` Round trip from this browser: ${formatMs(roundTripMs)}.` : ''}`}
          >
            {formatMs(record.engineMs)} <span className="font-sans">server time</span>
          </span>
        ) : (
          roundTripMs !== undefined && (
            <span
              className="cursor-help font-mono text-xs text-muted"
              data-testid="result-round-trip"
              data-round-trip-ms={roundTripMs}
              title="Round trip from this browser, mcpscope's own hop included (no server time was recorded for this call)."
            >
              {formatMs(roundTripMs)}
            </span>
          )
        )}
        <button
          type="button"
          className={cn('ml-auto rounded px-1.5 py-0.5 text-xs text-muted hover:bg-hover hover:text-fg', showRaw && 'bg-panel-2 text-fg')}
          aria-pressed={showRaw}
          onClick={() => setShowRaw((value) => !value)}
          data-testid="result-raw-toggle"
        >
          Raw JSON
        </button>
      </div>

      {cancelled && (
        <div className="rounded border border-line bg-panel-2 px-3 py-2 text-[13px]" data-testid="result-cancelled">
          {outcome.kind === 'api-error' && outcome.code === 'cancelled'
            ? // mcpscope's own words say how the server was told (notifications/cancelled, or a closed 2026-07-28 stream).
              outcome.message
            : 'You cancelled the call, and it ended before a result came.'}
          {!(outcome.kind === 'api-error' && outcome.code === 'cancelled') && (
            <div className="mt-0.5 text-xs text-muted" data-testid="result-cancelled-detail">
              {outcome.kind === 'rpc-error'
                ? `The server answered with an error: ${outcome.error.code} ${rpcErrorName(outcome.error.code)}: ${outcome.error.message}`
                : outcome.kind === 'api-error'
                  ? `It ended with: ${outcome.message} (${outcome.code})`
                  : null}
            </div>
          )}
        </div>
      )}
      {record.cancelRequested && outcome.kind === 'result' && (
        <div className="rounded border border-line bg-panel-2 px-3 py-2 text-xs text-muted" data-testid="result-cancel-late">
          You asked to cancel, but the server had already answered: this is its result.
        </div>
      )}

      {showRaw ? (
        <div className="rounded border border-line bg-panel p-2.5">
          <JsonTree data={raw} expandDepth={4} />
        </div>
      ) : outcome.kind === 'api-error' ? (
        !cancelled && <ErrorPanel title="The call did not complete" code={outcome.code} message={outcome.message} />
      ) : outcome.kind === 'rpc-error' && urlElicitation ? (
        !cancelled &&
        (store ? (
          <LiveUrlElicitationPanel store={store} message={outcome.error.message} required={urlElicitation} onRetry={onRetry} />
        ) : (
          <UrlElicitationPanel message={outcome.error.message} required={urlElicitation} onRetry={onRetry} />
        ))
      ) : outcome.kind === 'rpc-error' ? (
        !cancelled && (
          <ErrorPanel
            title={rpcErrorName(outcome.error.code)}
            code={String(outcome.error.code)}
            message={outcome.error.message}
            data={outcome.error.data}
          />
        )
      ) : (
        <div className={cn('flex flex-col gap-2', isToolError && 'rounded border-l-4 border-err pl-2')}>
          {isToolError && (
            <div className="flex items-center gap-2 text-[13px] text-err" data-testid="result-error">
              <IconAlert className="h-4 w-4" />
              <span className="font-semibold">The tool reported an error</span>
              <code className="font-mono text-[11px]">isError: true</code>
            </div>
          )}
          {(outcome.result.content ?? []).length === 0 && outcome.result.structuredContent === undefined && (
            <div className="text-xs text-muted">The tool returned no content.</div>
          )}
          {(outcome.result.content ?? []).map((block, index) => (
            <ContentBlockView key={index} block={block} />
          ))}
          <StructuredContent tool={tool} result={outcome.result} validation={validation} />
        </div>
      )}
    </section>
  );
}
