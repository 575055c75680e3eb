// HAR 1.2 (HTTP Archive): a session exported as one (./export), a HAR read back (./import: our own exactly, another
// tool's replayed by ./import-foreign), and a HAR checked against the spec (./validate). Mapping: docs/session-format.md.
export { toHar } from './export';
export { fromHar, HarImportError } from './import';
export { validateHar } from './validate';
export type * from './types';
