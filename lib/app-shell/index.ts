// The first page before Next is ready: the build's home page as a template (captured at build time) and what the
// front server answers with it while Next starts. See docs/architecture.md § Cold start.
export { createEarlyResponder, EARLY_PAGE_HEADER, type EarlyResponder } from './early';
export {
  CAPTURE_ORIGIN,
  fillShell,
  fitsShell,
  makeShellTemplate,
  parseShellTemplate,
  SHELL_FILE,
  ShellError,
  type ShellTemplate,
} from './template';
