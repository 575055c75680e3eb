// JSON Schema → form: what rjsf does not do itself (dialect normalisation, ref checks, render/validate
// decisions). Pure logic; the React form lives in components/tools.
export type { JsonSchema, PreparedSchema, RenderableSchema, SchemaValidation, UnrenderableSchema } from './types';
export { normalizeSchema, type NormalizeResult } from './normalize';
export { prepareToolSchema } from './prepare';
export { formValidator, validateStructuredContent, validateWithSchema, wordedFormValidator } from './validate';
export { formDifferences, unshownRules } from './differences';
export { branchLabel, chosenBranch, errorInWords, humanizeErrors } from './messages';
export { elicitationDefaults, prepareElicitationSchema, type ElicitationForm, type PreparedElicitation } from './elicitation';
