// Names for JSON-RPC and MCP error codes, so "-32601" reads as "Method not found".
const NAMES: Record<number, string> = {
  [-32700]: 'Parse error',
  [-32600]: 'Invalid request',
  [-32601]: 'Method not found',
  [-32602]: 'Invalid params',
  [-32603]: 'Internal error',
  [-32000]: 'Connection closed / server error',
  [-32001]: 'Request timeout / session expired',
  [-32002]: 'Resource not found',
  [-32021]: 'Missing required client capability',
  [-32022]: 'Unsupported protocol version',
  [-32042]: 'URL elicitation required',
};

export function rpcErrorName(code: number): string {
  if (code in NAMES) return NAMES[code];
  if (code <= -32000 && code >= -32099) return 'Server error';
  return 'Application error';
}
