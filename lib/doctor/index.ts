// The Connection Doctor: an ordered checklist against a server URL that says which step fails and what to do.
// `runDoctor` and the TLS probe are server-side; the report types and the advice table are plain data.
export { runDoctor, DOCTOR_PROTOCOL_VERSION, type DoctorOptions } from './run';
export { judgeCertificate, inspectTls, type CertificateFacts, type TlsJudgement } from './tls';
export { adviceFor, hasAdvice } from './advice';
export { doctorFetchFactory } from './fetch';
export * from './types';
export { diagnoseSession, type SessionConnectInput } from './session';
