export {
  ApiError,
  callRpc,
  cancelCall,
  createSession,
  deleteSession,
  eventsUrl,
  getSession,
  listTools,
  logDownloadUrl,
} from './client';
export { recallConnectError, rememberConnectError } from './handoff';
export { queryKeys, useRefreshTools, useSessionSummary, useTools } from './hooks';
export type {
  AudioContent,
  CallToolResult,
  ContentAnnotations,
  ContentBlock,
  EmbeddedResourceContent,
  ImageContent,
  JsonRpcErrorObject,
  ResourceLinkContent,
  TextContent,
  ToolAnnotations,
  ToolIcon,
  ToolInfo,
  UnknownContent,
} from './types';
