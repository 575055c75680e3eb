// Renders prepared schemas with the real rjsf Form (server-side, no DOM) to prove the form generator
// produces fields for every construct the inspector promises, instead of trusting the schema rewrite alone.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import Form from '@rjsf/core';
import type { RJSFSchema } from '@rjsf/utils';
import { describe, expect, it } from 'vitest';
import { formValidator, prepareToolSchema } from '@/lib/schema-form';

function render(inputSchema: unknown, formData?: unknown): string {
  const prepared = prepareToolSchema(inputSchema);
  if (!prepared.ok) throw new Error(prepared.reason);
  return renderToStaticMarkup(
    createElement(Form, {
      schema: prepared.schema as RJSFSchema,
      validator: formValidator,
      formData,
      className: 'rjsf',
      idPrefix: 'args',
      useFallbackUiForUnsupportedType: true,
      uiSchema: { 'ui:submitButtonOptions': { norender: true } },
    }),
  );
}

describe('rjsf renders prepared tool schemas', () => {
  it('renders nested objects, enums, defaults and min/max', () => {
    const html = render({
      type: 'object',
      properties: {
        user: {
          type: 'object',
          title: 'User',
          properties: {
            name: { type: 'string', default: 'Ada' },
            role: { type: 'string', enum: ['admin', 'viewer'] },
            age: { type: 'integer', minimum: 0, maximum: 150 },
          },
        },
      },
    });
    expect(html).toContain('class="rjsf"');
    expect(html).toMatch(/id="args_user_name"[^>]*value="Ada"|value="Ada"[^>]*id="args_user_name"/);
    expect(html).toContain('<option value="0">admin</option>');
    expect(html).toMatch(/min="0"/);
    expect(html).toMatch(/max="150"/);
    expect(html).not.toContain('submit');
  });

  it('renders arrays of objects resolved through $defs', () => {
    const html = render(
      {
        type: 'object',
        properties: { items: { type: 'array', items: { $ref: '#/$defs/Item' } } },
        $defs: { Item: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer' } } } },
      },
      { items: [{ sku: 'A-1', qty: 2 }] },
    );
    expect(html).toContain('id="args_items_0_sku"');
    expect(html).toContain('id="args_items_0_qty"');
    expect(html).toContain('rjsf-array-item-add');
  });

  it('renders oneOf branches and multi-type unions as a choice, and nullable types as their base type', () => {
    const html = render({
      type: 'object',
      properties: {
        target: {
          oneOf: [
            { title: 'By id', type: 'object', properties: { id: { type: 'integer' } } },
            { title: 'By name', type: 'object', properties: { name: { type: 'string' } } },
          ],
        },
        key: { type: ['string', 'integer'] },
        note: { type: ['string', 'null'] },
      },
    });
    expect(html).toContain('By id');
    expect(html).toContain('By name');
    expect(html).toMatch(/<option[^>]*>string<\/option>/);
    expect(html).toMatch(/<option[^>]*>integer<\/option>/);
    expect(html).toMatch(/id="args_note"[^>]*type="text"|type="text"[^>]*id="args_note"/);
  });

  it('renders an any-value property with a type picker instead of dropping it', () => {
    const html = render({ type: 'object', properties: { payload: {} } });
    expect(html).toContain('for="args_payload"');
    expect(html).toContain('<option value="3">object</option>');
  });

  it('renders a recursive schema without looping', () => {
    const html = render(
      {
        type: 'object',
        properties: { root: { $ref: '#/$defs/Node' } },
        $defs: {
          Node: {
            type: 'object',
            properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
          },
        },
      },
      { root: { label: 'a', children: [{ label: 'b' }] } },
    );
    expect(html).toContain('id="args_root_label"');
    expect(html).toContain('id="args_root_children_0_label"');
  });
});

describe('the demo server’s create_order schema', () => {
  it('renders every construct it was written to exercise', async () => {
    const { ORDER_INPUT_SCHEMA } = await import('@/lib/demo/order');
    const html = render(ORDER_INPUT_SCHEMA, { items: [{ sku: 'MUG-001', quantity: 2 }] });
    expect(html).toContain('id="args_customer_email"');
    expect(html).toContain('type="email"');
    expect(html).toContain('id="args_items_0_sku"');
    expect(html).toContain('type="date"');
    expect(html).toContain('Gift message');
    expect(html).toMatch(/<option[^>]*>Code<\/option>/);
    expect(html).toMatch(/<option[^>]*>high<\/option>/);
  });
});
