import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The MCP SDK packages are ESM with Node-specific entry points, and SQLite's WebAssembly loads its .wasm beside
  // its own file: let Node load them as-is on the server.
  serverExternalPackages: [
    '@modelcontextprotocol/client',
    '@modelcontextprotocol/server',
    '@modelcontextprotocol/core',
    'node-sqlite3-wasm',
  ],
  // A separate build directory lets a second build (e.g. a test run) proceed without disturbing a running app.
  distDir: process.env.MCPSCOPE_DIST_DIR || '.next',
  poweredByHeader: false,
  // The published package carries the server with only the files it uses (scripts/pack.mjs), so the user installs
  // nothing to build and a fraction of the dependencies. The repository's own `npm start` serves .next as before.
  output: 'standalone',
  // The app's own sources only: tests and fixtures are type-checked by `npm run typecheck`.
  typescript: { tsconfigPath: 'tsconfig.next.json' },
  devIndicators: false,
};

export default nextConfig;
