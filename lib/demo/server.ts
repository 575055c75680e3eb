import { McpServer } from '@modelcontextprotocol/server';
import { registerAskTools } from './ask';
import { createBookingStateCodec, registerBookingTool } from './booking';
import { registerContentTools } from './content-tools';
import { svgIcon } from './media';
import { registerOrderTool } from './order';
import { registerResourcesAndPrompts } from './resources';
import { DemoLive } from './live';
import { registerSlowTask } from './slow-task';
import { registerStockTool } from './stock';
import { registerStructuredTools } from './structured';
import { registerLiveCounter } from './subscriptions';
import { DemoTaskStore, registerTaskMethods, TASKS_EXTENSION } from './tasks';
import type { DemoServerOptions } from './types';

export const DEMO_SERVER_INFO = {
  name: 'mcpscope-demo',
  title: 'mcpscope demo server',
  version: '1.0.0',
  description: 'Built into mcpscope: tools that exercise forms, progress, cancellation and every result type.',
};

const INSTRUCTIONS =
  'A demo server for trying mcpscope. Every tool is harmless and deterministic except slow_task (takes time), fail_always (always errors) and bump_counter (changes demo://live/counter.json for everyone subscribed to it).';

/**
 * One fresh demo server instance. The same definition serves both eras: the 2026-07-28 handler makes one
 * per HTTP request, and the 2025 leg makes one per session.
 */
export function createDemoServer(options: DemoServerOptions = {}): McpServer {
  const live = options.live ?? new DemoLive();
  const bookingState = options.bookingState ?? createBookingStateCodec();
  const tasks = options.tasks ?? new DemoTaskStore();
  const server = new McpServer(
    {
      ...DEMO_SERVER_INFO,
      icons: [
        { src: svgIcon('<circle cx="11" cy="11" r="7"/><path d="m21 21-4.3-4.3"/>', '#2563eb'), mimeType: 'image/svg+xml', sizes: ['any'] },
      ],
    },
    {
      instructions: INSTRUCTIONS,
      // logging: `logging/setLevel` (2025) and per-request levels (2026-07-28) are the SDK's; the tools log
      // through ctx.mcpReq.log, which honours them. resources.subscribe: see subscriptions.ts; tasks: tasks.ts.
      capabilities: { logging: {}, resources: { subscribe: true }, extensions: { [TASKS_EXTENSION]: {} } },
      requestState: { verify: (state, ctx) => bookingState.verify(state, ctx) },
    },
  );
  registerOrderTool(server);
  registerSlowTask(server, options.onEvent, tasks);
  registerStructuredTools(server);
  registerContentTools(server);
  registerResourcesAndPrompts(server);
  registerAskTools(server);
  registerBookingTool(server, bookingState);
  registerStockTool(server);
  registerLiveCounter(server, live);
  registerTaskMethods(server, tasks);
  return server;
}
