// The Connection Doctor's report: plain data (no Node imports), shared by the server, the CLI and the browser.

/** The checklist, in the order it runs. */
export const DOCTOR_STEPS = [
  'url',
  'dns',
  'tcp',
  'tls',
  'http',
  'resource-metadata',
  'authorization-server',
  'client-registration',
  'redirect-uri',
  'token-endpoint',
  'transport',
  'session',
  'list',
] as const;

export type DoctorStepId = (typeof DOCTOR_STEPS)[number];

export const DOCTOR_STEP_TITLES: Record<DoctorStepId, string> = {
  url: 'URL and scheme',
  dns: 'Name resolution',
  tcp: 'TCP connection',
  tls: 'TLS certificate',
  http: 'First POST (initialize)',
  'resource-metadata': 'Protected resource metadata',
  'authorization-server': 'Authorization server metadata',
  'client-registration': 'Client registration',
  'redirect-uri': 'Redirect URI acceptance',
  'token-endpoint': 'Token endpoint',
  transport: 'Transport and protocol era',
  session: 'Session handling',
  list: 'First list call',
};

/**
 * pass: fine. warn: works, with something a person should know. fail: the problem (the run stops at the first
 * hard one). na: does not apply to this server. skipped: not run, because an earlier step stopped the run.
 */
export type DoctorStatus = 'pass' | 'warn' | 'fail' | 'na' | 'skipped';

export interface DoctorStep {
  id: DoctorStepId;
  title: string;
  status: DoctorStatus;
  /** What was seen, one fact per line, in words. */
  seen: string[];
  /** What to do about it (fail and warn). */
  advice?: string;
  /** A stable code for what went wrong (an engine, OAuth or finding code), when something did. */
  code?: string;
  /** The log's exchanges this step made or read (ids, for Traffic), and its seq range. */
  exchangeIds: string[];
  /** Finding codes recorded while the step ran. */
  findings: string[];
  fromSeq: number;
  toSeq: number;
  durationMs: number;
}

export type DoctorOutcome =
  /** Every step passed (or does not apply); warnings may remain. */
  | 'ok'
  /** A hard failure stopped the run (`failedStep`). */
  | 'failed'
  /** The server wants authorization that was not given; its metadata was checked as far as possible. */
  | 'auth_required';

export interface DoctorReport {
  url: string;
  outcome: DoctorOutcome;
  /** The step that stopped the run. */
  failedStep?: DoctorStepId;
  /** One sentence for the whole run. */
  summary: string;
  steps: DoctorStep[];
  startedAt: number;
  durationMs: number;
  /** The session log's seq range the run covers. */
  fromSeq: number;
  toSeq: number;
}
