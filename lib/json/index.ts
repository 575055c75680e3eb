// JSON values from outside (a server, a file, a request body). The one test for "a JSON object" (not null, not an
// array) that every parser of untrusted JSON shares.
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
