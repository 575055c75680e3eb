// Local stdio servers: starting one as a process (its own process group, never outliving mcpscope), the SDK
// Transport that records its pipes, and the policy that decides who may start one. Server-side only.
export { RecordingStdioTransport, describeExit, type StdioTransportOptions } from './transport';
export { ServerProcess, runningServerPids, STOP_GRACE_MS, type LaunchSpec, type ProcessExit } from './process';
export { StdioError, isStdioError, spawnFailure, type StdioErrorCode } from './errors';
export { decideStdio, launchToken, stdioAvailability, verifyLaunchToken, type StdioDecision, type StdioRefusalCode } from './policy';
