// The browser's side of /api/servers and GET /api/sessions (lib/contract/servers.ts has the shapes).
import {
  STDIO_LAUNCH_HEADER,
  type ConnectServerRequest,
  type ExportServersRequest,
  type ImportServersRequest,
  type ImportServersResponse,
  type SaveServerRequest,
  type SavedServerView,
  type SessionSummary,
} from '@/lib/contract';
import type { ExportedSnippet } from '@/lib/servers';
import { request } from '../api';

export async function listSavedServers(): Promise<SavedServerView[]> {
  const body = await request<{ servers?: SavedServerView[] }>('/api/servers');
  return Array.isArray(body?.servers) ? body.servers : [];
}

export function saveServer(body: SaveServerRequest): Promise<SavedServerView> {
  return request<SavedServerView>('/api/servers', { method: 'POST', json: body });
}

export async function removeSavedServer(id: string): Promise<void> {
  await request<unknown>(`/api/servers/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function importServers(body: ImportServersRequest): Promise<ImportServersResponse> {
  return request<ImportServersResponse>('/api/servers/import', { method: 'POST', json: body });
}

export function exportSavedServers(body: ExportServersRequest): Promise<ExportedSnippet> {
  return request<ExportedSnippet>('/api/servers/export', { method: 'POST', json: body });
}

/** A session for a saved server; a command's needs the launch token (GET /api/stdio). */
export function connectSavedServer(id: string, body: ConnectServerRequest, launchToken?: string): Promise<SessionSummary> {
  return request<SessionSummary>(`/api/servers/${encodeURIComponent(id)}/connect`, {
    method: 'POST',
    json: body,
    ...(launchToken ? { headers: { [STDIO_LAUNCH_HEADER]: launchToken } } : {}),
  });
}

export async function listLiveSessions(): Promise<SessionSummary[]> {
  const body = await request<{ sessions?: SessionSummary[] }>('/api/sessions');
  return Array.isArray(body?.sessions) ? body.sessions : [];
}
