// Tools that return one kind of content each, for the result renderers: image, audio, markdown,
// resource links and embedded resources, an error result, and a plain echo.
import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { demoPng, demoWav, svgIcon, toBase64 } from './media';
import { INVENTORY_JSON, INVENTORY_URI, README_URI } from './resources';

function markdownReport(topic: string, rows: number): string {
  const regions = ['North', 'East', 'South', 'West', 'Central', 'Online', 'Partners', 'Export'];
  const table = regions.slice(0, rows).map((region, i) => {
    const revenue = 120 + ((i * 37) % 90);
    const growth = ((i * 7) % 13) - 4;
    return `| ${region} | €${revenue}k | ${growth >= 0 ? '+' : ''}${growth}% |`;
  });
  return [
    `# ${topic}`,
    '',
    'A **demo report** with the usual _markdown_ pieces, so the renderer has something to chew on.',
    '',
    '## Highlights',
    '',
    '- Revenue is up in most regions',
    '- [ ] Follow up with the `Export` team',
    '- [x] Ship the inspector',
    '',
    '## By region',
    '',
    '| Region | Revenue | Growth |',
    '| --- | ---: | ---: |',
    ...table,
    '',
    '> Numbers are invented; no region was harmed.',
    '',
    '```json',
    JSON.stringify({ topic, rows }, null, 2),
    '```',
    '',
    'See the [MCP specification](https://modelcontextprotocol.io/specification) for more.',
  ].join('\n');
}

export function registerContentTools(server: McpServer): void {
  server.registerTool(
    'echo',
    {
      title: 'Echo',
      description: 'Returns the message it was given.',
      inputSchema: z.object({ message: z.string().max(10_000).describe('Text to send back') }),
      annotations: { title: 'Echo', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ message }): Promise<CallToolResult> => ({ content: [{ type: 'text', text: message }] }),
  );

  server.registerTool(
    'render_image',
    {
      title: 'Render image',
      description: 'Returns a small PNG made on the fly, plus a caption.',
      inputSchema: z.object({ size: z.number().int().min(16).max(256).default(64).describe('Width and height in pixels') }),
      annotations: { title: 'Render image', readOnlyHint: true, openWorldHint: false },
      icons: [
        {
          src: svgIcon(
            '<rect x="3" y="3" width="18" height="18" rx="2"/><circle cx="9" cy="9" r="2"/><path d="m21 15-5-5L5 21"/>',
            '#7c3aed',
          ),
          mimeType: 'image/svg+xml',
          sizes: ['any'],
        },
      ],
    },
    async ({ size }): Promise<CallToolResult> => ({
      content: [
        { type: 'image', data: toBase64(demoPng(size)), mimeType: 'image/png' },
        { type: 'text', text: `A ${size}×${size} PNG of a magnifier, drawn pixel by pixel.` },
      ],
    }),
  );

  server.registerTool(
    'render_audio',
    {
      title: 'Render audio',
      description: 'Returns a short sine tone as a WAV file.',
      inputSchema: z.object({
        frequencyHz: z.number().min(50).max(2000).default(440).describe('Pitch of the tone'),
        durationMs: z.number().int().min(100).max(3000).default(500),
      }),
      annotations: { title: 'Render audio', readOnlyHint: true, openWorldHint: false },
    },
    async ({ frequencyHz, durationMs }): Promise<CallToolResult> => ({
      content: [
        { type: 'audio', data: toBase64(demoWav({ frequencyHz, durationMs })), mimeType: 'audio/wav' },
        { type: 'text', text: `${durationMs} ms of ${frequencyHz} Hz, 8 kHz mono 16-bit PCM.` },
      ],
    }),
  );

  server.registerTool(
    'markdown_report',
    {
      title: 'Markdown report',
      description: 'Returns a markdown document: headings, a table, task lists, a quote, a code block and a link.',
      inputSchema: z.object({
        topic: z.string().min(1).max(100).default('Quarterly metrics'),
        rows: z.number().int().min(1).max(8).default(5).describe('Rows in the table'),
      }),
      annotations: { title: 'Markdown report', readOnlyHint: true, openWorldHint: false },
    },
    async ({ topic, rows }): Promise<CallToolResult> => ({ content: [{ type: 'text', text: markdownReport(topic, rows) }] }),
  );

  server.registerTool(
    'resource_links',
    {
      title: 'Resource links',
      description: 'Returns a resource_link to a readable resource and an embedded resource with its contents inline.',
      annotations: { title: 'Resource links', readOnlyHint: true, openWorldHint: false },
    },
    async (): Promise<CallToolResult> => ({
      content: [
        { type: 'text', text: 'One link to read later, one resource embedded inline:' },
        {
          type: 'resource_link',
          uri: README_URI,
          name: 'readme.md',
          title: 'Demo server README',
          description: 'What this demo server offers (read it with resources/read).',
          mimeType: 'text/markdown',
        },
        { type: 'resource', resource: { uri: INVENTORY_URI, mimeType: 'application/json', text: INVENTORY_JSON } },
      ],
    }),
  );

  server.registerTool(
    'fail_always',
    {
      title: 'Always fails',
      description: 'Returns a tool error (isError: true) explaining what went wrong.',
      inputSchema: z.object({ reason: z.string().max(200).default('the warehouse is on fire').describe('Why it should fail') }),
      annotations: { title: 'Always fails', readOnlyHint: false, destructiveHint: true, openWorldHint: false },
      icons: [
        {
          src: svgIcon('<circle cx="12" cy="12" r="10"/><path d="m15 9-6 6M9 9l6 6"/>', '#dc2626'),
          mimeType: 'image/svg+xml',
          sizes: ['any'],
        },
      ],
    },
    async ({ reason }): Promise<CallToolResult> => ({
      content: [{ type: 'text', text: `The operation failed because ${reason}. Nothing was changed; this tool always fails, on purpose.` }],
      isError: true,
    }),
  );
}
