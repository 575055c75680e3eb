'use client';

import { useMemo, useState, type ReactNode } from 'react';
import type {
  AudioContent,
  ContentAnnotations,
  ContentBlock,
  EmbeddedResourceContent,
  ImageContent,
  ResourceLinkContent,
  TextContent,
} from '../api';
import { decodeBase64, downloadFileName } from '@/lib/preview';
import { BIG_JSON_CHARS, Badge, BigJsonView, CopyButton, JsonCode, JsonTree, cn, formatBytes, useDownloadUrl } from '../ui';
import { Markdown } from './Markdown';
import { base64Size, dataUrl, detectTextFormat, type TextFormat } from './text-format';

/** A server's string, shown as text and kept short. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The block's annotations (who it is for, how important, when it changed) as the server sent them, beside the
 * block. Whatever the server put there is checked for shape and shown as text, bounded.
 */
function AnnotationsView({ annotations }: { annotations: unknown }) {
  if (typeof annotations !== 'object' || annotations === null || Array.isArray(annotations)) return null;
  const { audience, priority, lastModified } = annotations as ContentAnnotations & Record<string, unknown>;
  const who = Array.isArray(audience)
    ? audience
        .filter((item): item is string => typeof item === 'string')
        .slice(0, 4)
        .map((item) => clip(item, 24))
    : [];
  const weight = typeof priority === 'number' && Number.isFinite(priority) ? priority : undefined;
  const modified = typeof lastModified === 'string' && lastModified !== '' ? clip(lastModified, 40) : undefined;
  if (who.length === 0 && weight === undefined && modified === undefined) return null;
  const modifiedDate = modified !== undefined ? new Date(modified) : undefined;
  const modifiedTitle =
    modifiedDate && !Number.isNaN(modifiedDate.getTime())
      ? `lastModified: ${modified} (${modifiedDate.toLocaleString()})`
      : `lastModified: ${modified ?? ''} (not an ISO 8601 date)`;
  return (
    <span className="flex min-w-0 items-center gap-1 overflow-hidden" data-testid="content-annotations">
      {who.length > 0 && (
        <Badge title="annotations.audience: who this block is meant for" data-testid="annotation-audience">
          for {who.join(', ')}
        </Badge>
      )}
      {weight !== undefined && (
        <Badge
          tone={weight >= 0.8 ? 'accent' : 'neutral'}
          title="annotations.priority: 1 means effectively required, 0 entirely optional"
          data-testid="annotation-priority"
        >
          priority {Number(weight.toFixed(3))}
        </Badge>
      )}
      {modified !== undefined && (
        <Badge title={modifiedTitle} className="min-w-0 shrink truncate" data-testid="annotation-modified">
          modified {modified}
        </Badge>
      )}
    </span>
  );
}

function Card({
  kind,
  meta,
  actions,
  annotations,
  children,
  testId,
}: {
  kind: string;
  meta?: ReactNode;
  actions?: ReactNode;
  /** The block's `annotations`, shown in its header. */
  annotations?: unknown;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div className="overflow-hidden rounded border border-line bg-panel" data-testid={testId ?? 'content-block'} data-kind={kind}>
      <div className="flex min-h-7 flex-wrap items-center gap-x-2 gap-y-1 border-b border-line bg-panel-2 px-2.5 py-1 text-[11px] text-muted">
        <span className="font-semibold text-fg">{kind}</span>
        {meta}
        {annotations !== undefined && <AnnotationsView annotations={annotations} />}
        <span className="ml-auto flex items-center gap-1">{actions}</span>
      </div>
      <div className="p-2.5">{children}</div>
    </div>
  );
}

function Toggle({ on, onClick, children }: { on: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      aria-pressed={on}
      onClick={onClick}
      className={cn('rounded px-1.5 py-0.5 hover:bg-hover', on && 'bg-panel text-fg shadow-sm')}
    >
      {children}
    </button>
  );
}

