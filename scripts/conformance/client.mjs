#!/usr/bin/env node
// The client the conformance suite drives: `client.mjs <server-url>`, with the scenario's name in
// MCP_CONFORMANCE_SCENARIO and its context (pre-registered credentials, tool calls to make) as JSON in
// MCP_CONFORMANCE_CONTEXT. Each scenario is what a person would type: one or more `mcpscope` commands
// (bin/mcpscope.mjs, a child process each, sharing one fresh data directory so a later command reuses the
// client and tokens an earlier one got). This file holds no protocol logic: every request, the OAuth flow
// and every check are mcpscope's own. The suite judges what it saw on the wire.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(ROOT, 'bin', 'mcpscope.mjs');

/** The scenario's URL and what the suite passed along. */
const url = process.argv[2];
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = parseContext(process.env.MCP_CONFORMANCE_CONTEXT);

// The suite's scenarios serve a fixed tool per family; these are the names they list (see the suite's
// src/scenarios/client). Arguments a scenario wants sent come from its context (`toolCalls`) when it has one.
const OAUTH_CALL = [['call', 'test-tool', '--oauth']];

/** @type {Record<string, Array<string[] | ((state: Steps) => string[])>>} */
const STEPS = {
  initialize: [['tools']],
  tools_call: [['call', 'add_numbers', '--args', '{"a":2,"b":3}']],
  'request-metadata': [['tools']],
  'json-schema-ref-no-deref': [['tools']],
  'json-schema-2020-12-preservation': [
    ['tools', '--json'],
    (state) => {
      const focal = state.lastJson?.tools?.find((tool) => tool.name === 'json_schema_2020_12_tool');
      return ['call', 'json_schema_echo', '--args', JSON.stringify({ schema: focal?.inputSchema ?? {} })];
    },
  ],
  'elicitation-sep1034-client-defaults': [['call', 'test_client_elicitation_defaults', '--on-elicitation', 'accept']],
  'sse-retry': [['call', 'test_reconnection']],
  'sep-2322-client-request-state': [
    ['call', 'test_mrtr_echo_state', '--on-elicitation', 'accept'],
    ['call', 'test_mrtr_unrelated'],
    ['call', 'test_mrtr_no_state', '--on-elicitation', 'accept'],
    ['call', 'test_mrtr_no_result_type'],
  ],
  'http-standard-headers': [
    ['call', 'test_headers'],
    ['call', 'my-hyphenated-tool'],
  ],
  // Try every tool the server lists, as a person clicking through them would: mcpscope itself must refuse the
  // ones it excludes (SEP-2243) and call the rest.
  'http-invalid-tool-headers': [
    ['tools', '--json'],
    (state) => ({
      each: (state.lastJson?.tools ?? []).map((tool) => ['call', tool.name, '--args', JSON.stringify(sampleArguments(tool.inputSchema))]),
    }),
  ],
  // Skills (SEP-2640): listing reads no file; loading the listed skill verifies each file it reads.
  'sep-2640-client-no-prefetch': [['skills']],
  'sep-2640-client-verify-digest': [['skills', '--load', 'pdf-processing']],
  'sep-2640-client-verify-size': [['skills', '--load', 'pdf-processing']],
  'sep-2640-client-verify-frontmatter': [['skills', '--load', 'pdf-processing']],
  'sep-2640-client-verify-unlisted': [['skills', '--load', 'pdf-processing']],
  'auth/basic-cimd': [['call', 'test-tool', '--client-metadata-url', 'https://conformance-test.local/client-metadata.json']],
  'auth/pre-registration': [['tools', '--client-id', context.client_id ?? '', '--client-secret', context.client_secret ?? '']],
  // The scenario hands over a private key; a person would keep it in a file and point --client-key at it.
  'auth/client-credentials-jwt': [
    (state) => {
      const keyFile = secretFile(state, 'client-key.pem', context.private_key_pem);
      return [
        'tools',
        '--grant',
        'client_credentials',
        '--client-id',
        context.client_id ?? '',
        '--client-key',
        keyFile,
        ...(context.signing_algorithm ? ['--client-key-alg', context.signing_algorithm] : []),
      ];
    },
  ],
  // A workload's identity token, as a platform would mount it in a file.
  'auth/wif-jwt-bearer': [
    (state) => [
      'tools',
      '--grant',
      'jwt_bearer',
      '--client-id',
      context.client_id ?? '',
      '--assertion-file',
      secretFile(state, 'workload.jwt', context.valid_jwt),
    ],
  ],
  // The person's ID token from their enterprise identity provider, exchanged there for an ID-JAG.
  'auth/enterprise-managed-authorization': enterpriseSteps(),
  // The same scenario under its name in suites up to 0.1.16.
  'auth/cross-app-access-complete-flow': enterpriseSteps(),
  'auth/client-credentials-basic': [
    ['tools', '--grant', 'client_credentials', '--client-id', context.client_id ?? '', '--client-secret', context.client_secret ?? ''],
  ],
};

