/** A JSON Schema object (boolean schemas are turned into objects by `prepareToolSchema`). */
export type JsonSchema = { [keyword: string]: unknown };

/** A schema the form generator can render, plus what was changed on the way. */
export interface RenderableSchema {
  ok: true;
  schema: JsonSchema;
  /** How the form differs from the schema, in plain sentences (empty when it does not): shown with the form. */
  notes: string[];
  /** Every rewrite made for the form, most of them the same rule in other words (a 2020-12 keyword as draft-07). */
  rewrites: string[];
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
  /** `errors` are sentences with their place; `details` (arguments only) point into the value, for the JSON editor. */
  | { status: 'invalid'; errors: string[]; details?: Array<{ pointer: string; message: string }> }
  /** The schema itself could not be compiled; `message` says why. */
  | { status: 'schema-error'; message: string };
