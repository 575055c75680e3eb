export { ToolsView } from './ToolsView';
export { useToolsState, type CallOutcome, type CallRecord, type ToolsState } from './use-tools-state';
export { detectTextFormat, type TextFormat } from './text-format';
export { groupTools, namespaceOf, searchTools } from './namespaces';
