// Resource subscriptions, both eras: the live counter resource, the `bump_counter` tool that changes it,
// and `resources/subscribe` / `resources/unsubscribe` for 2025 sessions. A 2026-07-28 client subscribes with
// `subscriptions/listen` instead, which the SDK's handler serves; http.ts forwards each update to it.
import { ProtocolError, ProtocolErrorCode, type CallToolResult, type McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { COUNTER_URI, MAX_SUBSCRIPTIONS_PER_SESSION, type DemoLive } from './live';

export function registerLiveCounter(server: McpServer, live: DemoLive): void {
  server.registerResource(
    'live-counter',
    COUNTER_URI,
    {
      title: 'Live counter',
      description: 'A number that changes when bump_counter is called. Subscribe to it to get notifications/resources/updated.',
      mimeType: 'application/json',
    },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(live.counter()) }] }),
  );

  server.registerTool(
    'bump_counter',
    {
      title: 'Bump the live counter',
      description: `Adds to the counter at ${COUNTER_URI}; every client subscribed to it gets notifications/resources/updated.`,
      inputSchema: z.object({ by: z.number().int().min(-1000).max(1000).default(1).describe('How much to add') }),
      annotations: {
        title: 'Bump the live counter',
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    async ({ by }, ctx): Promise<CallToolResult> => {
      const value = live.bump(by);
      await ctx.mcpReq.log('info', { message: 'counter bumped', uri: COUNTER_URI, by, value }, 'live-counter');
      return { content: [{ type: 'text', text: `The counter is now ${value}; subscribers of ${COUNTER_URI} were notified.` }] };
    },
  );

  // 2025 sessions: one set of subscribed URIs per server instance (= per session). Any URI may be
  // subscribed to, known or not (a resource may appear later, and the spec leaves the choice to the server);
  // only the ones that change here ever produce notifications.
  const subscribed = new Set<string>();
  let stopListening: (() => void) | undefined;
  const listen = () => {
    stopListening ??= live.onUpdate((uri) => {
      if (!subscribed.has(uri) || !server.isConnected()) return;
      void server.server.sendResourceUpdated({ uri }).catch(() => undefined);
    });
  };
  const stop = () => {
    stopListening?.();
    stopListening = undefined;
  };
  const previousOnClose = server.server.onclose;
  server.server.onclose = () => {
    stop();
    subscribed.clear();
    previousOnClose?.();
  };

  server.server.setRequestHandler('resources/subscribe', async (request) => {
    const { uri } = request.params;
    if (!subscribed.has(uri) && subscribed.size >= MAX_SUBSCRIPTIONS_PER_SESSION) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Too many subscriptions: at most ${MAX_SUBSCRIPTIONS_PER_SESSION} per session.`,
      );
    }
    subscribed.add(uri);
    listen();
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', async (request) => {
    subscribed.delete(request.params.uri);
    if (subscribed.size === 0) stop();
    return {};
  });
}
