// What the front server (bin/server.mjs) answers by itself while Next is still starting: the home page, filled in
// from the build's template (./template.ts), and the build's static files that page loads. Everything else waits
// for Next, and so does anything unusual about these two (a query, a refused request, a client-side navigation
// asking for Next's RSC payload): Next answers those as it always does. Once Next is ready it serves everything.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { readConfig } from '../config';
import {
  admit,
  admittedAnswerHeaders,
  answerSecurity,
  getSecuritySettings,
  newOwnerId,
  nodeAdmissionFacts,
  nodeHeader,
  servedOverHttps,
  signOwner,
} from '../security';
import { fillShell, fitsShell, parseShellTemplate, SHELL_FILE, type ShellTemplate } from './template';

/** Answers the request and resolves true, or resolves false having touched nothing (the request waits for Next). */
export type EarlyResponder = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

/** Says which door served a page: the template while Next started, or Next itself (which sends no such header). */
export const EARLY_PAGE_HEADER = 'X-Mcpscope-Page';

const STATIC_PREFIX = '/_next/static/';

/** Next's build assets: content-addressed names, so cached for good, as Next serves them. */
const STATIC_TYPES: Readonly<Record<string, string>> = {
  '.js': 'application/javascript; charset=UTF-8',
  '.css': 'text/css; charset=UTF-8',
  '.map': 'application/json; charset=UTF-8',
  '.json': 'application/json; charset=UTF-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=UTF-8',
};

/** Headers that make a request one Next answers differently from a plain page view (client navigation, actions). */
const NEXT_REQUEST_HEADERS = ['rsc', 'next-router-state-tree', 'next-router-prefetch', 'next-router-segment-prefetch', 'next-action'];

/**
 * The responder for the build in `<appDir>/<distDir>`, or undefined when the build has no template of its own
 * (built before templates existed, or the capture failed): then every request waits for Next, as before.
 */
export function createEarlyResponder({ appDir, distDir }: { appDir: string; distDir: string }): EarlyResponder | undefined {
  const buildDir = path.join(appDir, distDir);
  let template: ShellTemplate | undefined;
  try {
    template = parseShellTemplate(readFileSync(path.join(buildDir, SHELL_FILE), 'utf8'));
    if (template && template.buildId !== readFileSync(path.join(buildDir, 'BUILD_ID'), 'utf8').trim()) template = undefined;
  } catch {
    template = undefined;
  }
  if (!template) return undefined;
  const shell = template;
  // What the first answer needs, made now rather than while a person waits: the settings and the owner-signing key
  // (from the data folder; the same key Next's copy of lib/security uses, as it is kept on globalThis).
  getSecuritySettings();
  signOwner(newOwnerId());
  // The same configuration Next's page reads its public origin from (app/page.tsx), from the same environment.
  const { publicUrl } = readConfig(process.env);
  const staticDir = path.join(buildDir, 'static');
  return async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const url = request.url ?? '';
    if (url.startsWith(STATIC_PREFIX)) return serveStatic(staticDir, url.slice(STATIC_PREFIX.length), request, response);
    if (url !== '/' || NEXT_REQUEST_HEADERS.some((name) => request.headers[name] !== undefined)) return false;
    return servePage(shell, publicUrl, request, response);
  };
}

async function servePage(template: ShellTemplate, publicUrl: string, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  if (!fitsShell(publicUrl)) return false;
  const settings = getSecuritySettings();
  const facts = nodeAdmissionFacts(request, settings, { pathname: '/', bodySize: 0 });
  // Anything but a plain admission (a refusal, a `?token=` to trade for a cookie) is proxy.ts's to answer.
  if ((await admit(facts, settings)).action !== 'allow') return false;
  const security = answerSecurity('/');
  const page = fillShell(template, security.nonce, publicUrl);
  const body = Buffer.from(page.html);
  const headers: Array<[string, string]> = [
    ...page.headers,
    ...Object.entries(security.headers),
    ...admittedAnswerHeaders({
      owner: facts.owner,
      pageView: (nodeHeader(request, 'accept') ?? '').includes('text/html'),
      secure: servedOverHttps(settings, nodeHeader(request, 'x-forwarded-proto')),
    }),
    [EARLY_PAGE_HEADER, 'early'],
    ['Content-Length', String(body.length)],
  ];
  response.writeHead(200, headers.flat());
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}

/** One of the build's static files, when `relative` names one plainly (no dot segments, no encoded separators). */
function staticFile(staticDir: string, relative: string): { file: string; type: string; size: number } | undefined {
  const clean = relative.split('?')[0]!;
  if (!/^[A-Za-z0-9._~\-/]+$/.test(clean) || clean.split('/').some((part) => part === '' || part === '.' || part === '..'))
    return undefined;
  const type = STATIC_TYPES[path.extname(clean).toLowerCase()];
  if (!type) return undefined;
  const file = path.join(staticDir, clean);
  if (!file.startsWith(staticDir + path.sep)) return undefined;
  try {
    const stat = statSync(file);
    return stat.isFile() ? { file, type, size: stat.size } : undefined;
  } catch {
    return undefined;
  }
}

async function serveStatic(staticDir: string, relative: string, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  const found = staticFile(staticDir, relative);
  // Not a file of the build: Next says so (404) in its own words once it is ready.
  if (!found) return false;
  response.writeHead(200, {
    'Content-Type': found.type,
    'Content-Length': String(found.size),
    'Cache-Control': 'public, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
  });
  if (request.method === 'HEAD') {
    response.end();
    return true;
  }
  createReadStream(found.file)
    .on('error', () => response.destroy())
    .pipe(response);
  return true;
}