/**
 * @typedef {{ lastJson?: any, dataDir: string }} Steps
 */

function enterpriseSteps() {
  return [
    (state) => [
      'call',
      'test-tool',
      '--grant',
      'id_jag',
      '--client-id',
      context.client_id ?? '',
      '--client-secret',
      context.client_secret ?? '',
      '--idp-token-endpoint',
      context.idp_token_endpoint ?? '',
      '--idp-client-id',
      context.idp_client_id ?? '',
      '--id-token-file',
      secretFile(state, 'id-token.jwt', context.idp_id_token),
    ],
  ];
}

/** Writes a credential the scenario handed over into the run's data directory (mode 600) and returns its path. */
function secretFile(state, name, value) {
  const file = path.join(state.dataDir, name);
  writeFileSync(file, value ?? '', { mode: 0o600 });
  return file;
}

/** Arguments a form would be filled with: a plain value for each required property of a primitive type. */
function sampleArguments(schema) {
  const args = {};
  const properties = schema?.properties ?? {};
  for (const name of schema?.required ?? []) {
    const type = properties[name]?.type;
    args[name] =
      type === 'integer' || type === 'number'
        ? 1
        : type === 'boolean'
          ? true
          : type === 'object'
            ? {}
            : type === 'array'
              ? []
              : type === 'null'
                ? null
                : 'value';
  }
  return args;
}
function stepsFor(name) {
  if (Array.isArray(context.toolCalls)) {
    return context.toolCalls.map((call) => ['call', call.name, '--args', JSON.stringify(call.arguments ?? {})]);
  }
  if (STEPS[name]) return STEPS[name];
  if (name.startsWith('auth/')) return OAUTH_CALL;
  return [['tools']];
}

function parseContext(raw) {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

function main() {
  if (!url) {
    process.stderr.write('usage: MCP_CONFORMANCE_SCENARIO=<name> client.mjs <server-url>\n');
    return 2;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mcpscope-conformance-'));
  const env = { ...process.env, MCPSCOPE_DATA_DIR: dataDir };
  /** @type {Steps} */
  const state = { dataDir };
  let exitCode = 0;
  try {
    let index = 0;
    const run = (argvAfterCommand) => {
      const [command, ...rest] = argvAfterCommand;
      // MCPSCOPE_CONFORMANCE_LOG_DIR: keep each command's session log (every exchange, secrets masked) there.
      const logDir = process.env.MCPSCOPE_CONFORMANCE_LOG_DIR;
      index += 1;
      if (logDir) rest.push('--log', path.join(logDir, `${scenario.replace(/[^\w.-]+/g, '_')}-${index}.json`));
      process.stderr.write(`$ mcpscope ${[command, url, ...rest].map(quote).join(' ')}\n`);
      const child = spawnSync(process.execPath, [CLI, command, url, ...rest], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      process.stdout.write(child.stdout ?? '');
      process.stderr.write(child.stderr ?? '');
      state.lastJson = rest.includes('--json') ? safeJson(child.stdout) : undefined;
      return child.status ?? 1;
    };
    for (const step of stepsFor(scenario)) {
      const planned = typeof step === 'function' ? step(state) : step;
      if (Array.isArray(planned)) {
        const code = run(planned);
        if (code !== 0) {
          exitCode = code;
          break;
        }
        continue;
      }
      // `each`: independent commands; one failing (mcpscope refusing a call, say) does not stop the others.
      for (const argv of planned.each) {
        const code = run(argv);
        if (code !== 0) exitCode = code;
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return exitCode;
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function quote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

process.exitCode = main();
