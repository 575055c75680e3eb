// First-load JS of the workspace page (/inspect/[id]), from the build output in .next: the root main files
// every page loads, plus the entry chunks of the root layout and of the page (from the page's client
// reference manifest), each counted once, gzip-compressed with node:zlib at level 9 (as Next's own
// size report does). The legacy polyfills (loaded only by browsers without ES modules) are not counted.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';

export interface ChunkSize {
  file: string;
  bytes: number;
  gzip: number;
}

export interface FirstLoadJs {
  route: string;
  chunks: ChunkSize[];
  totalBytes: number;
  totalGzip: number;
}

interface BuildManifest {
  rootMainFiles?: string[];
}

type ClientReferenceManifest = Record<string, { entryJSFiles?: Record<string, string[]> }>;

function readClientReferenceManifest(file: string): ClientReferenceManifest {
  // The manifest is a script that assigns globalThis.__RSC_MANIFEST[route]; run it in an empty context.
  const sandbox = { globalThis: {} as Record<string, unknown>, self: {} as Record<string, unknown> };
  sandbox.self = sandbox.globalThis;
  vm.runInNewContext(readFileSync(file, 'utf8'), sandbox);
  return (sandbox.globalThis.__RSC_MANIFEST ?? {}) as ClientReferenceManifest;
}

export function firstLoadJs(root: string, route = '/inspect/[id]'): FirstLoadJs {
  const next = path.join(root, process.env.MCPSCOPE_DIST_DIR || '.next');
  const buildManifest = JSON.parse(readFileSync(path.join(next, 'build-manifest.json'), 'utf8')) as BuildManifest;
  const manifestFile = path.join(next, 'server', 'app', ...route.split('/').filter(Boolean), 'page_client-reference-manifest.js');
  if (!existsSync(manifestFile)) throw new Error(`no client reference manifest for ${route} (${manifestFile}); is the build complete?`);
  const manifest = readClientReferenceManifest(manifestFile)[`${route}/page`];
  if (!manifest?.entryJSFiles) throw new Error(`the manifest of ${route} lists no entry JS files`);
  const files = new Set<string>(buildManifest.rootMainFiles ?? []);
  for (const [entry, chunks] of Object.entries(manifest.entryJSFiles)) {
    // The root layout and the page itself; other entries (global-error) are not part of this page's load.
    if (/app\/layout$/.test(entry) || entry.endsWith(`app${route}/page`)) for (const chunk of chunks) files.add(chunk);
  }
  const chunks = [...files]
    .filter((file) => file.endsWith('.js'))
    .map((file) => {
      const content = readFileSync(path.join(next, file));
      return { file, bytes: content.length, gzip: gzipSync(content, { level: 9 }).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
  return {
    route,
    chunks,
    totalBytes: chunks.reduce((sum, c) => sum + c.bytes, 0),
    totalGzip: chunks.reduce((sum, c) => sum + c.gzip, 0),
  };
}
