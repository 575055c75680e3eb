// Turning a failed fetch into a code and a sentence a person can act on.
import type { TraceError } from './types';

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
  'EPROTO',
]);

/** Error codes found on an error and its causes (undici nests them: `TypeError: fetch failed` → cause). */
export function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number): void => {
    if (depth > 5 || typeof e !== 'object' || e === null || seen.has(e)) return;
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    visit((e as { cause?: unknown }).cause, depth + 1);
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner)) for (const x of inner) visit(x, depth + 1);
  };
  visit(err, 0);
  return codes;
}

function errorName(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? (err as { name?: unknown }).name?.toString() : undefined;
}

function hasCodeInChain(err: unknown, code: string): boolean {
  let e: unknown = err;
  for (let i = 0; i < 5 && typeof e === 'object' && e !== null; i++) {
    if ((e as { code?: unknown }).code === code) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function innermostMessage(err: unknown): string {
  let e: unknown = err;
  let message = '';
  for (let i = 0; i < 5 && typeof e === 'object' && e !== null; i++) {
    const m = (e as { message?: unknown }).message;
    if (typeof m === 'string' && m) message = m;
    e = (e as { cause?: unknown }).cause;
  }
  return message || String(err);
}

function hostOf(url: string): { host: string; hostname: string } {
  try {
    const u = new URL(url);
    const port = u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
    return { host: port ? `${u.hostname}:${port}` : u.hostname, hostname: u.hostname };
  } catch {
    return { host: url, hostname: url };
  }
}

/**
 * Maps a fetch rejection to a TraceError. `signal` is the request's AbortSignal, when it had one: a fetch
 * aborted with a custom reason rejects with that reason, so the signal is the reliable witness.
 */
export function describeFetchError(err: unknown, url: string, signal?: AbortSignal | null): TraceError {
  const { host, hostname } = hostOf(url);
  const name = errorName(err);
  const reasonName = signal?.aborted ? errorName(signal.reason) : undefined;
  if (name === 'TimeoutError' || reasonName === 'TimeoutError') {
    return { code: 'timeout', message: `No answer from ${host} in time, so the request was given up. Is the server slow or stuck?` };
  }
  if (name === 'AbortError' || signal?.aborted) {
    return { code: 'aborted', message: 'The request was cancelled before the server answered.' };
  }
  const codes = errorCodes(err);
  const has = (...c: string[]) => codes.some((x) => c.includes(x));
  // Refusals by mcpscope's own guarded fetch (lib/security): the message names the rule.
  if (has('ETARGETFORBIDDEN')) return { code: 'target_forbidden', message: innermostMessage(err) };
  if (has('EREDIRECTLOOP', 'ETOOMANYREDIRECTS', 'EHEADERSTOOLARGE')) return { code: 'invalid_response', message: innermostMessage(err) };
  if (has('ECONNREFUSED')) {
    return { code: 'connection_refused', message: `Nothing is listening at ${host} — is the server running, and is the port right?` };
  }
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL')) {
    return {
      code: 'host_not_found',
      message: `The host name "${hostname}" could not be resolved — check the spelling of the URL and your network/DNS.`,
    };
  }
  if (has('ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT')) {
    return { code: 'timeout', message: `Connecting to ${host} timed out — is the host reachable from here (firewall, VPN)?` };
  }
  if (codes.some((c) => TLS_CODES.has(c) || c.startsWith('ERR_SSL_') || c.startsWith('ERR_TLS_'))) {
    const which = codes.find((c) => TLS_CODES.has(c) || c.startsWith('ERR_SSL_') || c.startsWith('ERR_TLS_'));
    return {
      code: 'tls_error',
      message: `The secure connection to ${host} failed (${which}): the certificate may be self-signed, expired or issued for another name, or the port does not speak HTTPS.`,
    };
  }
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED')) {
    return {
      code: 'connection_reset',
      message: `${host} closed the connection before answering — the server may have crashed, or something in between cut it.`,
    };
  }
  if (has('EHOSTUNREACH', 'ENETUNREACH')) {
    return { code: 'network_error', message: `${host} cannot be reached from this machine (no route to host).` };
  }
  return {
    code: 'network_error',
    message: `The request to ${host} failed: ${innermostMessage(err)}. Check the URL and that the server is reachable.`,
  };
}

/** A body stream that broke off after the response started. */
export function describeStreamError(err: unknown, bytes: number, signal?: AbortSignal | null): TraceError {
  const name = errorName(err);
  if (name === 'AbortError' || signal?.aborted) {
    return { code: 'aborted', message: `The response was cancelled by the client after ${bytes} bytes.` };
  }
  if (name === 'TimeoutError') {
    return { code: 'timeout', message: `The response stalled and was given up after ${bytes} bytes.` };
  }
  // The guarded fetch (lib/security) stopped reading past the per-message cap: its message names the cap.
  if (hasCodeInChain(err, 'ERESPONSETOOLARGE')) return { code: 'message_too_large', message: innermostMessage(err) };
  return {
    code: 'stream_error',
    message: `The response body broke off after ${bytes} bytes (${innermostMessage(err)}): the server or the connection closed the stream early.`,
  };
}
