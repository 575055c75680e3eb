// Opening a session file (.json export or .har) in the browser alone, read-only, at /view.
export { FileDropZone } from './FileDropZone';
export { OpenedFileView } from './OpenedFileView';
export { parseSessionFile, readSessionFile, ImportError, MAX_IMPORT_BYTES, type ImportedSession, type ImportErrorCode } from './parse';
