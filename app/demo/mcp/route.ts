// The built-in demo MCP server at /demo/mcp (both protocol eras; see lib/demo).
import { handleDemoRequest } from '@/lib/demo';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(request: Request): Promise<Response> {
  return handleDemoRequest(request);
}

export function POST(request: Request): Promise<Response> {
  return handleDemoRequest(request);
}

export function DELETE(request: Request): Promise<Response> {
  return handleDemoRequest(request);
}
