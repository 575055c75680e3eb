// What a replay finds when the replay target's search tool gains a required `limit` argument (its 'after'
// release): the same change whether the recording is compared in process or through the CLI.

/** The changes in the tools/list answer, as `kind path`. */
export const SEARCH_LIMIT_CHANGES = [
  'added $.result.tools[name="search"].inputSchema.properties.limit',
  'added $.result.tools[name="search"].inputSchema.required[1]',
];

/** The interface diff: one breaking change to the search tool. */
export const SEARCH_LIMIT_INTERFACE = [
  {
    kind: 'tool',
    name: 'search',
    change: 'changed',
    breaking: true,
    details: [{ text: 'new required argument "limit" (integer)', breaking: true }],
  },
];
