'use client';

import { useMemo, useState, type ReactNode } from 'react';
import { decodeBase64, downloadFileName, hexDump, mediaOnlyType, previewKind, sniffBinary, type PreviewKind } from '@/lib/preview';
import { dataUrl, Markdown } from '../tools';
import { Badge, CopyButton, IconDownload, JsonCode, JsonTree, cn, formatBytes, useDownloadUrl, useObjectUrl, TextButton } from '../ui';

export interface ResourceContents {
  uri: string;
  mimeType?: string;
  text?: string;
  blob?: string;
  _meta?: Record<string, unknown>;
}

type View = 'preview' | 'tree' | 'raw' | 'hex';

/**
 * What an `<img>`/`<audio>`/`<video>`/PDF preview loads: an object URL with the server's type when that type is
 * media-only; an image of any other type (SVG) as a data: URL, whose origin is opaque, so even opened in a tab
 * it cannot act as mcpscope; nothing otherwise.
 */
function usePreviewUrl(content: ResourceContents, bytes: Uint8Array | undefined, kind: PreviewKind): string | undefined {
  const media = mediaOnlyType(content.mimeType);
  const wanted = Boolean(bytes) && (kind === 'pdf' || kind === 'image' || kind === 'audio' || kind === 'video');
  const objectUrl = useObjectUrl(bytes, media, wanted);
  if (!wanted) return undefined;
  if (media) return objectUrl;
  return kind === 'image' && typeof content.blob === 'string' ? dataUrl(content.mimeType, content.blob) : undefined;
}

