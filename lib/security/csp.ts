// The Content-Security-Policy and Referrer-Policy every answer carries (proxy.ts sets them), so a script that
// slips into a page anyway (a server-chosen URL, markup from a result) cannot run: only scripts carrying this
// request's nonce run, and what they load ('strict-dynamic': Next.js loads its chunks from its own scripts).
// What the app legitimately needs, and why each source is there:
// - style-src 'unsafe-inline': React renders style attributes (virtualised lists, CodeMirror, the tree views),
//   which no nonce can cover; a nonce would also switch 'unsafe-inline' off. CSS cannot run script.
// - img-src data: blob: https:: images and media a server returns are shown as data: or blob: URLs; tool icons
//   and Markdown images may be https images (an image never runs script).
// - media-src data: blob:: audio and video results.  frame-src blob:: the PDF preview (the HTML preview is a
//   sandboxed srcdoc iframe, which inherits this policy).  worker-src 'self' blob:: the big-JSON parser worker.
// - connect-src 'self': the browser only ever talks to mcpscope (the server side is the MCP client).
// - object-src 'none', base-uri 'none', form-action 'self'.
// - frame-ancestors 'self': only mcpscope itself may frame its pages (the split view, /compare, shows two sessions'
//   workspaces side by side in same-origin iframes); every other origin is refused (clickjacking a button).
// In development only (`next dev`), React needs 'unsafe-eval' to rebuild server error stacks; production does not.

/** A fresh, unguessable nonce (128 bits, base64) for one response. */
export function newCspNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export interface CspOptions {
  nonce: string;
  /** `next dev`: adds 'unsafe-eval' (React's development build uses eval for error stacks). */
  development?: boolean;
  /** The MCP Apps sandbox proxy's port: its per-view origins (`http://*.localhost:<port>`) may be framed. */
  appSandboxPort?: number;
}

/** The policy for one response (pages, route handlers, refusals and API answers alike). */
export function contentSecurityPolicy({ nonce, development = false, appSandboxPort }: CspOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('A CSP nonce must be at least 16 base64 characters.');
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    // 'self' only matters to browsers without 'strict-dynamic' (CSP2); CSP3 browsers ignore it here.
    ['script-src', ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:', 'https:']],
    ['media-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', ["'self'"]],
    ['worker-src', ["'self'", 'blob:']],
    ['frame-src', ["'self'", 'blob:', ...(appSandboxPort ? [`http://*.localhost:${appSandboxPort}`] : [])]],
    ['manifest-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'self'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/**
 * strict-origin-when-cross-origin: another site learns at most mcpscope's origin (which an authorization server
 * knows anyway from the redirect URI), never a path: no session or share id, no OAuth code from /callback's
 * query. Not no-referrer: under it the Fetch standard has a same-origin state-changing request send `Origin: null`
 * (Chromium does so for form posts), and the Origin check (lib/security/access.ts) must refuse "null". Links to
 * servers' pages also carry rel="noreferrer"; pages whose own URL is a secret (/callback, the ?token= redirect,
 * share links) send no-referrer themselves.
 */
export const REFERRER_POLICY = 'strict-origin-when-cross-origin';

/**
 * The Referrer-Policy for a path: no-referrer where the URL itself is a secret (/callback carries the OAuth code
 * and state, /share/<id> is the share's capability), else REFERRER_POLICY. Set by proxy.ts, whose headers win
 * over a route handler's own.
 */
export function referrerPolicyFor(pathname: string): string {
  return pathname === '/callback' || pathname.startsWith('/share/') ? 'no-referrer' : REFERRER_POLICY;
}

/** The request header that hands the nonce to the root layout (for its inline theme script). */
export const NONCE_HEADER = 'x-nonce';

/** The nonce of one answer and the headers that carry it: its Content-Security-Policy and its Referrer-Policy. */
export interface AnswerSecurity {
  nonce: string;
  headers: { 'Content-Security-Policy': string; 'Referrer-Policy': string };
}

/**
 * A fresh nonce and the security headers for an answer at `pathname`, from the process's environment (the apps
 * sandbox's port, `next dev`). proxy.ts applies it to everything Next serves and lib/app-shell to the first page it
 * serves while Next starts: one policy for both doors.
 */
export function answerSecurity(pathname: string, env: Record<string, string | undefined> = process.env): AnswerSecurity {
  const nonce = newCspNonce();
  const sandboxPort = Number(env.MCPSCOPE_SANDBOX_PORT);
  const policy = contentSecurityPolicy({
    nonce,
    development: env.NODE_ENV === 'development',
    ...(Number.isInteger(sandboxPort) && sandboxPort > 0 ? { appSandboxPort: sandboxPort } : {}),
  });
  return { nonce, headers: { 'Content-Security-Policy': policy, 'Referrer-Policy': referrerPolicyFor(pathname) } };
}
