// A few resources (text, JSON, binary, a template) and a prompt, so the resource and prompt views have
// something real to show. `resource_links` points at two of them.
import { ResourceTemplate, completable, type McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { demoPng, toBase64 } from './media';

export const README_URI = 'demo://docs/readme.md';
export const INVENTORY_URI = 'demo://data/inventory.json';
export const PICTURE_URI = 'demo://images/scope.png';

const SAMPLE_ORDER_IDS = ['ORD-1A2B3C4D', 'ORD-1F00BA47', 'ORD-7E57C0DE'];

/** Suggestions for the greeting template's {name}, served through completion/complete. */
export const GREETING_NAMES = ['Ada', 'Alan', 'Barbara', 'Edsger', 'Grace', 'Katherine', 'Linus', 'Margaret'];

export const INVENTORY_JSON = JSON.stringify(
  {
    warehouse: 'AMS-1',
    updated: '2026-01-15',
    items: [
      { sku: 'MUG-001', name: 'Mug', stock: 120 },
      { sku: 'TEE-042', name: 'T-shirt', stock: 34 },
      { sku: 'CAP-007', name: 'Cap', stock: 0 },
    ],
  },
  null,
  2,
);

const README = `# mcpscope demo server

This server is built into mcpscope so there is always something to inspect.
It speaks both protocol eras at one URL:

- **2026-07-28** (stateless): \`server/discover\`, one HTTP request per call.
- **2025** (stateful): \`initialize\`, an \`Mcp-Session-Id\`, a standing GET stream, DELETE to end.

Try \`create_order\` for a big generated form, \`slow_task\` for progress and cancel,
\`render_image\` / \`render_audio\` for media, and \`broken_structured\` for a schema mismatch.
`;

export function registerResourcesAndPrompts(server: McpServer): void {
  server.registerResource(
    'readme',
    README_URI,
    { title: 'Demo server README', description: 'What this server offers', mimeType: 'text/markdown' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: README }] }),
  );
  server.registerResource(
    'inventory',
    INVENTORY_URI,
    { title: 'Inventory', description: 'Stock levels as JSON', mimeType: 'application/json' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: INVENTORY_JSON }] }),
  );
  server.registerResource(
    'picture',
    PICTURE_URI,
    { title: 'Magnifier picture', description: 'A 64×64 PNG (binary resource)', mimeType: 'image/png' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: toBase64(demoPng(64)) }] }),
  );
  server.registerResource(
    'greeting',
    new ResourceTemplate('demo://greetings/{name}', {
      list: undefined,
      complete: { name: (value) => GREETING_NAMES.filter((name) => name.toLowerCase().startsWith(value.toLowerCase())) },
    }),
    { title: 'Greeting', description: 'A greeting for whoever you name', mimeType: 'text/plain' },
    async (uri, variables) => ({
      contents: [{ uri: uri.href, mimeType: 'text/plain', text: `Hello, ${String(variables.name)}!` }],
    }),
  );

  server.registerPrompt(
    'summarise_order',
    {
      title: 'Summarise an order',
      description: 'Asks the model to summarise an order for a customer',
      argsSchema: z.object({
        orderId: completable(z.string().describe('The order id, e.g. ORD-1A2B3C4D'), (value) =>
          SAMPLE_ORDER_IDS.filter((id) => id.toLowerCase().startsWith(value.toLowerCase())),
        ),
        tone: z.enum(['friendly', 'formal', 'terse']).describe('How the summary should sound'),
      }),
    },
    ({ orderId, tone }) => ({
      messages: [
        {
          role: 'user',
          content: { type: 'text', text: `Write a ${tone} summary of order ${orderId} for the customer, in three sentences.` },
        },
      ],
    }),
  );
}
