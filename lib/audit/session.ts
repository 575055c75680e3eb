// The audit for a connected session of the web app: its connection, headers and log; the report is kept for the
// Audit view (./reports) and its failures are findings in the log (exports and shares carry them).
import { getConfig } from '../config';
import { AuditRequestSchema } from '../contract/doctor';
import { guardedFetchFor } from '../security';
import { SessionError } from '../sessions/errors';
import type { Session } from '../sessions/registry';
import { rememberAudit } from './reports';
import { runAudit } from './run';
import type { AuditReport } from './types';

export async function auditSession(
  session: Session,
  input: { url: string; headers: Record<string, string> },
  body: unknown,
): Promise<AuditReport> {
  const parsed = AuditRequestSchema.safeParse(body ?? {});
  if (!parsed.success)
    throw new SessionError(
      'invalid_request',
      `The audit takes {"consent"?: [{"name", "arguments"?}]}: ${parsed.error.issues[0]?.message ?? 'invalid body'}.`,
    );
  const connection = session.connection;
  if (session.state !== 'connected' || !connection || connection.closed) {
    throw new SessionError(
      'not_connected',
      'The audit needs a connected session: connect (or reconnect) first, or run the Doctor to see why it does not connect.',
    );
  }
  const authorize = session.auth.tokenAuthorizer();
  const report = await runAudit({
    connection,
    url: input.url,
    headers: input.headers,
    log: session.log,
    secrets: session.secrets,
    networkFetch: guardedFetchFor(session.log, { settings: getConfig().security }),
    // An OAuth session's probes carry its current access token, as its connection's requests do.
    ...(authorize ? { authorize } : {}),
    consent: parsed.data.consent ?? [],
  });
  rememberAudit(session.id, report);
  return report;
}
