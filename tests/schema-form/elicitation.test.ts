// The elicitation form schema: every enum flavour the spec allows becomes something rjsf renders as a
// select or a checkbox group, and defaults stay in place.
import { describe, expect, it } from 'vitest';
import { elicitationDefaults, prepareElicitationSchema } from '@/lib/schema-form';

const REQUESTED = {
  type: 'object',
  properties: {
    name: { type: 'string', title: 'Name' },
    friend: { type: 'string', enum: ['Monica', 'Joey'], default: 'Joey' },
    hero: {
      type: 'string',
      oneOf: [
        { const: 'h1', title: 'Superman' },
        { const: 'h2', title: 'Batman' },
      ],
      default: 'h1',
    },
    pet: { type: 'string', enum: ['p1', 'p2'], enumNames: ['Cats', 'Dogs'] },
    instruments: { type: 'array', items: { type: 'string', enum: ['Guitar', 'Piano'] }, default: ['Piano'] },
    fish: {
      type: 'array',
      items: {
        anyOf: [
          { const: 'f1', title: 'Tuna' },
          { const: 'f2', title: 'Trout' },
        ],
      },
      minItems: 1,
    },
    age: { type: 'integer', minimum: 0, default: 42 },
  },
  required: ['name'],
};

describe('prepareElicitationSchema', () => {
  it('keeps plain fields, rewrites legacy enumNames, and turns multi-selects into checkbox groups', () => {
    const prepared = prepareElicitationSchema(REQUESTED);
    if (!prepared.ok) throw new Error(prepared.reason);
    const { schema, uiSchema, fields } = prepared.form;
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    expect(fields).toEqual(['name', 'friend', 'hero', 'pet', 'instruments', 'fish', 'age']);
    expect(properties.pet).toEqual({
      type: 'string',
      oneOf: [
        { const: 'p1', title: 'Cats' },
        { const: 'p2', title: 'Dogs' },
      ],
    });
    expect(properties.hero!.oneOf).toHaveLength(2);
    expect(properties.instruments).toMatchObject({ uniqueItems: true, items: { enum: ['Guitar', 'Piano'] } });
    expect(properties.fish).toMatchObject({
      uniqueItems: true,
      items: {
        type: 'string',
        oneOf: [
          { const: 'f1', title: 'Tuna' },
          { const: 'f2', title: 'Trout' },
        ],
      },
    });
    expect(uiSchema).toMatchObject({ instruments: { 'ui:widget': 'checkboxes' }, fish: { 'ui:widget': 'checkboxes' } });
    expect(uiSchema.friend).toBeUndefined();
    expect(schema.required).toEqual(['name']);
  });

  it('starts from every default', () => {
    const prepared = prepareElicitationSchema(REQUESTED);
    if (!prepared.ok) throw new Error(prepared.reason);
    expect(elicitationDefaults(prepared.form.schema)).toEqual({ friend: 'Joey', hero: 'h1', instruments: ['Piano'], age: 42 });
  });

  it('explains schemas it cannot show', () => {
    expect(prepareElicitationSchema(undefined)).toEqual({ ok: false, reason: 'The server sent no requestedSchema object.' });
    expect(prepareElicitationSchema({ type: 'string' })).toMatchObject({ ok: false, reason: expect.stringMatching(/object/) });
  });
});
