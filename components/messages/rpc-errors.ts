// The UI names error codes with the log's own table, so "-32601" reads the same everywhere.
import { jsonRpcErrorName } from '@/lib/trace/jsonrpc';

export function rpcErrorName(code: number): string {
  return jsonRpcErrorName(code) ?? 'Application error';
}
