// How lib/replay fails: a stable code and a sentence a person can act on.
import { CodedError } from '../errors';
export type ReplayErrorCode = 'invalid_recording' | 'invalid_ignore_rule' | 'empty_recording';

export class ReplayError extends CodedError<ReplayErrorCode> {
  constructor(code: ReplayErrorCode, message: string) {
    super('ReplayError', code, message);
  }
}
