// The command line cannot ask a person mid-call, so --on-elicitation decides in advance how to answer a
// server's elicitation: accept (with the form's defaults), decline or cancel. Each answer is announced on
// stderr so the person sees what was agreed to on their behalf.
import type { ClientCapabilities } from '@modelcontextprotocol/client';
import { ServerRequestRejection, type ClientFeatures, type ServerRequest } from '../mcp';
import type { ElicitationAction } from './args';
import { oneLine } from './errors';
import { isJsonObject } from '../json';

/**
 * The engine registers a handler for elicitation, sampling and roots together, and the SDK refuses a handler
 * for an undeclared capability, so all three are declared: sampling is refused (nobody is there to write a
 * reply) and the roots list is empty.
 */
const CLI_CAPABILITIES: ClientCapabilities = { elicitation: { form: {} }, sampling: {}, roots: {} };

/** JSON-RPC code the spec suggests for a request the user declined (sampling). */
const USER_REJECTED = -1;

export function elicitationFeatures(action: ElicitationAction, notify: (line: string) => void): ClientFeatures {
  return {
    capabilities: CLI_CAPABILITIES,
    async answer(request: ServerRequest): Promise<Record<string, unknown>> {
      switch (request.method) {
        case 'elicitation/create':
          return answerElicitation(request.params, action, notify);
        case 'roots/list':
          return { roots: [] };
        case 'sampling/createMessage':
          notify('sampling: the server asked for sampling (an LLM reply); the command line does not answer those, so it was refused.');
          throw new ServerRequestRejection(USER_REJECTED, 'The mcpscope command line does not answer sampling requests.');
      }
    },
  };
}

function answerElicitation(
  params: Record<string, unknown>,
  action: ElicitationAction,
  notify: (line: string) => void,
): Record<string, unknown> {
  const message = typeof params.message === 'string' ? oneLine(params.message) : '(no message)';
  if (params.mode === 'url') {
    const url = typeof params.url === 'string' ? params.url : '(no URL)';
    notify(`elicitation (url): "${message}" ${url} -> ${action}`);
    return { action };
  }
  if (action !== 'accept') {
    notify(`elicitation: "${message}" -> ${action}`);
    return { action };
  }
  const content = schemaDefaults(params.requestedSchema);
  notify(`elicitation: "${message}" -> accept ${JSON.stringify(content)}`);
  return { action: 'accept', content };
}

/** The `default` of each top-level property of an elicitation's (flat) requested schema. */
export function schemaDefaults(schema: unknown): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  const properties = isJsonObject(schema) && isJsonObject(schema.properties) ? schema.properties : {};
  for (const [name, property] of Object.entries(properties)) {
    if (isJsonObject(property) && property.default !== undefined) content[name] = property.default;
  }
  return content;
}
