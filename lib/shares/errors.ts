// Failures of share links, each with a stable code, a sentence a person can act on, and its HTTP status.
import { CodedError } from '../errors';

export type ShareErrorCode =
  'invalid_request' | 'empty_share' | 'share_too_large' | 'share_not_found' | 'share_expired' | 'share_deleted' | 'share_forbidden';

const STATUS: Record<ShareErrorCode, number> = {
  invalid_request: 400,
  empty_share: 400,
  share_too_large: 413,
  share_not_found: 404,
  // Gone: the link existed and will not work again.
  share_expired: 410,
  share_deleted: 410,
  share_forbidden: 403,
};

export class ShareError extends CodedError<ShareErrorCode> {
  readonly status: number;
  constructor(code: ShareErrorCode, message: string) {
    super('ShareError', code, message);
    this.status = STATUS[code];
  }
}
