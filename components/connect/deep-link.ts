// Deep links to the connect screen: `/?url=<server>&transport=<auto|streamable-http|sse>` fills the form and
// `&connect=1` connects. A link is something anyone can send a person, so it never carries a secret into the
// session: credentials in the URL's userinfo are dropped and secret-looking query values are masked (the person
// types them, as for a recent server), and such a link is not connected on its own. Nothing else is read from a
// link (no token, no header): those only come from the form.
import type { TransportChoice } from '@/lib/contract';
import { maskUrl } from '@/lib/trace';

export interface DeepLink {
  url: string;
  transport: TransportChoice;
  /** The link asked to connect, and nothing stops it. */
  connect: boolean;
  /** Why the link was not followed as it asked (a person reads it), when it was not. */
  notice?: string;
}

const TRANSPORTS: readonly TransportChoice[] = ['auto', 'streamable-http', 'sse'];
/** A server URL in a link is a URL a person would type; longer is not a server address. */
const MAX_URL = 2_048;

export function parseDeepLink(search: string): DeepLink | undefined {
  const params = new URLSearchParams(search);
  const raw = params.get('url')?.trim();
  if (!raw) return undefined;
  const transportParam = params.get('transport');
  const transport = TRANSPORTS.find((choice) => choice === transportParam) ?? 'auto';
  const wantsConnect = params.get('connect') === '1' || params.get('connect') === 'true';
  const notices: string[] = [];
  if (transportParam !== null && !TRANSPORTS.includes(transportParam as TransportChoice)) {
    notices.push(`The link asked for transport "${transportParam.slice(0, 40)}", which does not exist: Auto is selected.`);
  }
  if (raw.length > MAX_URL)
    return { url: '', transport, connect: false, notice: `The link's server URL is longer than ${MAX_URL} characters and was not used.` };

  let url = raw;
  let secret = false;
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  if (parsed && (parsed.username || parsed.password)) {
    parsed.username = '';
    parsed.password = '';
    url = parsed.href;
    secret = true;
    notices.push(
      'The link carried credentials in the server URL; mcpscope never takes a secret from a link, so they were removed. Put them in the bearer token or a header.',
    );
  }
  const masked = maskUrl(url);
  if (masked !== url) {
    secret = true;
    notices.push(
      'The link carried secret-looking query values (masked in the form); mcpscope never takes a secret from a link. Type them in before connecting.',
    );
    url = masked;
  }
  const scheme = parsed?.protocol;
  const connect = wantsConnect && !secret && (scheme === 'http:' || scheme === 'https:');
  if (wantsConnect && !connect && !secret)
    notices.push('The link asked to connect, but its server URL is not an http(s) URL: check it and press Connect.');
  if (wantsConnect && secret) notices.push('It was not connected automatically.');
  return { url, transport, connect, ...(notices.length > 0 ? { notice: notices.join(' ') } : {}) };
}
