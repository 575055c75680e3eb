// The MCP Apps sandbox proxy: its own HTTP server and pages (Node only; started by scripts/start.mjs).
export {
  cspFromParam,
  handleSandboxRequest,
  mcpscopeOrigins,
  sandboxHostAllowed,
  startSandboxServer,
  type SandboxServer,
  type SandboxServerOptions,
} from './server';
export { PROXY_JS, REPORT_JS, VIEW_SANDBOX, proxyHtml } from './page';
