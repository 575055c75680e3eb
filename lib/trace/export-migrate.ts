// Reading older session files: each format version that changes shape adds one step here, from n to n+1,
// so a file written by any earlier mcpscope walks up to the current version before it is checked.
// Adding an optional field does not need a step (readers ignore fields they don't know); renaming,
// removing or changing the meaning of a field does, together with a bump of EXPORT_VERSION.

/** A session document as read from a file: only `version` is known before it is migrated. */
export interface VersionedDoc {
  version: number;
  [key: string]: unknown;
}

/** `migrations[n]` turns a version-n document into a version-(n+1) one. */
export type ExportMigrations = Readonly<Record<number, (doc: VersionedDoc) => VersionedDoc>>;

/** Version 1 is the first published format: nothing to migrate from yet. */
export const migrations: ExportMigrations = {};

export class ExportVersionError extends Error {
  readonly code = 'unsupported_export_version';
  constructor(message: string) {
    super(message);
    this.name = 'ExportVersionError';
  }
}

/**
 * Walks `doc` up from its version to `target` through `table`. Throws `ExportVersionError` (code
 * `unsupported_export_version`) for a version newer than `target` or one no migration starts from.
 */
export function migrateExport(doc: VersionedDoc, target: number, table: ExportMigrations = migrations): VersionedDoc {
  if (!Number.isInteger(doc.version) || doc.version < 1) {
    throw new ExportVersionError(`The file says format version ${JSON.stringify(doc.version)}; versions start at 1.`);
  }
  if (doc.version > target) {
    throw new ExportVersionError(
      `The file is format version ${doc.version}, written by a newer mcpscope; this one reads versions up to ${target}. ` +
        'Open it with a newer mcpscope.',
    );
  }
  let current = doc;
  while (current.version < target) {
    const from = current.version;
    const step = table[from];
    if (!step) {
      throw new ExportVersionError(
        `The file is format version ${from}, which this mcpscope cannot read (no migration from version ${from} to ${from + 1}).`,
      );
    }
    current = step(current);
    if (current.version !== from + 1) {
      // A step that forgets to bump the version would loop forever or skip a step.
      throw new ExportVersionError(`The migration from format version ${from} produced version ${current.version}, not ${from + 1}.`);
    }
  }
  return current;
}
