// How lib/replay fails: a stable code and a sentence a person can act on.
export type ReplayErrorCode = 'invalid_recording' | 'invalid_ignore_rule' | 'empty_recording';

export class ReplayError extends Error {
  readonly code: ReplayErrorCode;
  constructor(code: ReplayErrorCode, message: string) {
    super(message);
    this.name = 'ReplayError';
    this.code = code;
  }
}
