// The Doctor for a session of the web app: its URL, headers and transport, its log (each step links to Traffic),
// the process's security settings (the guard), and its connect timeout.
import { getConfig } from '../config';
import { DoctorRequestSchema } from '../contract/doctor';
import type { TransportMode } from '../mcp';
import { SessionError } from '../sessions/errors';
import type { Session } from '../sessions/registry';
import { clientMetadataUrlFor } from '../oauth';
import { doctorFetchFactory } from './fetch';
import { runDoctor } from './run';
import type { DoctorReport } from './types';

export interface SessionConnectInput {
  url: string;
  transport: TransportMode;
  headers: Record<string, string>;
}

export async function diagnoseSession(
  session: Session,
  input: SessionConnectInput,
  body: unknown,
  signal?: AbortSignal,
): Promise<DoctorReport> {
  const parsed = DoctorRequestSchema.safeParse(body ?? {});
  if (!parsed.success)
    throw new SessionError(
      'invalid_request',
      `The Doctor takes {"trustCertificate"?: "<sha-256 fingerprint>"}: ${parsed.error.issues[0]?.message ?? 'invalid body'}.`,
    );
  const config = getConfig();
  const authorize = session.auth.tokenAuthorizer();
  const usesOAuth = session.auth.type === 'oauth' || session.auth.flow !== undefined;
  return runDoctor({
    url: input.url,
    headers: input.headers,
    log: session.log,
    secrets: session.secrets,
    transport: input.transport,
    policy: config.security.targets,
    networkFetch: doctorFetchFactory(session.log, config.security),
    // An OAuth session's token rides on the Doctor's MCP requests, as on the connection's.
    ...(authorize ? { authorize } : {}),
    // The redirect URI step sends the authorization request this session's flow would send; a session that does not
    // use OAuth (the person gave a credential) gets no flow, so the Doctor registers nothing on its behalf.
    ...(usesOAuth ? { oauthFlow: () => session.auth.ensureFlow(), clientMetadataUrl: clientMetadataUrlFor(session.auth.publicUrl) } : {}),
    connectTimeoutMs: config.connectTimeoutMs,
    // A step gets as long as a connect would: a busy server (or machine) is not a broken one.
    stepTimeoutMs: config.connectTimeoutMs,
    ...(parsed.data.trustCertificate ? { trustCertificate: parsed.data.trustCertificate } : {}),
    ...(signal ? { signal } : {}),
  });
}
