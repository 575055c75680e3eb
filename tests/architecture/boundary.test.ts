// The server/browser boundary, checked on the import graph rather than trusted to comments: no module the
// browser loads (a 'use client' file and everything it imports, type-only imports aside) reaches a server-only
// folder, and lib/ never reaches app/ or components/. A break fails here with the chain of imports that made it.
//
// Why a graph walk and not `import 'server-only'`: that package throws when imported outside React's server
// condition, and the same server modules run under the CLI (tsx), vitest and scripts/start.mjs as well as Next.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

/** Folders whose code holds secrets, sockets or the store: never in a browser bundle. */
const SERVER_ONLY = [
  'lib/mcp',
  'lib/oauth',
  'lib/sessions',
  'lib/store',
  'lib/direct-rpc',
  'lib/http-client',
  'lib/security',
  'lib/cli',
  'lib/demo',
  'lib/config',
  'lib/skills',
  'lib/mock',
  'lib/stdio',
  'lib/apps-sandbox',
  'lib/doctor',
  'lib/audit',
  'lib/saved-servers',
  'lib/app-shell',
];
/** lib/shares is server code except the share document's shape (a folder), which the share page reads in the browser. */
const SERVER_ONLY_FILES_UNDER = [{ folder: 'lib/shares', except: ['lib/shares/document/'] }];

/** Packages that only make sense on the server (native code, database drivers, sockets). */
const SERVER_PACKAGES = ['node-sqlite3-wasm', 'pg', 'undici', 'oidc-provider', 'tsx', '@modelcontextprotocol/client/stdio'];

function isServerOnly(file: string): boolean {
  const relative = path.relative(ROOT, file).split(path.sep).join('/');
  if (SERVER_ONLY.some((folder) => relative === folder || relative.startsWith(`${folder}/`))) return true;
  return SERVER_ONLY_FILES_UNDER.some(
    ({ folder, except }) => relative.startsWith(`${folder}/`) && !except.some((allowed) => relative.startsWith(allowed)),
  );
}

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(relative));
    else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path.join(ROOT, relative));
  }
  return out;
}

function resolveImport(from: string, specifier: string): string | undefined {
  let base: string;
  if (specifier.startsWith('@/')) base = path.join(ROOT, specifier.slice(2));
  else if (specifier.startsWith('.')) base = path.resolve(path.dirname(from), specifier);
  else return undefined; // a package: node_modules is not ours to police here (node: builtins are checked apart)
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** The modules a file loads at run time: value imports and re-exports (type-only ones vanish in the bundle). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.isTypeOnly) continue;
      const bindings = clause?.namedBindings;
      // `import { type A, type B } from` loads nothing either.
      if (clause && !clause.name && bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0) {
        if (bindings.elements.every((element) => element.isTypeOnly)) continue;
      }
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  // import('...') calls load too.
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteral(argument)) specifiers.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

function isClientEntry(file: string): boolean {
  return /^\s*(\/\/[^\n]*\n\s*)*['"]use client['"]/.test(fs.readFileSync(file, 'utf8'));
}

/** Every path from `entries` into a forbidden module, as chains of files (first found per forbidden module). */
function forbiddenChains(entries: string[], forbidden: (file: string, specifier: string) => boolean): string[][] {
  const chains: string[][] = [];
  const parent = new Map<string, string | undefined>();
  const queue = [...entries];
  for (const entry of entries) parent.set(entry, undefined);
  const chainTo = (file: string): string[] => {
    const chain: string[] = [];
    for (let at: string | undefined = file; at; at = parent.get(at)) chain.unshift(path.relative(ROOT, at));
    return chain;
  };
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const specifier of runtimeImports(file)) {
      const target = resolveImport(file, specifier);
      if (forbidden(target ?? '', specifier)) {
        chains.push([...chainTo(file), target ? path.relative(ROOT, target) : specifier]);
        continue;
      }
      if (!target || parent.has(target)) continue;
      parent.set(target, file);
      queue.push(target);
    }
  }
  return chains;
}

describe('the server/browser boundary', () => {
  const clientEntries = [...listSources('components'), ...listSources('app')].filter(isClientEntry);

  it('has client entries to check (the walk is not vacuous)', () => {
    expect(clientEntries.length).toBeGreaterThan(30);
  });

  it('no browser module reaches a server-only folder, a server package or a node: builtin', () => {
    const chains = forbiddenChains(
      clientEntries,
      (target, specifier) => specifier.startsWith('node:') || (target !== '' && isServerOnly(target)),
    );
    expect(chains.map((chain) => chain.join(' → '))).toEqual([]);
  });

  it('lib/ never imports app/ or components/', () => {
    const chains = forbiddenChains(listSources('lib'), (target) => {
      const relative = path.relative(ROOT, target);
      return relative.startsWith('app/') || relative.startsWith('components/');
    });
    expect(chains.map((chain) => chain.join(' → '))).toEqual([]);
  });

  it('catches a break: a made-up client module importing lib/sessions is reported with its chain', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, 'components', '.boundary-probe-'));
    try {
      const probe = path.join(dir, 'Probe.tsx');
      fs.writeFileSync(path.join(dir, 'helper.ts'), "export { getRegistry } from '@/lib/sessions';\n");
      fs.writeFileSync(probe, "'use client';\nimport { getRegistry } from './helper';\nexport const x = getRegistry;\n");
      const chains = forbiddenChains([probe], (target) => target !== '' && isServerOnly(target));
      expect(chains).toEqual([[path.relative(ROOT, probe), path.relative(ROOT, path.join(dir, 'helper.ts')), 'lib/sessions/index.ts']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
