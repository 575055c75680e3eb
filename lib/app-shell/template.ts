// The first page as a template: the home page Next rendered once from this build (captured when the app is built:
// scripts/shell-capture.mjs), with its two per-request values (the CSP nonce and the public origin) replaced by
// markers. The front server fills it in while Next is still starting (./early.ts), so a person who opens mcpscope
// sees its page in the time Node takes to start rather than the seconds Next takes to load.
import { CodedError } from '../errors';

/** The template's file, in the build folder beside BUILD_ID. */
export const SHELL_FILE = 'mcpscope-shell.json';

/** The public origin the page is captured with: distinctive, so nothing else in the page can be mistaken for it. */
export const CAPTURE_ORIGIN = 'http://mcpscope-shell-origin.invalid';

const NONCE_MARK = '__MCPSCOPE_SHELL_NONCE__';
const ORIGIN_MARK = '__MCPSCOPE_SHELL_ORIGIN__';
const FORMAT = 1;

/** The response headers of Next's answer worth repeating; the rest are per request (CSP, cookies) or per connection. */
const KEPT_HEADERS = new Set(['content-type', 'cache-control', 'vary', 'link']);

export interface ShellTemplate {
  format: typeof FORMAT;
  /** The build it was captured from (BUILD_ID): a template never outlives its build. */
  buildId: string;
  html: string;
  headers: Array<[string, string]>;
}

export class ShellError extends CodedError<'shell_capture_failed'> {
  constructor(message: string) {
    super('ShellError', 'shell_capture_failed', message);
  }
}

function replaceAll(text: string, value: string, mark: string): string {
  return text.split(value).join(mark);
}

/** A template from Next's answer to `GET /`, rendered with `nonce` and the public origin CAPTURE_ORIGIN. */
export function makeShellTemplate(capture: {
  buildId: string;
  html: string;
  headers: Iterable<[string, string]>;
  nonce: string;
}): ShellTemplate {
  const { buildId, html, nonce } = capture;
  if (!html.startsWith('<!DOCTYPE html>')) throw new ShellError('The captured home page is not an HTML document.');
  if (html.includes(NONCE_MARK) || html.includes(ORIGIN_MARK)) throw new ShellError('The captured home page already holds a marker.');
  if (!html.includes(nonce)) throw new ShellError('The captured home page does not carry its CSP nonce: it cannot be filled in.');
  if (!html.includes(CAPTURE_ORIGIN)) throw new ShellError('The captured home page does not carry the public origin it was rendered with.');
  const headers: Array<[string, string]> = [];
  for (const [name, value] of capture.headers) {
    if (KEPT_HEADERS.has(name.toLowerCase())) headers.push([name, replaceAll(value, nonce, NONCE_MARK)]);
  }
  return { format: FORMAT, buildId, html: replaceAll(replaceAll(html, nonce, NONCE_MARK), CAPTURE_ORIGIN, ORIGIN_MARK), headers };
}

/** A template read back from its file, or undefined when it is not one (a person should rebuild, not debug this). */
export function parseShellTemplate(text: string): ShellTemplate | undefined {
  try {
    const value = JSON.parse(text) as Partial<ShellTemplate>;
    const headersOk =
      Array.isArray(value.headers) &&
      value.headers.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string');
    if (value.format !== FORMAT || typeof value.buildId !== 'string' || typeof value.html !== 'string' || !headersOk) return undefined;
    return value as ShellTemplate;
  } catch {
    return undefined;
  }
}

/**
 * Whether a public origin can be put in the page as it is: the page carries it inside a JavaScript string inside a
 * JSON string inside a <script>, so only characters that need no escaping in any of the three are allowed (a URL
 * of letters, digits and `.-:[]/_~`). Anything else is left to Next, which escapes it.
 */
export function fitsShell(publicOrigin: string): boolean {
  return /^https?:\/\/[A-Za-z0-9.\-:[\]]+(\/[A-Za-z0-9._~\-/]*)?$/.test(publicOrigin);
}

/** The page for one request: its nonce and the public origin in place of the markers. */
export function fillShell(
  template: ShellTemplate,
  nonce: string,
  publicOrigin: string,
): { html: string; headers: Array<[string, string]> } {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new ShellError('A CSP nonce must be base64.');
  if (!fitsShell(publicOrigin))
    throw new ShellError(`The public origin ${JSON.stringify(publicOrigin)} cannot be put in the page as it is.`);
  return {
    html: replaceAll(replaceAll(template.html, NONCE_MARK, nonce), ORIGIN_MARK, publicOrigin),
    headers: template.headers.map(([name, value]) => [name, replaceAll(value, NONCE_MARK, nonce)]),
  };
}
