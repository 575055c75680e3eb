// A recording served as an MCP server (server-only: node:http). `mcpscope mock` runs it; the app hosts some (hosting.ts).
export { startMock, MOCK_MISS, MOCK_NO_MATCH, type MockOptions, type RunningMock } from './server';
export { MockHost, MockHostError, MAX_MOCKS_PER_OWNER, type HostedMock, type MockHostErrorCode } from './hosting';
export { getMockHost } from './shared';
