// `check_stock`: a tool one of whose arguments also travels as an HTTP header (SEP-2243 `x-mcp-header`), so
// a gateway can route on it without reading the body. A 2026-07-28 client sends `Mcp-Param-Warehouse`
// beside the body; the SDK's handler checks that the two agree (Base64 sentinel decoded) and refuses the
// call with 400 / -32020 when they do not. On a 2025 session the annotation is inert.
import { fromJsonSchema, type CallToolResult, type JsonSchemaType, type McpServer } from '@modelcontextprotocol/server';
import { INVENTORY_JSON } from './resources';

// `x-mcp-header` is an extension keyword the JSON Schema type does not know, hence the cast below.
export const STOCK_INPUT_SCHEMA = {
  type: 'object',
  properties: {
    warehouse: {
      type: 'string',
      description: 'Warehouse code, e.g. AMS-1 (also sent as the Mcp-Param-Warehouse header)',
      'x-mcp-header': 'Warehouse',
      maxLength: 64,
    },
    sku: { type: 'string', description: 'Product code, e.g. MUG-001', maxLength: 64 },
  },
  required: ['warehouse', 'sku'],
} as const;

interface Inventory {
  warehouse: string;
  items: Array<{ sku: string; name: string; stock: number }>;
}

export function registerStockTool(server: McpServer): void {
  const inventory = JSON.parse(INVENTORY_JSON) as Inventory;
  server.registerTool(
    'check_stock',
    {
      title: 'Check stock',
      description:
        'Looks up how many of a product a warehouse holds. The warehouse argument is mirrored in an Mcp-Param-Warehouse header (x-mcp-header).',
      inputSchema: fromJsonSchema<{ warehouse: string; sku: string }>(STOCK_INPUT_SCHEMA as unknown as JsonSchemaType),
      annotations: { title: 'Check stock', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ warehouse, sku }): Promise<CallToolResult> => {
      if (warehouse !== inventory.warehouse) {
        return {
          content: [{ type: 'text', text: `No warehouse ${JSON.stringify(warehouse)} here; the demo has only ${inventory.warehouse}.` }],
          isError: true,
        };
      }
      const item = inventory.items.find((i) => i.sku === sku);
      if (!item)
        return { content: [{ type: 'text', text: `${inventory.warehouse} has no product ${JSON.stringify(sku)}.` }], isError: true };
      return { content: [{ type: 'text', text: `${inventory.warehouse}: ${item.stock} × ${item.name} (${item.sku}).` }] };
    },
  );
}
