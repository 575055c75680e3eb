// Tools with an outputSchema: one whose structuredContent matches it, and one that deliberately does not,
// so an inspector can show its mismatch warning.
import {
  fromJsonSchema,
  type CallToolResult,
  type JsonSchemaType,
  type JsonSchemaValidator,
  type McpServer,
  type jsonSchemaValidator,
} from '@modelcontextprotocol/server';
import * as z from 'zod';
import { svgIcon } from './media';

const CONDITIONS = ['sunny', 'cloudy', 'rain', 'snow', 'windy'] as const;

const weatherOutput = z.object({
  city: z.string(),
  units: z.enum(['metric', 'imperial']),
  temperature: z.number().describe('Current temperature in °C (metric) or °F (imperial)'),
  conditions: z.enum(CONDITIONS),
  humidity: z.number().int().min(0).max(100),
  forecast: z.array(z.object({ day: z.string(), high: z.number(), low: z.number(), conditions: z.enum(CONDITIONS) })),
});

function seeded(text: string): () => number {
  let state = 2166136261;
  for (let i = 0; i < text.length; i++) state = Math.imul(state ^ text.charCodeAt(i), 16777619) >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Invented but stable weather: the same city always gets the same report. */
export function weatherFor(city: string, units: 'metric' | 'imperial'): z.infer<typeof weatherOutput> {
  const random = seeded(city.trim().toLowerCase());
  const toUnits = (celsius: number) => Math.round((units === 'metric' ? celsius : celsius * 1.8 + 32) * 10) / 10;
  const pick = () => CONDITIONS[Math.floor(random() * CONDITIONS.length)];
  const base = 4 + random() * 22;
  return {
    city,
    units,
    temperature: toUnits(base),
    conditions: pick(),
    humidity: Math.round(35 + random() * 60),
    forecast: ['Mon', 'Tue', 'Wed'].map((day) => {
      const high = base + random() * 6;
      return { day, high: toUnits(high), low: toUnits(high - 4 - random() * 6), conditions: pick() };
    }),
  };
}

/** The schema `broken_structured` advertises: `score` is required and `id` is an integer. */
export const BROKEN_OUTPUT_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    label: { type: 'string' },
    score: { type: 'number', minimum: 0, maximum: 1 },
  },
  required: ['id', 'label', 'score'],
} satisfies JsonSchemaType;

/**
 * McpServer validates structuredContent against the tool's outputSchema before sending and turns a
 * mismatch into an isError result, so a mismatching result can't be sent with the default validator.
 * `fromJsonSchema` takes the validator as its second argument: this one accepts everything, so the tool
 * advertises the strict schema above while the server lets the non-conforming content through.
 */
const acceptAnything: jsonSchemaValidator = {
  getValidator<T>(): JsonSchemaValidator<T> {
    return (input: unknown) => ({ valid: true, data: input as T, errorMessage: undefined });
  },
};

export function registerStructuredTools(server: McpServer): void {
  server.registerTool(
    'structured_weather',
    {
      title: 'Weather (structured)',
      description: 'Returns an invented weather report as text and as structuredContent matching its outputSchema.',
      inputSchema: z.object({
        city: z.string().min(1).max(80).default('Amsterdam').describe('City name'),
        units: z.enum(['metric', 'imperial']).default('metric'),
      }),
      outputSchema: weatherOutput,
      annotations: { title: 'Weather (structured)', readOnlyHint: true, openWorldHint: false, idempotentHint: true },
      icons: [
        {
          src: svgIcon('<path d="M17.5 19H9a7 7 0 1 1 6.7-9h1.8a4.5 4.5 0 1 1 0 9Z"/>', '#0891b2'),
          mimeType: 'image/svg+xml',
          sizes: ['any'],
        },
      ],
    },
    async ({ city, units }): Promise<CallToolResult> => {
      const report = weatherFor(city, units);
      const unit = units === 'metric' ? '°C' : '°F';
      return {
        content: [
          { type: 'text', text: `${report.city}: ${report.temperature}${unit}, ${report.conditions}, humidity ${report.humidity}%.` },
        ],
        structuredContent: report,
      };
    },
  );

  server.registerTool(
    'broken_structured',
    {
      title: 'Broken structured output',
      description:
        'Declares an outputSchema requiring {id: integer, label, score} but returns structuredContent with a string id and no score — on purpose, so a client can show a schema mismatch.',
      outputSchema: fromJsonSchema<Record<string, unknown>>(BROKEN_OUTPUT_SCHEMA, acceptAnything),
      annotations: { title: 'Broken structured output', readOnlyHint: true },
    },
    async (): Promise<CallToolResult> => ({
      content: [{ type: 'text', text: 'This result does not match the advertised outputSchema: id is a string and score is missing.' }],
      structuredContent: { id: 'not-a-number', label: 'mismatch on purpose' },
    }),
  );
}
