// `slow_task`: reports progress on every step and stops as soon as the request is cancelled — on a
// 2026-07-28 exchange that is the client closing the HTTP request, on a 2025 session it is
// `notifications/cancelled`; the SDK turns both into `ctx.mcpReq.signal`. It also logs what it does
// (notifications/message, debug to warning), honouring the level the client set: `logging/setLevel` on a 2025
// session, the request's own log level on 2026-07-28 (no level, no log messages).
//
// For a client that declares the tasks extension (SEP-2663) it is a task instead: the call answers at once
// with a CreateTaskResult and the steps go on in the background, reported in the task's statusMessage; the
// client polls tasks/get and may stop it with tasks/cancel (tasks.ts).
import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { svgIcon } from './media';
import { clientDeclaresTasks, createTaskResult, type DemoTaskStore } from './tasks';
import type { DemoEvent } from './types';

/** Waits `ms`, or rejects as soon as `signal` aborts (the e2e fixtures' slow tools wait the same way). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The same steps as a task: no request to report progress or logs on, only the task's status message. */
async function runAsTask(
  seconds: number,
  steps: number,
  signal: AbortSignal,
  setStatusMessage: (message: string) => void,
  onEvent?: (event: DemoEvent) => void,
): Promise<CallToolResult> {
  const stepMs = (seconds * 1000) / steps;
  const started = Date.now();
  let done = 0;
  try {
    for (done = 0; done < steps;) {
      await abortableSleep(stepMs, signal);
      done++;
      setStatusMessage(`Step ${done} of ${steps}`);
    }
  } catch (error) {
    if (signal.aborted) {
      onEvent?.({ type: 'slow_task', outcome: 'cancelled', stepsDone: done, steps });
      return { content: [{ type: 'text', text: `Cancelled after ${done} of ${steps} steps.` }], isError: true };
    }
    throw error;
  }
  onEvent?.({ type: 'slow_task', outcome: 'completed', stepsDone: done, steps });
  return { content: [{ type: 'text', text: `Finished ${steps} steps in ${((Date.now() - started) / 1000).toFixed(1)} s (as a task).` }] };
}

export function registerSlowTask(server: McpServer, onEvent?: (event: DemoEvent) => void, tasks?: DemoTaskStore): void {
  server.registerTool(
    'slow_task',
    {
      title: 'Slow task',
      description:
        'Works for `seconds`, split into `steps`, sending notifications/progress after each step when the request carries a progressToken. Cancel it to see it stop. A client that declares the tasks extension gets a task to poll instead.',
      inputSchema: z.object({
        seconds: z.number().min(0).max(120).default(5).describe('Total duration in seconds'),
        steps: z.number().int().min(1).max(100).default(10).describe('How many progress notifications to send'),
      }),
      annotations: { title: 'Slow task', readOnlyHint: true, openWorldHint: false },
      icons: [
        { src: svgIcon('<circle cx="12" cy="12" r="10"/><path d="M12 6v6l4 2"/>', '#d97706'), mimeType: 'image/svg+xml', sizes: ['any'] },
      ],
    },
    async ({ seconds, steps }, ctx): Promise<CallToolResult> => {
      if (tasks && clientDeclaresTasks(ctx)) {
        return createTaskResult(
          tasks.start(({ signal, setStatusMessage }) => runAsTask(seconds, steps, signal, setStatusMessage, onEvent)),
        );
      }
      const progressToken = ctx.mcpReq._meta?.progressToken;
      const stepMs = (seconds * 1000) / steps;
      const started = Date.now();
      let done = 0;
      await ctx.mcpReq.log('debug', { message: 'slow_task started', seconds, steps }, 'slow_task');
      try {
        for (done = 0; done < steps;) {
          await abortableSleep(stepMs, ctx.mcpReq.signal);
          done++;
          await ctx.mcpReq.log('info', `Step ${done} of ${steps} done`, 'slow_task');
          if (progressToken !== undefined) {
            await ctx.mcpReq.notify({
              method: 'notifications/progress',
              params: { progressToken, progress: done, total: steps, message: `Step ${done} of ${steps}` },
            });
          }
        }
      } catch (error) {
        if (ctx.mcpReq.signal.aborted) {
          await ctx.mcpReq.log('warning', `Cancelled after ${done} of ${steps} steps`, 'slow_task').catch(() => undefined);
          onEvent?.({ type: 'slow_task', outcome: 'cancelled', stepsDone: done, steps });
          return { content: [{ type: 'text', text: `Cancelled after ${done} of ${steps} steps.` }], isError: true };
        }
        throw error;
      }
      onEvent?.({ type: 'slow_task', outcome: 'completed', stepsDone: done, steps });
      const elapsed = ((Date.now() - started) / 1000).toFixed(1);
      await ctx.mcpReq.log('notice', `Finished ${steps} steps in ${elapsed} s`, 'slow_task');
      return { content: [{ type: 'text', text: `Finished ${steps} steps in ${elapsed} s.` }] };
    },
  );
}
