// GET /callback: the OAuth redirect URI. Completes the authorization (lib/sessions) and sends the browser to the
// session; a failure gets a page that says what went wrong and links back to the session.
import { getConfig } from '@/lib/config';
import { completeAuthorization, type CallbackOutcome } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request): Promise<Response> {
  const publicUrl = getConfig().publicUrl;
  let outcome: CallbackOutcome;
  try {
    outcome = await completeAuthorization(request, { publicUrl });
  } catch (error) {
    console.error('OAuth callback failed', error);
    outcome = {
      kind: 'error',
      status: 500,
      code: 'internal_error',
      message: 'Something went wrong inside mcpscope; the server log has the details.',
    };
  }
  if (outcome.kind === 'response') return outcome.response;
  if (outcome.kind === 'redirect') {
    return new Response(null, { status: 303, headers: { Location: outcome.location, 'Cache-Control': 'no-store' } });
  }
  return new Response(errorPage(outcome), {
    status: outcome.status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function errorPage(outcome: Extract<CallbackOutcome, { kind: 'error' }>): string {
  const back = outcome.sessionId
    ? `<a data-testid="callback-back" href="/inspect/${encodeURIComponent(outcome.sessionId)}">Back to the session</a> (its timeline shows every step of the flow)`
    : '<a data-testid="callback-back" href="/">Back to mcpscope</a>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authorization failed · mcpscope</title>
<style>
  :root { color-scheme: light dark; --fg:#1f2328; --muted:#59636e; --err:#cf222e; --bg:#fff; --panel:#f6f8fa; --line:#d1d9e0; }
  @media (prefers-color-scheme: dark) { :root { --fg:#e6e6e6; --muted:#9aa4af; --err:#ff7b72; --bg:#1e2127; --panel:#262a31; --line:#3a3f47; } }
  body { margin:0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; background:var(--bg); color:var(--fg); }
  main { max-width: 640px; margin: 64px auto; padding: 0 16px; }
  .box { border:1px solid var(--line); border-left:4px solid var(--err); background:var(--panel); border-radius:6px; padding:16px 18px; }
  h1 { font-size:17px; margin:0 0 8px; color:var(--err); }
  code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; color: var(--muted); }
  a { color:#0969da; } @media (prefers-color-scheme: dark) { a { color:#58a6ff; } }
  p { margin: 8px 0; }
</style></head>
<body><main>
  <div class="box" role="alert">
    <h1>Authorization failed</h1>
    <p data-testid="callback-error">${escapeHtml(outcome.message)}</p>
    <p><code data-testid="callback-error-code">${escapeHtml(outcome.code)}</code></p>
  </div>
  <p>${back}</p>
</main></body></html>`;
}
