import { MASK, maskUrl } from '../trace';
import { schemeSuggestion } from '../url-policy';
import { EngineError } from './errors';

const EXAMPLE = 'A valid server URL looks like https://example.com/mcp or http://localhost:8080/sse.';

/**
 * Parses a server URL a person typed. Only http(s) with a host is accepted; credentials in the URL
 * are refused because they would end up in the log and in every Referer-like place.
 */
export function validateServerUrl(input: unknown): URL {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new EngineError('invalid_url', `The server URL is empty. ${EXAMPLE}`);
  }
  const raw = input.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    const hint = schemeSuggestion(raw) ? ` Did you mean http://${raw} ?` : '';
    throw new EngineError('invalid_url', `"${clip(maskUrl(raw))}" is not a URL.${hint} ${EXAMPLE}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && schemeSuggestion(raw)) {
    // `localhost:3000/mcp` parses as a URL whose scheme is "localhost:".
    throw new EngineError(
      'invalid_url',
      `"${clip(maskUrl(raw))}" has no http:// or https:// in front. Did you mean http://${maskUrl(raw)} ? ${EXAMPLE}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EngineError('invalid_url', `Only http and https URLs can be inspected, not ${url.protocol.replace(/:$/, '')}. ${EXAMPLE}`);
  }
  if (!url.hostname) throw new EngineError('invalid_url', `The URL has no host. ${EXAMPLE}`);
  if (url.username || url.password) {
    throw new EngineError('invalid_url', 'Put credentials in a header or the bearer token field, not in the URL.');
  }
  const masked = maskedParams(url);
  if (masked.length > 0) {
    throw new EngineError(
      'invalid_url',
      `The URL still holds masked values (${masked.join(', ')} = ${MASK}…): mcpscope shows secrets masked and does not remember them. Put the real value${masked.length > 1 ? 's' : ''} back before connecting.`,
    );
  }
  url.hash = '';
  return url;
}

/** Names of the query parameters whose value is a masked secret copied from mcpscope (`••••abcd`). */
function maskedParams(url: URL): string[] {
  return [...url.searchParams].filter(([, value]) => value.startsWith(MASK)).map(([name]) => name);
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
