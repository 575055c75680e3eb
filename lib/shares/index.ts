// Sharing session logs: the redacted copy behind a link (pure, in ./document, which the browser imports
// directly), and the server side that compresses, stores, reads and deletes links. Server-only (node:zlib,
// node:crypto): components import `@/lib/shares/document`, never this file.
export * from './document';
export { createShare, readShare, deleteShare, SHARE_KIND } from './service';
export type { CreateShareInput, CreatedShare, ShareServiceOptions } from './service';
export { parseShareRequest, type ParsedShareRequest } from './request';
export { ShareError, type ShareErrorCode } from './errors';
export { shareMaxBytes, DEFAULT_SHARE_MAX_BYTES, DEFAULT_SHARE_EXPIRY_DAYS, MAX_SHARE_EXPIRY_DAYS } from './config';
export { newShareId, isShareId } from './id';
export { encodeShare, decodeShare, type EncodedShare } from './codec';
export { MCPSCOPE_VERSION } from './version';
export { shareUrl, shareErrorResponse } from './http';
