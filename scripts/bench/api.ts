// A minimal client of mcpscope's HTTP API (the public contract in DESIGN.md), as a browser would use it:
// it keeps the owner cookie and sends the app's own Origin, so Host/Origin checks see a same-origin caller.

export interface ApiSession {
  id: string;
  state: string;
}

export class ApiClient {
  private cookie: string | undefined;

  constructor(
    readonly origin: string,
    cookie?: string,
  ) {
    this.cookie = cookie;
  }

  get ownerCookie(): string | undefined {
    return this.cookie;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      origin: this.origin,
      ...(this.cookie ? { cookie: this.cookie } : {}),
      ...extra,
    };
  }

  /** `settings` go into the body beside the URL (e.g. `timeouts`). */
  async createSession(url: string, settings: Record<string, unknown> = {}): Promise<ApiSession> {
    const response = await fetch(`${this.origin}/api/sessions`, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ ...settings, url }),
    });
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('mcpscope_owner='));
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const body = (await response.json()) as ApiSession & { error?: { code: string; message: string } };
    if (response.status !== 201) throw new Error(`POST /api/sessions → ${response.status} ${JSON.stringify(body.error ?? body)}`);
    if (body.state !== 'connected') throw new Error(`session ${body.id} is ${body.state}, not connected`);
    return body;
  }

  async rpc(sessionId: string, method: string, params?: Record<string, unknown>): Promise<{ result?: unknown; error?: unknown }> {
    const response = await fetch(`${this.origin}/api/sessions/${sessionId}/rpc`, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify(params === undefined ? { method } : { method, params }),
    });
    const body = (await response.json()) as { result?: unknown; error?: unknown };
    if (!response.ok) throw new Error(`POST /rpc ${method} → ${response.status} ${JSON.stringify(body)}`);
    return body;
  }

  /** POST /rpc with a raw body; only the status (the body is read and dropped). */
  async rpcStatus(sessionId: string, body: string): Promise<number> {
    const response = await fetch(`${this.origin}/api/sessions/${sessionId}/rpc`, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json' }),
      body,
    });
    await response.arrayBuffer();
    return response.status;
  }

  /** The session's log as mcpscope's JSON export (its events). */
  async logEvents(sessionId: string): Promise<Array<Record<string, unknown>>> {
    const response = await fetch(`${this.origin}/api/sessions/${sessionId}/log?format=json`, { headers: this.headers() });
    if (!response.ok) throw new Error(`GET /log → ${response.status}`);
    return ((await response.json()) as { events: Array<Record<string, unknown>> }).events;
  }

  async deleteSession(sessionId: string): Promise<void> {
    const response = await fetch(`${this.origin}/api/sessions/${sessionId}`, { method: 'DELETE', headers: this.headers() });
    await response.arrayBuffer();
  }
}

/** The text of the first content block of a tools/call result, if any. */
export function firstText(result: unknown): string | undefined {
  const content = (result as { content?: Array<{ type?: string; text?: string }> } | undefined)?.content;
  const first = content?.[0];
  return first?.type === 'text' ? first.text : undefined;
}
