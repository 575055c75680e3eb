// The shape of every mcpscope failure: a stable `code` a program branches on (the API, the CLI, the views) and a
// message a person can act on. Pure: the browser's errors use it too. Modules recognise each other's errors by name
// and code rather than by class (Next.js loads a module more than once in one process), so each kind names itself
// here instead of relying on the class name, which a minifier may change.
import type { TraceError } from '../trace/types';

export class CodedError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(name: string, code: Code, message: string, options?: { cause?: unknown }) {
    // No `cause` key at all when there is none, as a plain `new Error(message)` has.
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = name;
    this.code = code;
  }

  /** The `{code, message}` the session log and the API carry. */
  toTraceError(): TraceError {
    return { code: this.code, message: this.message };
  }
}

/** A JSON-RPC error (a numeric `code`, optional `data`): one the server answered, or one mcpscope answers it with. */
export class JsonRpcCodedError extends Error {
  readonly code: number;
  readonly data?: unknown;

  constructor(name: string, code: number, message: string, data?: unknown) {
    super(message);
    this.name = name;
    this.code = code;
    this.data = data;
  }
}

/**
 * Whether `value` is an error of the kind called `name` with one of its `codes`, whichever copy of the module made
 * it: Next.js loads a module more than once in one process (instrumentation and the routes each have a copy;
 * docs/architecture.md § One process, two module graphs), and an error made by one copy is often handled by another.
 */
export function isCodedError(value: unknown, name: string, codes: readonly string[]): boolean {
  return value instanceof Error && value.name === name && codes.includes((value as { code?: unknown }).code as string);
}
