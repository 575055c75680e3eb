// An API body checked against its zod schema (lib/contract): the first problem is a 400 invalid_request in its words.
import type * as z from 'zod';
import { describeRequestIssue } from '../contract';
import { SessionError } from './errors';

export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new SessionError('invalid_request', describeRequestIssue(parsed.error));
  return parsed.data;
}
