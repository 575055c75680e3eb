// A recording served as an MCP server (server-only: node:http). `mcpscope mock` runs it.
export { startMock, MOCK_MISS, MOCK_NO_MATCH, type MockOptions, type RunningMock } from './server';
