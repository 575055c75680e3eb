// `create_order`: one tool whose input schema uses every construct a form generator has to handle —
// nested objects, arrays of objects, enums, defaults, a oneOf union, an anyOf union, a nullable field,
// $ref/$defs, formats (email, date) and numeric bounds. Written as raw JSON Schema (not zod) so the
// advertised schema is exactly this text, $defs included.
import { fromJsonSchema, type CallToolResult, type JsonSchemaType, type McpServer } from '@modelcontextprotocol/server';
import { svgIcon } from './media';

export const ORDER_INPUT_SCHEMA = {
  type: 'object',
  title: 'New order',
  $defs: {
    address: {
      type: 'object',
      title: 'Address',
      properties: {
        street: { type: 'string', title: 'Street', minLength: 1, maxLength: 120 },
        city: { type: 'string', title: 'City', minLength: 1, maxLength: 80 },
        postalCode: { type: 'string', title: 'Postal code', pattern: '^[A-Za-z0-9 -]{3,10}$' },
        country: {
          type: 'string',
          title: 'Country',
          enum: ['NL', 'BE', 'DE', 'FR', 'GB', 'US'],
          default: 'NL',
        },
      },
      required: ['street', 'city', 'country'],
    },
    cardPayment: {
      type: 'object',
      title: 'Card',
      properties: {
        method: { type: 'string', const: 'card', default: 'card' },
        number: { type: 'string', title: 'Card number', pattern: '^[0-9]{12,19}$', description: '12 to 19 digits' },
        expiry: { type: 'string', title: 'Expiry', pattern: '^(0[1-9]|1[0-2])/[0-9]{2}$', description: 'MM/YY' },
      },
      required: ['method', 'number', 'expiry'],
    },
    invoicePayment: {
      type: 'object',
      title: 'Invoice',
      properties: {
        method: { type: 'string', const: 'invoice', default: 'invoice' },
        poNumber: { type: 'string', title: 'PO number', minLength: 3, maxLength: 32 },
        dueInDays: { type: 'integer', title: 'Due in (days)', minimum: 7, maximum: 90, default: 30 },
      },
      required: ['method', 'poNumber'],
    },
  },
  properties: {
    customer: {
      type: 'object',
      title: 'Customer',
      properties: {
        name: { type: 'string', title: 'Name', minLength: 1, maxLength: 100 },
        email: { type: 'string', title: 'Email', format: 'email' },
        address: { $ref: '#/$defs/address' },
      },
      required: ['name', 'email', 'address'],
    },
    items: {
      type: 'array',
      title: 'Items',
      minItems: 1,
      maxItems: 20,
      items: {
        type: 'object',
        title: 'Item',
        properties: {
          sku: { type: 'string', title: 'SKU', pattern: '^[A-Z]{3}-[0-9]{3}$', description: 'e.g. MUG-001' },
          quantity: { type: 'integer', title: 'Quantity', minimum: 1, maximum: 100, default: 1 },
          options: {
            type: 'object',
            title: 'Options',
            properties: {
              giftWrap: { type: 'boolean', title: 'Gift wrap', default: false },
              engraving: { type: 'string', title: 'Engraving', maxLength: 24 },
            },
          },
        },
        required: ['sku', 'quantity'],
      },
      default: [{ sku: 'MUG-001', quantity: 1 }],
    },
    priority: { type: 'string', title: 'Priority', enum: ['low', 'normal', 'high'], default: 'normal' },
    payment: {
      title: 'Payment',
      oneOf: [{ $ref: '#/$defs/cardPayment' }, { $ref: '#/$defs/invoicePayment' }],
    },
    coupon: {
      title: 'Coupon',
      description: 'A 6-character code, or a numeric voucher id',
      anyOf: [
        { type: 'string', title: 'Code', pattern: '^[A-Z0-9]{6}$' },
        { type: 'integer', title: 'Voucher id', minimum: 1000, maximum: 999999 },
      ],
    },
    deliveryDate: { type: 'string', title: 'Delivery date', format: 'date' },
    giftMessage: { type: ['string', 'null'], title: 'Gift message', maxLength: 200, default: null },
    discountPercent: { type: 'number', title: 'Discount %', minimum: 0, maximum: 50, default: 0 },
  },
  required: ['customer', 'items', 'payment'],
  additionalProperties: false,
} satisfies JsonSchemaType;

export const ORDER_OUTPUT_SCHEMA = {
  type: 'object',
  properties: {
    orderId: { type: 'string', pattern: '^ORD-[0-9A-F]{8}$' },
    status: { type: 'string', enum: ['confirmed', 'pending_payment'] },
    customer: { type: 'string' },
    shipTo: { type: 'string' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          sku: { type: 'string' },
          quantity: { type: 'integer' },
          unitPrice: { type: 'number' },
          lineTotal: { type: 'number' },
        },
        required: ['sku', 'quantity', 'unitPrice', 'lineTotal'],
      },
    },
    subtotal: { type: 'number' },
    discount: { type: 'number' },
    total: { type: 'number' },
    currency: { type: 'string', enum: ['EUR'] },
    paymentMethod: { type: 'string', enum: ['card', 'invoice'] },
    priority: { type: 'string', enum: ['low', 'normal', 'high'] },
    deliveryDate: { type: ['string', 'null'], format: 'date' },
  },
  required: [
    'orderId',
    'status',
    'customer',
    'shipTo',
    'lines',
    'subtotal',
    'discount',
    'total',
    'currency',
    'paymentMethod',
    'priority',
    'deliveryDate',
  ],
  additionalProperties: false,
} satisfies JsonSchemaType;

