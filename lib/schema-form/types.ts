/** A JSON Schema object (boolean schemas are turned into objects by `prepareToolSchema`). */
export type JsonSchema = { [keyword: string]: unknown };

/** A schema the form generator can render, plus what was changed on the way. */
export interface RenderableSchema {
  ok: true;
  schema: JsonSchema;
  /** Plain sentences describing each adjustment (e.g. a 2020-12 keyword rewritten), for the curious user. */
  notes: string[];
}

/** A schema the form generator cannot render: the UI falls back to a JSON editor and shows `reason`. */
export interface UnrenderableSchema {
  ok: false;
  reason: string;
  /** The normalised schema when normalising got that far (still useful to show), else undefined. */
  schema?: JsonSchema;
  /** False when the schema cannot even be compiled for validation: arguments then go out unchecked. */
  validatable: boolean;
}

export type PreparedSchema = RenderableSchema | UnrenderableSchema;

export type SchemaValidation =
  | { status: 'valid' }
  | { status: 'invalid'; errors: string[] }
  /** The schema itself could not be compiled; `message` says why. */
  | { status: 'schema-error'; message: string };