function Toggle({ on, onClick, children, testId }: { on: boolean; onClick: () => void; children: ReactNode; testId?: string }) {
  return (
    <button
      type="button"
      aria-pressed={on}
      onClick={onClick}
      data-testid={testId}
      className={cn('rounded px-1.5 py-0.5 hover:bg-hover', on && 'bg-panel text-fg shadow-sm')}
    >
      {children}
    </button>
  );
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** One item of a `resources/read` result, previewed by its MIME type: JSON, markdown, media, PDF, text, or hex. */
export function ContentPreview({ content }: { content: ResourceContents }) {
  const isBlob = typeof content.blob === 'string';
  const decoded = useMemo(() => {
    if (!isBlob) return { bytes: undefined, error: undefined };
    try {
      return { bytes: decodeBase64(content.blob!), error: undefined };
    } catch (error) {
      return { bytes: undefined, error: error instanceof Error ? error.message : String(error) };
    }
  }, [isBlob, content.blob]);
  const bytes = decoded.bytes;
  const kind: PreviewKind = useMemo(
    () => previewKind(content.mimeType, { text: content.text, bytes }),
    [content.mimeType, content.text, bytes],
  );
  const text = useMemo(() => {
    if (typeof content.text === 'string') return content.text;
    if (bytes && (kind === 'text' || kind === 'json' || kind === 'markdown' || kind === 'html')) return new TextDecoder().decode(bytes);
    return undefined;
  }, [content.text, bytes, kind]);
  const [view, setView] = useState<View>('preview');
  const url = usePreviewUrl(content, bytes, kind);
  const downloadUrl = useDownloadUrl(bytes, Boolean(bytes));
  const size = bytes ? bytes.length : text !== undefined ? new TextEncoder().encode(text).length : 0;
  const sniffed = bytes && kind === 'binary' ? sniffBinary(bytes) : undefined;

  let body: ReactNode;
  if (decoded.error) {
    body = <div className="text-xs text-err">{decoded.error}</div>;
  } else if (view === 'hex' && bytes) {
    body = <HexView bytes={bytes} />;
  } else if (view === 'raw') {
    body = (
      <pre className="font-mono text-xs break-words whitespace-pre-wrap" data-testid="resource-raw">
        {text ?? content.blob}
      </pre>
    );
  } else {
    body = <Preview kind={kind} text={text} url={url} uri={content.uri} bytes={bytes} tree={view === 'tree'} />;
  }

  return (
    <div
      className="overflow-hidden rounded border border-line bg-panel"
      data-testid="resource-content"
      data-kind={kind}
      data-uri={content.uri}
    >
      <div className="flex min-h-7 flex-wrap items-center gap-2 border-b border-line bg-panel-2 px-2.5 py-0.5 text-[11px] text-muted">
        <span className="font-semibold text-fg">{isBlob ? 'blob' : 'text'}</span>
        {content.mimeType && <Badge mono>{content.mimeType}</Badge>}
        <span>{formatBytes(size)}</span>
        {sniffed && <Badge tone="purple">{sniffed}</Badge>}
        <span className="ml-auto flex items-center gap-1">
          {kind === 'json' && text !== undefined && (
            <Toggle on={view === 'tree'} onClick={() => setView(view === 'tree' ? 'preview' : 'tree')}>
              Tree
            </Toggle>
          )}
          {text !== undefined && kind !== 'text' && (
            <Toggle on={view === 'raw'} onClick={() => setView(view === 'raw' ? 'preview' : 'raw')} testId="view-raw">
              Raw
            </Toggle>
          )}
          {bytes && kind !== 'binary' && (
            <Toggle on={view === 'hex'} onClick={() => setView(view === 'hex' ? 'preview' : 'hex')} testId="view-hex">
              Hex
            </Toggle>
          )}
          {text !== undefined && <CopyButton text={text} label="Copy text" />}
          {downloadUrl && (
            <a
              href={downloadUrl}
              download={downloadFileName(content.uri, content.mimeType)}
              title="Download (saved as a file, never opened here)"
              aria-label="Download"
              data-testid="resource-download"
              className="inline-flex h-5 w-5 items-center justify-center rounded hover:bg-hover"
            >
              <IconDownload className="h-3.5 w-3.5" />
            </a>
          )}
        </span>
      </div>
      <div className="max-h-[70vh] overflow-auto p-2.5">{body}</div>
    </div>
  );
}

function Preview({
  kind,
  text,
  url,
  uri,
  bytes,
  tree,
}: {
  kind: PreviewKind;
  text?: string;
  url?: string;
  uri: string;
  bytes?: Uint8Array;
  tree: boolean;
}) {
  switch (kind) {
    case 'json': {
      if (text === undefined) break;
      const parsed = parseJson(text);
      if (!parsed.ok) {
        return (
          <div>
            <div className="mb-1 text-xs text-warn">Labelled JSON, but it does not parse: {parsed.error}</div>
            <pre className="font-mono text-xs break-words whitespace-pre-wrap">{text}</pre>
          </div>
        );
      }
      return (
        <div data-testid="resource-json">{tree ? <JsonTree data={parsed.value} expandDepth={3} /> : <JsonCode value={parsed.value} />}</div>
      );
    }
    case 'markdown':
      if (text !== undefined) return <Markdown text={text} />;
      break;
    case 'html':
      if (text !== undefined) return <HtmlPreview text={text} />;
      break;
    case 'image':
      if (url)
        return (
          // eslint-disable-next-line @next/next/no-img-element -- a blob URL of the server's bytes
          <img
            src={url}
            alt={uri}
            data-testid="resource-image"
            className="max-h-[480px] max-w-full rounded border border-line bg-[repeating-conic-gradient(var(--panel-2)_0_25%,transparent_0_50%)] bg-[length:16px_16px]"
          />
        );
      break;
    case 'audio':
      if (url) return <audio controls src={url} className="w-full max-w-md" data-testid="resource-audio" />;
      break;
    case 'video':
      if (url) return <video controls src={url} className="max-h-[480px] max-w-full" data-testid="resource-video" />;
      break;
    case 'pdf':
      if (url)
        return <iframe src={url} title={uri} className="h-[60vh] w-full rounded border border-line bg-white" data-testid="resource-pdf" />;
      break;
    case 'binary':
      if (bytes) return <HexView bytes={bytes} />;
      break;
    case 'text':
      break;
  }
  if (text !== undefined)
    return (
      <pre className="font-mono text-xs break-words whitespace-pre-wrap" data-testid="resource-text">
        {text}
      </pre>
    );
  return <div className="text-xs text-faint">Nothing to show.</div>;
}

function HtmlPreview({ text }: { text: string }) {
  const [rendered, setRendered] = useState(false);
  return (
    <div>
      <div className="mb-1.5 flex items-center gap-2 text-[11px] text-muted">
        <Toggle on={rendered} onClick={() => setRendered((value) => !value)}>
          {rendered ? 'Show source' : 'Render (sandboxed, no scripts)'}
        </Toggle>
      </div>
      {rendered ? (
        <iframe sandbox="" srcDoc={text} title="HTML preview" className="h-[50vh] w-full rounded border border-line bg-white" />
      ) : (
        <pre className="font-mono text-xs break-words whitespace-pre-wrap">{text}</pre>
      )}
    </div>
  );
}

const HEX_LIMIT = 64 * 1024;

function HexView({ bytes }: { bytes: Uint8Array }) {
  const [limit, setLimit] = useState(4096);
  const lines = useMemo(() => hexDump(bytes, { maxBytes: limit }), [bytes, limit]);
  return (
    <div>
      <pre className="font-mono text-[11px] leading-[1.5] whitespace-pre" data-testid="hex-dump">
        {lines.join('\n')}
      </pre>
      {bytes.length > limit && limit < HEX_LIMIT && (
        <TextButton className="mt-1 text-xs" onClick={() => setLimit(HEX_LIMIT)}>
          Show up to {formatBytes(HEX_LIMIT)}
        </TextButton>
      )}
    </div>
  );
}
