// POST /api/sessions/:id/rpc answered straight from node:http, beside Next.js rather than through it.
//
// Why: a tool call is the one request whose latency people read as the server's. Next's request pipeline
// (proxy, routing, the Web Request/Response adapters) costs ~3-4 ms per request on these machines, about
// twice the MCP round trip itself (see README § Performance). The server in scripts/start.mjs hands every
// request to `serveRpcDirectly` first; it takes only a plain, admissible call to an existing session and
// hands everything else (refusals included) to Next, whose proxy and route answer it exactly as before.
// The rules are the same ones: lib/security `admit` is what proxy.ts applies, the answer is what the route
// sends (registry.rpc, the same error shapes, the same headers).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { engineServerTiming } from '../contract';
import { ADMITTED_HEADERS, admit, getSecuritySettings, nodeAdmissionFacts, nodeHeader } from '../security';
import { errorAnswer, getRegistry, JSON_HEADERS, parseJsonBody } from '../sessions';

/** Where the Next.js bundle leaves the handler for the server that fronts it (scripts/start.mjs). */
export const DIRECT_RPC_KEY = Symbol.for('mcpscope.direct-rpc');

/** Serves the request, or calls `fallback` (once, before reading any of the body) to let Next.js serve it. */
export type DirectRpcHandler = (request: IncomingMessage, response: ServerResponse, fallback: () => void) => void;

const RPC_PATH = /^\/api\/sessions\/([A-Za-z0-9_-]{1,128})\/rpc$/;

export const serveRpcDirectly: DirectRpcHandler = (request, response, fallback) => {
  // Anything unusual (another path, a query, a chunked body whose size is unknown) is Next's to serve.
  const match = request.method === 'POST' ? RPC_PATH.exec(request.url ?? '') : null;
  const declared = nodeHeader(request, 'content-length');
  if (!match || declared === null || !/^\d{1,9}$/.test(declared)) {
    fallback();
    return;
  }
  answer(request, response, match[1]!, Number(declared), fallback).catch((error: unknown) => {
    console.error('direct rpc failed', error);
    if (!response.headersSent) send(response, 500, errorAnswer(error).body);
    else response.destroy();
  });
};

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  sessionId: string,
  size: number,
  fallback: () => void,
): Promise<void> {
  const settings = getSecuritySettings();
  const facts = nodeAdmissionFacts(request, settings, { pathname: request.url!, bodySize: size });
  const owner = facts.owner;
  const admission = await admit(facts, settings);
  const registry = getRegistry();
  const session = admission.action === 'allow' ? registry.get(owner, sessionId) : undefined;
  // Refused, or no such session for this browser: Next's proxy and route say so, in their usual words.
  if (!session) {
    fallback();
    return;
  }

  const controller = new AbortController();
  // The browser gave up on the call (closed the tab, aborted the fetch): so does the session, as in the route.
  response.once('close', () => {
    if (!response.writableFinished) controller.abort('the browser closed the request');
  });
  const text = await readBody(request, size);
  if (text === undefined) return;
  let status = 200;
  let body: unknown;
  let timing: Record<string, string> | undefined;
  try {
    const { outcome, engineMs } = await registry.timedRpc(session, parseJsonBody(text), controller.signal);
    body = outcome;
    timing = { 'Server-Timing': engineServerTiming(engineMs) };
  } catch (error) {
    ({ status, body } = errorAnswer(error));
  }
  if (!response.destroyed) send(response, status, body, timing);
}

/** The body as text, or undefined when the client went away before sending all of it. */
function readBody(request: IncomingMessage, size: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', () => resolve(undefined));
    request.once('aborted', () => resolve(undefined));
  });
}

function send(response: ServerResponse, status: number, body: unknown, extra?: Record<string, string>): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...JSON_HEADERS, ...ADMITTED_HEADERS, ...extra, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** Leaves the handler where scripts/start.mjs finds it (called from instrumentation.ts at server start). */
export function installDirectRpc(): void {
  (globalThis as typeof globalThis & { [DIRECT_RPC_KEY]?: DirectRpcHandler })[DIRECT_RPC_KEY] = serveRpcDirectly;
}
