// MCP Apps (SEP-1865, io.modelcontextprotocol/ui), the host side's pure logic: what a tool or resource declares,
// the view's CSP, and the bridge's messages written into the session log. No DOM, no Node.
export {
  APP_MIME_TYPE,
  APPS_EXTENSION_ID,
  APPS_SPEC_VERSION,
  appCsp,
  appResourceMeta,
  appResourceUri,
  isUiUri,
  toolVisibility,
  viewContentSecurityPolicy,
  visibleToApps,
  type AppCsp,
  type AppPermissions,
  type AppResourceMeta,
  type AppVisibility,
} from './meta';
export { recordBridgeBatch, type BridgeBatch, type BridgeMessage, type BridgeNote, type RecordBridgeOptions } from './record';
export { MAX_DOWNLOAD_BYTES, MAX_DOWNLOAD_ITEMS, partialInputSteps, planDownload, safeFilename, type DownloadItem } from './host-requests';
export { appCatalog, type AppCatalogEntry } from './catalog';
