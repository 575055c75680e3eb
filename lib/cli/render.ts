// Human output: aligned, one screen, nothing a script should parse (that is what --json is for).
import type { SkillEntry } from '../skills';
import type { Tool } from '@modelcontextprotocol/client';
import { ERA_LABELS } from '../contract';
import type { McpConnection } from '../mcp';
import { formatBytes } from '../trace';

export interface ServerSummary {
  url: string;
  server: { name: string; version: string; title?: string };
  era: McpConnection['era'];
  eraLabel: string;
  protocolVersion: string;
  transport: McpConnection['transport'];
  capabilities: Record<string, unknown>;
  instructions?: string;
  /** Tools listed at connect; absent when the server does not offer tools. */
  toolCount?: number;
}

export function summarize(url: string, connection: McpConnection): ServerSummary {
  const summary: ServerSummary = {
    url,
    server: { ...connection.serverInfo },
    era: connection.era,
    eraLabel: ERA_LABELS[connection.era],
    protocolVersion: connection.protocolVersion,
    transport: connection.transport,
    capabilities: connection.capabilities,
  };
  if (connection.instructions) summary.instructions = connection.instructions;
  if (connection.capabilities.tools) summary.toolCount = connection.tools.length;
  return summary;
}

export function renderInfo(summary: ServerSummary): string {
  const name =
    summary.server.title && summary.server.title !== summary.server.name
      ? `${summary.server.title} (${summary.server.name})`
      : summary.server.name;
  const rows: Array<[string, string]> = [
    ['Server', [name, summary.server.version].filter(Boolean).join(' ')],
    ['URL', summary.url],
    ['Era', summary.eraLabel],
    ['Protocol', summary.protocolVersion || '(not negotiated)'],
    ['Transport', summary.transport],
    ['Capabilities', describeCapabilities(summary.capabilities)],
  ];
  if (summary.toolCount !== undefined) rows.push(['Tools', String(summary.toolCount)]);
  if (summary.instructions) rows.push(['Instructions', summary.instructions.trim()]);
  return table(rows);
}

/** `tools (listChanged), resources (subscribe, listChanged), logging`. */
export function describeCapabilities(capabilities: Record<string, unknown>): string {
  const names = Object.keys(capabilities).sort();
  if (names.length === 0) return '(none)';
  return names
    .map((name) => {
      const value = capabilities[name];
      const flags =
        value && typeof value === 'object' && !Array.isArray(value)
          ? Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== false)
          : [];
      return flags.length > 0 ? `${name} (${flags.join(', ')})` : name;
    })
    .join(', ');
}

