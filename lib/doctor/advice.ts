// What to do, by what went wrong: one table for the engine's error codes, the wire findings and the OAuth
// refusals, so each Doctor step's advice comes from the same words wherever the failure was seen. Pure.

const ADVICE: Record<string, string> = {
  // URL and network
  invalid_url: 'Fix the URL: it must be http(s)://host[:port]/path, without credentials (put those in a header).',
  target_forbidden:
    'mcpscope is not allowed to reach this address (hosted mode refuses loopback and private networks). Use a public URL, or run mcpscope locally.',
  host_not_found:
    'The host name does not resolve: check its spelling, that the DNS record exists, and that this machine can resolve it (VPN, /etc/hosts).',
  connection_refused: 'Nothing listens on that port: start the server, or check the port (and whether it binds this interface).',
  timeout: 'The server did not answer in time: check that it is running and not blocked (firewall, a proxy that holds requests).',
  network_error: 'The connection broke: look at the server log around this time, and at any proxy between mcpscope and the server.',
  tls_error:
    'The TLS handshake failed: the port may speak plain HTTP (try http://), or the server needs another TLS version or certificate.',
  // The first POST
  auth_required: 'The server wants authorization: connect with OAuth, or give a bearer token or API-key header.',
  credentials_refused:
    'The credentials sent were refused (HTTP 401): the token may be expired, revoked, for another resource, or lack a scope.',
  forbidden: 'The server refused these credentials (HTTP 403): ask for a token with the needed scope, or check the account is allowed.',
  server_error_status:
    'The server (or a proxy in front of it) failed with a 5xx: look at the server log. An HTML 502/503/504 usually means the proxy cannot reach the MCP server behind it.',
  html_error_page:
    'An HTML page came back where MCP expects JSON-RPC: usually a proxy error page, a login page, or the wrong path. Check the URL (MCP endpoints are often /mcp or /sse).',
  html_instead_of_mcp: 'This URL serves a web page, not MCP: find the MCP endpoint (often /mcp or /sse).',
  not_streamable_http:
    'The POST was refused with a 4xx, which is how older servers say they speak only the legacy HTTP+SSE transport; the transport step tries it.',
  unexpected_content_type:
    'Answer JSON-RPC with Content-Type application/json (or text/event-stream for a stream); clients refuse other types even when the body is JSON.',
  invalid_json_body:
    'The body labelled JSON does not parse: make the server serialise its answer with a JSON encoder, and check nothing writes to the response before it.',
  sse_incomplete_frame: 'End every SSE event with a blank line before closing the stream: clients discard an unfinished event.',
  sse_without_data: 'Put each JSON-RPC message in a `data:` line of its SSE event; events without data carry nothing.',
  message_too_large:
    'The answer is larger than mcpscope reads (MCPSCOPE_MAX_MESSAGE_BYTES): make it smaller, or raise the limit if it is expected.',
  decompression_bomb:
    'The compressed answer expands far beyond any sane size: check the server (or proxy) compression; this looks like an attack.',
  response_stalled:
    'Headers came but the body trickles (or stalls): check for a proxy that buffers, or a server that flushes byte by byte.',
  no_response:
    'The server accepted the connection and never answered: check that the handler runs (a deadlock, a missing `res.end()`), or a proxy that holds requests.',
  response_cut_off:
    'The server dropped the connection in the middle of its answer: look at the server log for a crash, or a proxy timeout.',
  jsonrpc_nonconformant: 'Every JSON-RPC message must carry "jsonrpc": "2.0" (JSON-RPC 2.0 §4/§5).',
  unknown_response_id: 'Answer each request with the id it was sent with (JSON-RPC 2.0 §5).',
  duplicate_response_id: 'Send exactly one response per request id; a second one is ignored (or worse) by clients.',
  result_and_error: 'A response carries either "result" or "error", never both (JSON-RPC 2.0 §5).',
  no_initialize_result: 'The answer carried no JSON-RPC response to initialize: the server must answer the request it was sent.',
  notification_flood: 'The server sends notifications faster than a client can use: rate-limit or batch them.',
  invalid_utf8: 'Encode every JSON-RPC message as UTF-8 (JSON, RFC 8259 §8.1).',
  redirect_loop: 'The server redirects in a loop: fix the redirect rules (often http↔https or a trailing slash).',
  redirect_cross_origin:
    'The endpoint redirects to another origin; clients drop credentials on such a redirect and many refuse it. Use the final URL directly.',
  too_many_redirects: 'Too many redirects: point mcpscope at the final URL.',
  headers_too_large: 'The response headers are huge (over ~16 KB): something (cookies, a debug header) grows without bound.',
  invalid_response: 'The answer is not valid JSON-RPC: compare it with the MCP schema (Traffic shows the body).',
  not_mcp:
    'No MCP server answered here with either transport: check the path (often /mcp for Streamable HTTP, /sse for the legacy transport).',
  http_error: 'The server answered with an HTTP error: the Traffic view shows the status and body it sent.',
  stream_closed: 'The server closed the stream before answering: look at the server log for a crash or a proxy timeout.',
  protocol_error: 'The server broke the MCP protocol: the message and the Traffic view say where.',
  // Authorization
  missing_www_authenticate:
    'Answer 401 with `WWW-Authenticate: Bearer resource_metadata="<url>"` (MCP authorization; RFC 9728 §5.1), so clients can find where to authorize.',
  malformed_www_authenticate: 'The WWW-Authenticate header does not parse (RFC 9110 §11.6.1): quote values and close every quoted string.',
  no_resource_metadata:
    'Publish protected resource metadata (RFC 9728) at /.well-known/oauth-protected-resource[/path] naming your authorization server; MCP servers MUST since 2025-06-18.',
  resource_mismatch:
    'The protected resource metadata\'s "resource" must be this server\'s URL (RFC 9728 §3.3); a client must not ask a token for another resource on its behalf.',
  issuer_mismatch:
    'The authorization server metadata\'s "issuer" must be exactly the URL it was fetched for (RFC 8414 §3.3): fix the issuer, or the URL in authorization_servers.',
  no_authorization_server_metadata:
    'Publish authorization server metadata (RFC 8414 /.well-known/oauth-authorization-server, or OpenID discovery); the 2025-03-26 default endpoints are a fallback only.',
  unsafe_url: 'Metadata URLs must be https (http only for loopback in development): fix the URL in the metadata.',
  no_pkce_s256:
    'Advertise code_challenge_methods_supported with "S256": MCP clients MUST refuse an authorization server without PKCE S256.',
  no_client_registration:
    'Offer dynamic client registration (registration_endpoint) or client ID metadata documents, or tell users which pre-registered client id to use.',
  client_metadata_unreachable:
    "mcpscope's client ID metadata document (<PUBLIC_URL>/oauth/client-metadata.json) must answer 200 with JSON whose client_id is its own URL: check that PUBLIC_URL is the https address this instance is reached at, and that a proxy in front passes that path.",
  oauth_html_response:
    'The token endpoint answers with an HTML page: it must answer JSON (RFC 6749 §5.1/§5.2), also for errors. A login page here usually means the endpoint URL in the metadata is wrong.',
  token_endpoint_unexpected: 'A token endpoint answers a bad grant with HTTP 400 and a JSON body {"error": ...} (RFC 6749 §5.2).',
  redirect_uri_refused:
    "The authorization server refused mcpscope's redirect URI (<PUBLIC_URL>/callback): register it for the client, or list it in the client metadata document; behind a proxy, set PUBLIC_URL to the address people open mcpscope at.",
  authorization_request_refused:
    'The authorization server refused the authorization request: its error says why (a client not allowed the authorization code flow, a scope or resource it does not know; on an error page, often a redirect URI not registered for the client, or PUBLIC_URL wrong behind a proxy).',
  authorization_endpoint_error: 'The authorization endpoint failed (5xx): look at the authorization server log.',
  client_required:
    'The authorization server offers neither dynamic registration nor client ID metadata documents: register mcpscope there with its redirect URI and give the client ID.',
  // After connecting
  session_refused: 'Requests carrying the Mcp-Session-Id the server issued must be accepted until the session ends.',
  list_failed: 'The server declares this capability but its list call fails: answer it (an empty list is fine).',
  slow_connect: "Connecting took long: look at the server's start-up work per session, or a slow authorization or proxy hop.",
};

/** The advice for a code, or a general sentence that points at the evidence. */
export function adviceFor(code: string | undefined): string {
  return (code && ADVICE[code]) || 'The Traffic view shows the exchanges of this step, and the Findings what was wrong with them.';
}

export function hasAdvice(code: string): boolean {
  return code in ADVICE;
}
