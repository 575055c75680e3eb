// The admission facts of a request that reaches mcpscope's own node:http server before Next (lib/direct-rpc, and
// lib/app-shell while Next starts): the same facts proxy.ts reads from Next's request, read from the socket.
import type { IncomingMessage } from 'node:http';
import type { AdmissionFacts } from './admit';
import { cookieValue } from './admit';
import { requestScheme } from './access';
import { clientOfPeer } from './client-address';
import { ownerFromCookieHeader } from './owner';
import { ACCESS_COOKIE, type SecuritySettings } from './settings';

/** One header's value; a repeated header (an array) counts as absent, as it is not what a browser sends. */
export function nodeHeader(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' ? value : null;
}

/** What `admit` needs to judge a node:http request, for a body of `bodySize` bytes and no `?token=`. */
export function nodeAdmissionFacts(
  request: IncomingMessage,
  settings: Pick<SecuritySettings, 'trustedProxies'>,
  { pathname, bodySize }: { pathname: string; bodySize: number },
): AdmissionFacts {
  const cookies = nodeHeader(request, 'cookie');
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    pathname,
    host: nodeHeader(request, 'host'),
    origin: nodeHeader(request, 'origin'),
    scheme: requestScheme(nodeHeader(request, 'x-forwarded-proto')),
    authorization: nodeHeader(request, 'authorization'),
    accessCookie: cookieValue(cookies, ACCESS_COOKIE),
    queryToken: null,
    bodySize: () => bodySize,
    owner: ownerFromCookieHeader(cookies),
    // The socket is right here: the client is its peer (or, from a trusted proxy, who that proxy names).
    client: clientOfPeer(request.socket.remoteAddress, nodeHeader(request, 'x-forwarded-for'), settings.trustedProxies),
  };
}