/** Label column padded to the longest label; continuation lines of a value indented under it. */
function table(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines: string[] = [];
  for (const [label, value] of rows) {
    const [first, ...more] = value.split(/\r?\n/);
    lines.push(`${label.padEnd(width)}${first}`);
    for (const line of more) lines.push(`${' '.repeat(width)}${line}`.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

export function renderTools(
  tools: readonly Tool[],
  offersTools: boolean,
  columns?: number,
  excluded: ReadonlyMap<string, string> = new Map(),
): string {
  if (!offersTools) return 'The server does not offer tools (no "tools" capability).\n';
  if (tools.length === 0) return 'The server lists no tools.\n';
  // A tool mcpscope will not call says so where its description would be (SEP-2243).
  const describe = (tool: Tool) => {
    const reason = excluded.get(tool.name);
    return reason
      ? `[excluded from calls: ${reason}] ${oneLineDescription(tool.description)}`.trim()
      : oneLineDescription(tool.description);
  };
  const rows = tools.map((tool) => [tool.name, titleOf(tool), describe(tool)] as const);
  const nameWidth = Math.max(4, ...rows.map(([name]) => name.length));
  const titleWidth = Math.max(5, ...rows.map(([, title]) => title.length));
  const prefixWidth = nameWidth + 2 + titleWidth + 2;
  // On a terminal the description is cut to the width; piped output keeps it whole (still one line).
  const room = columns && columns > prefixWidth + 20 ? columns - prefixWidth : undefined;
  const line = (name: string, title: string, description: string) =>
    `${name.padEnd(nameWidth)}  ${title.padEnd(titleWidth)}  ${room ? clip(description, room) : description}`.trimEnd();
  return `${[line('NAME', 'TITLE', 'DESCRIPTION'), ...rows.map(([name, title, description]) => line(name, title, description))].join('\n')}\n`;
}

/** The skills a server lists: name, description, how many files and bytes, and where SKILL.md is. */
export function renderSkills(skills: readonly SkillEntry[]): string {
  if (skills.length === 0) return 'The server lists no skills.\n';
  const rows = skills.map(
    (s) =>
      [
        String(s.frontmatter.name ?? '(unnamed)'),
        oneLineDescription(typeof s.frontmatter.description === 'string' ? s.frontmatter.description : ''),
        `${s.resources.length} files, ${s.resources.reduce((n, f) => n + f.size, 0)} bytes`,
        s.uri,
      ] as const,
  );
  const width = Math.max(4, ...rows.map(([name]) => name.length));
  return `${rows.map(([name, description, files, uri]) => `${name.padEnd(width)}  ${description}\n${' '.repeat(width)}  ${files} · ${uri}`).join('\n')}\n`;
}

function titleOf(tool: Tool): string {
  return tool.title ?? tool.annotations?.title ?? '';
}

function oneLineDescription(description: string | undefined): string {
  return (description ?? '').replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

interface ContentBlock {
  type?: unknown;
  text?: unknown;
  data?: unknown;
  mimeType?: unknown;
  uri?: unknown;
  name?: unknown;
  resource?: unknown;
}

/** A tools/call result as text: text blocks as they are, binary blocks as one placeholder line each. */
export function renderCallResult(result: unknown): string {
  const record =
    result && typeof result === 'object' ? (result as { content?: unknown; structuredContent?: unknown; isError?: unknown }) : {};
  const parts: string[] = [];
  const content = Array.isArray(record.content) ? (record.content as ContentBlock[]) : [];
  for (const block of content) parts.push(renderBlock(block));
  if (record.structuredContent !== undefined) parts.push(`structuredContent:\n${JSON.stringify(record.structuredContent, null, 2)}`);
  if (parts.length === 0) parts.push('(the tool returned no content)');
  return `${parts.map((part) => part.replace(/\n+$/, '')).join('\n')}\n`;
}

function renderBlock(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? block.text : JSON.stringify(block.text);
    case 'image':
    case 'audio':
      return `[${block.type} ${mime(block.mimeType)}, ${formatBytes(base64Bytes(block.data))}]`;
    case 'resource_link':
      return `[resource link ${[block.name, block.uri].filter((v) => typeof v === 'string').join(' ')}${typeof block.mimeType === 'string' ? ` (${block.mimeType})` : ''}]`;
    case 'resource': {
      const resource = (block.resource && typeof block.resource === 'object' ? block.resource : {}) as ContentBlock & { blob?: unknown };
      const uri = typeof resource.uri === 'string' ? resource.uri : '(no uri)';
      if (typeof resource.text === 'string')
        return `[resource ${uri}${typeof resource.mimeType === 'string' ? ` (${resource.mimeType})` : ''}]\n${resource.text}`;
      return `[resource ${uri} ${mime(resource.mimeType)}, ${formatBytes(base64Bytes(resource.blob))}]`;
    }
    default:
      return JSON.stringify(block);
  }
}

function mime(value: unknown): string {
  return typeof value === 'string' && value ? value : 'unknown type';
}

/** Decoded size of base64 data, without decoding it. */
export function base64Bytes(data: unknown): number {
  if (typeof data !== 'string') return 0;
  const clean = data.replace(/[^A-Za-z0-9+/=_-]/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}
