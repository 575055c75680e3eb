// The replay's calls beyond the session API: a twin of a session (same server, same credentials, held server-side)
// and a recording served as a mock by this mcpscope.
import type { SessionSummary } from '@/lib/contract';
import { request } from '../api';

/** A new session to `sessionId`'s server with its settings and credentials (POST /api/sessions/:id/twin). */
export function createTwinSession(sessionId: string): Promise<SessionSummary> {
  return request<SessionSummary>(`/api/sessions/${encodeURIComponent(sessionId)}/twin`, { method: 'POST', json: {} });
}

/** A mock this mcpscope serves for a share (lib/mock/hosting.ts). */
export interface HostedMockInfo {
  shareId: string;
  url: string;
  sseUrl: string;
  startedAt: number;
  requests: number;
}

const mockPath = (shareId: string) => `/api/shares/${encodeURIComponent(shareId)}/mock`;

export function getShareMock(shareId: string): Promise<{ mock: HostedMockInfo | null; available: boolean; reason?: string }> {
  return request(mockPath(shareId));
}

export function startShareMock(shareId: string): Promise<{ mock: HostedMockInfo }> {
  return request(mockPath(shareId), { method: 'POST', json: {} });
}

export function stopShareMock(shareId: string): Promise<{ mock: null }> {
  return request(mockPath(shareId), { method: 'DELETE' });
}
