// Request bodies of the Connection Doctor and audit routes (zod), and their report types (plain data).
import { z } from 'zod';

export type { DoctorReport, DoctorStep, DoctorStepId, DoctorStatus, DoctorOutcome } from '../doctor/types';
export type { AuditReport, AuditCheck, AuditLevel, AuditResult, AuditScore, PassiveFinding, ToolConsent } from '../audit/types';

/** `POST /api/sessions/:id/doctor`: optionally trust one self-signed certificate (its SHA-256 fingerprint) for this run. */
export const DoctorRequestSchema = z.object({ trustCertificate: z.string().trim().min(2).max(200).optional() }).strict();
export type DoctorRequest = z.infer<typeof DoctorRequestSchema>;

/** `POST /api/sessions/:id/audit`: the tools the person allows the audit to call, each with its arguments. */
export const AuditRequestSchema = z
  .object({
    consent: z
      .array(z.object({ name: z.string().min(1).max(256), arguments: z.record(z.string(), z.unknown()).optional() }).strict())
      .max(100)
      .optional(),
  })
  .strict();
export type AuditRequest = z.infer<typeof AuditRequestSchema>;
