// Every react-query key the browser uses, in one place: a query and the mutations that refresh or overwrite it
// name its key through here, so the two cannot drift apart. Keys start with the thing, then the session.
import type { ListMethod } from './lists';

export const queryKeys = {
  session: (sessionId: string) => ['session', sessionId] as const,
  tools: (sessionId: string) => ['tools', sessionId] as const,
  /** What the browser knows about the newest tools/list (changes seen, dismissed): cache-only, never fetched. */
  toolsMeta: (sessionId: string) => ['tools-meta', sessionId] as const,
  /** Every page-set of one paginated list; the key with `changeCount` is one listing after that many list_changed. */
  mcpLists: (sessionId: string, method: ListMethod) => ['mcp-list', sessionId, method] as const,
  mcpList: (sessionId: string, method: ListMethod, changeCount: number) => ['mcp-list', sessionId, method, changeCount] as const,
  resourceRead: (sessionId: string, uri: string) => ['resources/read', sessionId, uri] as const,
  skills: (sessionId: string) => ['skills', sessionId] as const,
  listen: (sessionId: string) => ['listen', sessionId] as const,
  logLevel: (sessionId: string) => ['log-level', sessionId] as const,
  pending: (sessionId: string) => ['pending', sessionId] as const,
  roots: (sessionId: string) => ['roots', sessionId] as const,
  authStatus: (sessionId: string) => ['auth-status', sessionId] as const,
  guided: (sessionId: string) => ['guided', sessionId] as const,
  tokens: () => ['tokens'] as const,
  /** tasks/result of one task: asked once, when the task completes or needs input. */
  taskResult: (sessionId: string, taskId: string) => ['tasks/result', sessionId, taskId] as const,
  /** Why a session is gone (the server restarted since it was seen, or not known). */
  sessionGone: (sessionId: string) => ['session-gone', sessionId] as const,
  /** The live session's log as the server has it (what a share is made from). */
  sessionLog: (sessionId: string) => ['session-log', sessionId] as const,
  /** A share link's document, read by anyone who opens the link. */
  sharedSession: (shareId: string) => ['shared-session', shareId] as const,
  /** A share served as a mock by this mcpscope (its owner only). */
  shareMock: (shareId: string) => ['share-mock', shareId] as const,
  /** GET /api/stdio: whether local servers may be started, and the launch token. */
  stdio: () => ['stdio'] as const,
  /** GET /api/servers: this browser's saved servers. */
  savedServers: () => ['saved-servers'] as const,
  /** GET /api/sessions: this browser's live sessions (the session switcher). */
  liveSessions: () => ['live-sessions'] as const,
  /** POST /api/servers/export: a snippet, made again for each choice. */
  savedServersExport: (ids: readonly string[], format: string, keepSecrets: boolean) =>
    ['saved-servers-export', ids, format, keepSecrets] as const,
  /** GET /api/apps/sandbox: where the MCP Apps sandbox proxy listens. */
  appsSandbox: () => ['apps-sandbox'] as const,
  /** One MCP App view's `ui://` resource, read once per view (`viewId`). */
  appResource: (sessionId: string, uri: string, viewId: string) => ['app-resource', sessionId, uri, viewId] as const,
};
