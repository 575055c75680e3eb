// Tools that ask the client something, written once for both eras with the v2 SDK's multi-round-trip
// builder: a 2026-07-28 client gets an `input_required` result and retries with the answers; on a 2025
// session the SDK's legacy shim sends real `elicitation/create`, `sampling/createMessage` and `roots/list`
// requests instead. So the inspector's answer panel can be tried on either era.
import { acceptedContent, inputRequired, inputResponse, type CallToolResult, type McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';

const CONFIRMATION_SCHEMA = {
  type: 'object' as const,
  properties: {
    confirm: { type: 'boolean' as const, title: 'Go ahead?', description: 'Tick to confirm', default: false },
    reason: { type: 'string' as const, title: 'Reason', description: 'Why (optional)' },
    priority: {
      type: 'string' as const,
      title: 'Priority',
      oneOf: [
        { const: 'low', title: 'Low' },
        { const: 'normal', title: 'Normal' },
        { const: 'high', title: 'High' },
      ],
      default: 'normal',
    },
  },
  required: ['confirm'],
};

export function registerAskTools(server: McpServer): void {
  server.registerTool(
    'confirm_action',
    {
      title: 'Confirm an action',
      description: 'Asks the person (elicitation, form mode) to confirm before it "does" anything, then reports the answer.',
      inputSchema: z.object({ action: z.string().default('delete the staging database').describe('What to ask about') }),
      annotations: { title: 'Confirm an action', readOnlyHint: true, openWorldHint: false },
    },
    async ({ action }, ctx): Promise<CallToolResult> => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
      if (answer.kind !== 'elicit') {
        return inputRequired({
          inputRequests: {
            confirm: inputRequired.elicit({ message: `Really ${action}?`, requestedSchema: CONFIRMATION_SCHEMA }),
          },
        }) as unknown as CallToolResult;
      }
      if (answer.action !== 'accept') return { content: [{ type: 'text', text: `The person chose ${answer.action}: nothing was done.` }] };
      const content = acceptedContent(ctx.mcpReq.inputResponses, 'confirm') ?? {};
      return {
        content: [
          {
            type: 'text',
            text:
              content.confirm === true
                ? `Confirmed: would ${action} (${JSON.stringify(content)}).`
                : `Not confirmed: nothing was done (${JSON.stringify(content)}).`,
          },
        ],
      };
    },
  );

  server.registerTool(
    'draft_reply',
    {
      title: 'Draft a reply',
      description: 'Asks the client to sample a reply from its model (sampling/createMessage) and returns what came back.',
      inputSchema: z.object({ question: z.string().default('What is the capital of the Netherlands?').describe('What to ask the model') }),
      annotations: { title: 'Draft a reply', readOnlyHint: true, openWorldHint: true },
    },
    async ({ question }, ctx): Promise<CallToolResult> => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'reply');
      if (answer.kind !== 'sampling') {
        return inputRequired({
          inputRequests: {
            reply: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: question } }],
              systemPrompt: 'Answer in one short sentence.',
              maxTokens: 200,
              modelPreferences: { hints: [{ name: 'claude' }], intelligencePriority: 0.8, speedPriority: 0.5 },
            }),
          },
        }) as unknown as CallToolResult;
      }
      const content = answer.result.content;
      const text = Array.isArray(content) ? JSON.stringify(content) : content.type === 'text' ? content.text : JSON.stringify(content);
      return { content: [{ type: 'text', text: `The model (${answer.result.model}) replied: ${text}` }] };
    },
  );

  server.registerTool(
    'list_roots',
    {
      title: 'List roots',
      description: 'Asks the client for its roots (roots/list) and returns them.',
      inputSchema: z.object({}),
      annotations: { title: 'List roots', readOnlyHint: true, openWorldHint: false },
    },
    async (_args, ctx): Promise<CallToolResult> => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'roots');
      if (answer.kind !== 'roots') {
        return inputRequired({ inputRequests: { roots: inputRequired.listRoots() } }) as unknown as CallToolResult;
      }
      const lines = answer.roots.map((root) => `${root.name ? `${root.name}: ` : ''}${root.uri}`);
      return { content: [{ type: 'text', text: lines.length > 0 ? `Roots:\n${lines.join('\n')}` : 'The client has no roots.' }] };
    },
  );
}