interface OrderInput {
  customer: {
    name: string;
    email: string;
    address: { street: string; city: string; postalCode?: string; country: string };
  };
  items: Array<{ sku: string; quantity: number; options?: { giftWrap?: boolean; engraving?: string } }>;
  priority?: 'low' | 'normal' | 'high';
  payment: { method: 'card'; number: string; expiry: string } | { method: 'invoice'; poNumber: string; dueInDays?: number };
  coupon?: string | number;
  deliveryDate?: string;
  giftMessage?: string | null;
  discountPercent?: number;
}

interface OrderLine {
  sku: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

export interface OrderSummary {
  [key: string]: unknown;
  orderId: string;
  status: 'confirmed' | 'pending_payment';
  customer: string;
  shipTo: string;
  lines: OrderLine[];
  subtotal: number;
  discount: number;
  total: number;
  currency: 'EUR';
  paymentMethod: 'card' | 'invoice';
  priority: 'low' | 'normal' | 'high';
  deliveryDate: string | null;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const cents = (value: number) => Math.round(value * 100) / 100;

/** Prices come from the SKU so the same order always gives the same totals (handy in tests and demos). */
function unitPrice(sku: string): number {
  return cents(4.5 + (fnv1a(sku) % 4550) / 100);
}

export function summariseOrder(input: OrderInput): OrderSummary {
  const lines = input.items.map((item) => {
    const price = unitPrice(item.sku) + (item.options?.giftWrap ? 2.5 : 0);
    return { sku: item.sku, quantity: item.quantity, unitPrice: cents(price), lineTotal: cents(price * item.quantity) };
  });
  const subtotal = cents(lines.reduce((sum, line) => sum + line.lineTotal, 0));
  const discount = cents((subtotal * (input.discountPercent ?? 0)) / 100);
  const address = input.customer.address;
  return {
    orderId: `ORD-${fnv1a(JSON.stringify(input)).toString(16).toUpperCase().padStart(8, '0')}`,
    status: input.payment.method === 'card' ? 'confirmed' : 'pending_payment',
    customer: `${input.customer.name} <${input.customer.email}>`,
    shipTo: [address.street, [address.postalCode, address.city].filter(Boolean).join(' '), address.country].join(', '),
    lines,
    subtotal,
    discount,
    total: cents(subtotal - discount),
    currency: 'EUR',
    paymentMethod: input.payment.method,
    priority: input.priority ?? 'normal',
    deliveryDate: input.deliveryDate ?? null,
  };
}

function orderText(order: OrderSummary, input: OrderInput): string {
  const lines = order.lines.map((l) => `  - ${l.quantity} × ${l.sku} @ €${l.unitPrice.toFixed(2)} = €${l.lineTotal.toFixed(2)}`);
  return [
    `Order ${order.orderId} ${order.status === 'confirmed' ? 'confirmed' : 'awaiting invoice payment'} for ${order.customer}.`,
    `Ship to: ${order.shipTo}${order.deliveryDate ? ` on ${order.deliveryDate}` : ''} (priority ${order.priority}).`,
    'Items:',
    ...lines,
    `Subtotal €${order.subtotal.toFixed(2)}, discount €${order.discount.toFixed(2)}, total €${order.total.toFixed(2)}.`,
    input.coupon !== undefined ? `Coupon applied: ${String(input.coupon)}.` : 'No coupon.',
    input.giftMessage ? `Gift message: “${input.giftMessage}”.` : 'No gift message.',
  ].join('\n');
}

export function registerOrderTool(server: McpServer): void {
  server.registerTool(
    'create_order',
    {
      title: 'Create order',
      description:
        'Places a (pretend) order. Its input exercises nested objects, arrays of objects, enums, defaults, oneOf/anyOf unions, a nullable field, $ref/$defs, formats and min/max.',
      inputSchema: fromJsonSchema<OrderInput>(ORDER_INPUT_SCHEMA),
      outputSchema: fromJsonSchema<OrderSummary>(ORDER_OUTPUT_SCHEMA),
      annotations: { title: 'Create order', readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      icons: [
        {
          src: svgIcon(
            '<circle cx="9" cy="21" r="1"/><circle cx="20" cy="21" r="1"/><path d="M1 1h4l2.7 13.4a2 2 0 0 0 2 1.6h9.7a2 2 0 0 0 2-1.6L23 6H6"/>',
            '#2563eb',
          ),
          mimeType: 'image/svg+xml',
          sizes: ['any'],
        },
      ],
    },
    async (input): Promise<CallToolResult> => {
      const order = summariseOrder(input);
      return { content: [{ type: 'text', text: orderText(order, input) }], structuredContent: order };
    },
  );
}
