// The `mcpscope` command line (bin/mcpscope.mjs runs `main`).
export { main, processIo, type CliIo } from './main';
export {
  parseCommandLine,
  parseHeaders,
  parseScopeOptions,
  parseToolArgs,
  USAGE,
  type CliOptions,
  type Command,
  type CommandLine,
  type ElicitationAction,
} from './args';
export { CliError, EXIT, errorLine, toCliError, type AuthMode, type ExitCode } from './errors';
export { renderCallResult, renderInfo, renderTools, describeCapabilities, summarize, type ServerSummary } from './render';
export { schemaDefaults } from './elicitation';
