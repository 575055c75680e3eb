export { ToolsView } from './ToolsView';
export { ContentBlockView } from './ContentBlockView';
export { Markdown } from './Markdown';
export { ToolResultView } from './ToolResultView';
export { useToolsState, type CallOutcome, type CallRecord, type ToolsState } from './use-tools-state';
export { dataUrl, detectTextFormat, type TextFormat } from './text-format';
export { groupTools, namespaceOf, searchTools } from './namespaces';
export { snippetContext, snippetHeaderNames, type SnippetContext } from './snippet';
export { useKeepToolsFresh } from './use-fresh-tools';
