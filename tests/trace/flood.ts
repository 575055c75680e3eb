// A server that answers every request with one SSE stream of server notifications: the load a flood puts
// on the recorder, without a network in between.

/** `count` notifications/message as SSE frames with ids, optionally followed by the answer to request 1. */
export function notificationFloodText(count: number, options: { answer?: boolean } = {}): string {
  const parts: string[] = [];
  for (let n = 1; n <= count; n++) {
    const message = {
      jsonrpc: '2.0',
      method: 'notifications/message',
      params: { level: 'info', logger: 'flood', data: { n, text: `flood message ${n} of ${count}` } },
    };
    parts.push(`id: ${n}\ndata: ${JSON.stringify(message)}\n\n`);
  }
  if (options.answer) parts.push(`id: ${count + 1}\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [] } })}\n\n`);
  return parts.join('');
}

/** A fetch that answers with `text` as `text/event-stream`, in chunks of `chunkBytes` as a socket would. */
export function streamingFetch(text: string, chunkBytes = 65_536): typeof fetch {
  const bytes = new TextEncoder().encode(text);
  return async () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += chunkBytes) controller.enqueue(bytes.slice(i, i + chunkBytes));
          controller.close();
        },
      }),
      { headers: { 'content-type': 'text/event-stream' } },
    );
}
