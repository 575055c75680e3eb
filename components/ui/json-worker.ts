// Parses a large JSON text off the main thread; the parsed value goes back by structured clone.
export type JsonWorkerReply = { ok: true; value: unknown } | { ok: false; message: string };

self.onmessage = (event: MessageEvent<string>) => {
  let reply: JsonWorkerReply;
  try {
    reply = { ok: true, value: JSON.parse(event.data) };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  (self as unknown as { postMessage: (message: JsonWorkerReply) => void }).postMessage(reply);
};
