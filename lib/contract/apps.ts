// POST /api/sessions/:id/apps/log: what crossed an MCP App's bridge in the browser, to be recorded in the session
// log (lib/apps/record.ts decides what it means). Bounded: a page cannot grow a log faster than a view talks.
import * as z from 'zod';

z.config({ jitless: true });

export const appLogRequestSchema = z.object({
  viewId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be 1 to 64 letters, digits, - or _' }),
  resourceUri: z
    .string()
    .max(2048)
    .regex(/^ui:\/\/[^\u0000-\u001f\u007f]*$/, { error: 'must be a ui:// URI' }),
  messages: z
    .array(
      z.object({
        direction: z.enum(['in', 'out']),
        at: z.number().finite(),
        message: z.unknown(),
      }),
    )
    .max(200),
  notes: z
    .array(
      z.discriminatedUnion('code', [
        z.object({ code: z.literal('app_tool_not_visible'), tool: z.string().max(256) }),
        z.object({ code: z.literal('app_resource_mime_type'), mimeType: z.string().max(256) }),
        z.object({ code: z.literal('app_csp_violation'), directive: z.string().max(64), blockedUri: z.string().max(512) }),
      ]),
    )
    .max(20)
    .optional(),
});

export type AppLogRequest = z.infer<typeof appLogRequestSchema>;

/** GET /api/apps/sandbox: where the sandbox proxy listens (its own port: views never share mcpscope's origin). */
export interface AppSandboxInfo {
  port: number;
}