export type TextView = 'formatted' | 'tree' | 'raw';

// A huge document is parsed off the main thread and never laid out whole (see BigJsonView); cheap bracket
// checks stand in for the synchronous parse that detectTextFormat would do on it.
function isBigJson(text: string): boolean {
  if (text.length <= BIG_JSON_CHARS) return false;
  const trimmed = text.trim();
  return (trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'));
}

function FormattedText({ text, format, view }: { text: string; format: TextFormat; view: TextView }) {
  if (format === 'json' && isBigJson(text)) return <BigJsonView text={text} raw={view === 'raw'} />;
  if (format === 'json' && view !== 'raw') {
    const value: unknown = JSON.parse(text);
    return view === 'tree' ? <JsonTree data={value} expandDepth={3} /> : <JsonCode value={value} />;
  }
  if (format === 'markdown' && view !== 'raw') return <Markdown text={text} />;
  return <pre className="font-mono text-xs break-words whitespace-pre-wrap">{text}</pre>;
}

function TextBlock({ block }: { block: TextContent }) {
  const text = typeof block.text === 'string' ? block.text : String(block.text);
  const format = useMemo<TextFormat>(() => (isBigJson(text) ? 'json' : detectTextFormat(text)), [text]);
  const bytes = useMemo(() => new TextEncoder().encode(text).length, [text]);
  const [view, setView] = useState<TextView>('formatted');
  return (
    <Card
      kind="text"
      annotations={block.annotations}
      meta={
        <>
          {format !== 'plain' && <Badge>{format}</Badge>}
          <span>{formatBytes(bytes)}</span>
        </>
      }
      actions={
        <>
          {format === 'json' && !isBigJson(text) && (
            <Toggle on={view === 'tree'} onClick={() => setView(view === 'tree' ? 'formatted' : 'tree')}>
              Tree
            </Toggle>
          )}
          {format !== 'plain' && (
            <Toggle on={view === 'raw'} onClick={() => setView(view === 'raw' ? 'formatted' : 'raw')}>
              Raw
            </Toggle>
          )}
          <CopyButton text={text} label="Copy text" />
        </>
      }
    >
      <div data-testid="text-content" data-format={view === 'raw' ? 'plain' : format}>
        <FormattedText text={text} format={format} view={view} />
      </div>
    </Card>
  );
}

/** An image or an audio clip: its MIME type and size over the media, or a note when the type cannot play inline. */
function MediaBlock({
  kind,
  block,
  children,
}: {
  kind: 'image' | 'audio';
  block: ImageContent | AudioContent;
  children: (src: string) => ReactNode;
}) {
  const src = dataUrl(block.mimeType, block.data ?? '');
  return (
    <Card
      kind={kind}
      annotations={block.annotations}
      meta={
        <span>
          {block.mimeType} · {formatBytes(base64Size(block.data ?? ''))}
        </span>
      }
    >
      {src ? (
        children(src)
      ) : (
        <div className="text-xs text-warn">
          Unsupported {kind} MIME type “{block.mimeType}”.
        </div>
      )}
    </Card>
  );
}

function ImageBlock({ block }: { block: ImageContent }) {
  return (
    <MediaBlock kind="image" block={block}>
      {(src) => (
        // eslint-disable-next-line @next/next/no-img-element -- inline data URL from the server
        <img
          src={src}
          alt="Image returned by the tool"
          className="max-h-[420px] max-w-full rounded border border-line bg-[repeating-conic-gradient(var(--panel-2)_0_25%,transparent_0_50%)] bg-[length:16px_16px]"
          data-testid="image-content"
        />
      )}
    </MediaBlock>
  );
}

function AudioBlock({ block }: { block: AudioContent }) {
  return (
    <MediaBlock kind="audio" block={block}>
      {(src) => <audio controls src={src} className="w-full max-w-md" data-testid="audio-content" />}
    </MediaBlock>
  );
}

function ResourceLinkBlock({ block }: { block: ResourceLinkContent }) {
  return (
    <Card
      kind="resource link"
      annotations={block.annotations}
      meta={block.mimeType ? <span>{block.mimeType}</span> : null}
      testId="resource-link"
    >
      <div className="text-[13px] font-medium">{block.title ?? block.name ?? block.uri}</div>
      <div className="mt-0.5 flex items-center gap-1 font-mono text-xs break-all text-accent">
        {block.uri}
        <CopyButton text={block.uri} label="Copy URI" />
      </div>
      {block.description && <div className="mt-1 text-xs text-muted">{block.description}</div>}
      <div className="mt-1 flex gap-3 text-[11px] text-faint">
        {block.name && <span>name: {block.name}</span>}
        {block.size !== undefined && <span>size: {formatBytes(block.size)}</span>}
      </div>
    </Card>
  );
}

function decodedBlob(base64: string | undefined): Uint8Array | undefined {
  if (typeof base64 !== 'string') return undefined;
  try {
    return decodeBase64(base64);
  } catch {
    return undefined;
  }
}

function EmbeddedResourceBlock({ block }: { block: EmbeddedResourceContent }) {
  const resource = block.resource ?? { uri: '' };
  const mime = resource.mimeType;
  const isMedia = mime?.startsWith('image/') || mime?.startsWith('audio/');
  // Saved, never opened: application/octet-stream (see useDownloadUrl). Media is shown inline instead.
  const bytes = useMemo(() => (isMedia ? undefined : decodedBlob(resource.blob)), [isMedia, resource.blob]);
  const downloadUrl = useDownloadUrl(bytes);
  let body: ReactNode;
  if (typeof resource.text === 'string') {
    const format = isBigJson(resource.text) ? 'json' : detectTextFormat(resource.text);
    body = <FormattedText text={resource.text} format={format} view="formatted" />;
  } else if (typeof resource.blob === 'string') {
    // Inline media as data: URLs: their origin is opaque, so an SVG opened in a tab cannot act as mcpscope.
    const src = dataUrl(mime, resource.blob);
    const size = formatBytes(base64Size(resource.blob));
    if (src && mime?.startsWith('image/')) {
      // eslint-disable-next-line @next/next/no-img-element -- inline data URL from the server
      body = <img src={src} alt={resource.uri} className="max-h-[420px] max-w-full rounded border border-line" />;
    } else if (src && mime?.startsWith('audio/')) {
      body = <audio controls src={src} className="w-full max-w-md" />;
    } else {
      body = (
        <div className="text-xs text-muted">
          Binary content ({size}).{' '}
          {downloadUrl && (
            <a
              href={downloadUrl}
              download={downloadFileName(resource.uri, mime)}
              className="text-accent underline"
              data-testid="embedded-resource-download"
            >
              Download
            </a>
          )}
        </div>
      );
    }
  } else {
    body = <div className="text-xs text-faint">No text or blob.</div>;
  }
  return (
    <Card kind="embedded resource" annotations={block.annotations} meta={mime ? <span>{mime}</span> : null} testId="embedded-resource">
      <div className="mb-1.5 font-mono text-xs break-all text-accent">{resource.uri}</div>
      {body}
    </Card>
  );
}

export function ContentBlockView({ block }: { block: ContentBlock }) {
  switch (block.type) {
    case 'text':
      return <TextBlock block={block as TextContent} />;
    case 'image':
      return <ImageBlock block={block as ImageContent} />;
    case 'audio':
      return <AudioBlock block={block as AudioContent} />;
    case 'resource_link':
      return <ResourceLinkBlock block={block as ResourceLinkContent} />;
    case 'resource':
      return <EmbeddedResourceBlock block={block as EmbeddedResourceContent} />;
    default:
      return (
        <Card kind={String(block.type ?? 'unknown')} meta={<span className="text-warn">unknown content type</span>}>
          <JsonTree data={block} />
        </Card>
      );
  }
}
