// The built-in demo MCP server: both protocol eras at one URL, with tools that exercise an inspector's
// form generator, progress and cancellation, and every kind of result.
export { handleDemoRequest, createDemoHandler, loopbackHostnames, type DemoHandler, type DemoHandlerOptions } from './http';
export { COUNTER_URI } from './live';
export { createDemoServer, DEMO_SERVER_INFO } from './server';
export { ORDER_INPUT_SCHEMA, ORDER_OUTPUT_SCHEMA } from './order';
export { BROKEN_OUTPUT_SCHEMA } from './structured';
export { demoPng, demoWav, encodePng } from './media';
export type { DemoEvent, DemoServerOptions } from './types';
export type { LegacySessionLimits } from './legacy-sessions';
