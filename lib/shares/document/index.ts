// The document behind a share link (and the name of a downloaded log). Pure and browser-safe: the share
// dialog previews with the same code the server uses to make the share.
export { buildSharedLog, type BuildSharedLogOptions } from './build';
export { selectEvents } from './select';
export { maskQueryInText, maskQueryInUrl, maskLeaves, maskToolResult } from './mask';
export { sessionFileName } from './filename';
export type {
  ShareCreatedBody,
  ShareInfo,
  ShareRange,
  ShareRequestBody,
  ShareSelection,
  ShareSelectionKind,
  SharedLog,
  SharedSessionDocument,
  ShareStats,
  TextMasker,
} from './types';
