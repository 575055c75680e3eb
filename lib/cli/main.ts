// The `mcpscope` command: parse, connect (with whatever authorization was asked for), run one command,
// disconnect, write the session log if asked, and return the exit code. bin/mcpscope.mjs calls `main`.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import packageJson from '../../package.json';
import { readConfig } from '../config';
import type { JsonRpcErrorBody } from '../mcp';
import { jsonRpcErrorName, maskUrl, SecretSet, toJsonExport, TraceLog } from '../trace';
import { parseCommandLine, USAGE, type CliOptions } from './args';
import { CliError, errorLine, EXIT, oneLine, toCliError, type ExitCode } from './errors';
import { findSkill, listSkills, loadSkill, offersSkills, SKILLS_EXTENSION, SkillVerificationError } from '../skills';
import { renderCallResult, renderInfo, renderSkills, renderTools, summarize } from './render';
import { authModeOf, openSession, type CliSession, type SessionContext } from './session';
import { recordingCommand } from './replay';
import { auditCommand, doctorCommand } from './doctor';

export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
}

export function processIo(): CliIo {
  // `mcpscope tools ... | head` closes the pipe early; that is not a failure worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
  });
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  if (argv.length === 0) {
    io.stderr.write(USAGE);
    return EXIT.usage;
  }
  // replay, diff and mock take a recording, not a server URL first: their own module parses and runs them.
  if (argv[0] === 'replay' || argv[0] === 'diff' || argv[0] === 'mock') return recordingCommand(argv[0], argv, io);
  let options: CliOptions;
  try {
    const commandLine = parseCommandLine(argv);
    if (commandLine.kind === 'help') {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (commandLine.kind === 'version') {
      io.stdout.write(`mcpscope ${packageJson.version}\n`);
      return EXIT.ok;
    }
    options = commandLine.options;
  } catch (error) {
    const cliError = toCliError(error, { auth: 'none', stage: 'connect' });
    io.stderr.write(`${errorLine(cliError)}${cliError.exitCode === EXIT.usage ? ' (mcpscope --help shows the usage)' : ''}\n`);
    return cliError.exitCode;
  }
  return run(options, io);
}

/** The log of one command (and the --log file made from it): the URL shown with credential query values masked. */
export function cliLog(options: CliOptions, secrets: SecretSet): TraceLog {
  return new TraceLog(
    {
      sessionId: randomUUID(),
      serverUrl: options.stdio ? options.url : maskUrl(options.url, secrets),
      startedAt: Date.now(),
      transport: options.stdio ? 'stdio' : options.transport,
    },
    undefined,
    {
      maskText: (text) => secrets.maskText(text),
    },
  );
}

/** Opens the session a command runs in, with the timeouts of the configuration (and --timeout). */
export function openCliSession(
  ctx: Pick<SessionContext, 'options' | 'log' | 'secrets' | 'notify' | 'clientFeatures'> & { env: Record<string, string | undefined> },
): Promise<CliSession> {
  const { env, ...rest } = ctx;
  const config = readConfig(env);
  return openSession({
    ...rest,
    dataDir: dataDirFrom(env),
    connectTimeoutMs: config.connectTimeoutMs,
    requestTimeoutMs: ctx.options.timeoutMs ?? config.requestTimeoutMs,
    requestMaxMs: config.requestMaxMs,
  });
}

async function run(options: CliOptions, io: CliIo): Promise<ExitCode> {
  const config = readConfig(io.env);
  const secrets = new SecretSet();
  const log = cliLog(options, secrets);
  const notify = (line: string) => io.stderr.write(`${oneLine(line)}\n`);
  let session: CliSession | undefined;
  let exitCode: ExitCode = EXIT.internal;
  // The Doctor connects step by step itself, so it also runs where connecting fails.
  if (options.command === 'doctor') {
    try {
      exitCode = await doctorCommand(options, io, log, secrets, io.env, config);
    } catch (error) {
      exitCode = fail(toCliError(error, { auth: authModeOf(options), stage: 'connect' }), options, io);
    }
    return finishLog(options, log, io, exitCode);
  }
  try {
    session = await openCliSession({ options, env: io.env, log, secrets, notify });
  } catch (error) {
    exitCode = fail(toCliError(error, { auth: authModeOf(options), stage: 'connect' }), options, io);
  }
  if (session) {
    try {
      exitCode = await runCommand(options, session, io, log, secrets);
    } catch (error) {
      exitCode = fail(toCliError(error, { auth: authModeOf(options), stage: 'request' }), options, io);
    }
    await session.close().catch(() => undefined);
  }
  return finishLog(options, log, io, exitCode);
}

/** Writes the --log file when asked; a failure to write it turns a success into an internal error. */
export function finishLog(options: CliOptions, log: TraceLog, io: CliIo, exitCode: ExitCode): ExitCode {
  if (options.logFile) {
    try {
      writeLog(options.logFile, log);
    } catch (error) {
      const failure = new CliError(
        'log_write_failed',
        `Could not write the session log to ${options.logFile}: ${error instanceof Error ? error.message : String(error)}`,
        EXIT.internal,
      );
      io.stderr.write(`${errorLine(failure)}\n`);
      if (exitCode === EXIT.ok) exitCode = EXIT.internal;
    }
  }
  return exitCode;
}

function fail(error: CliError, options: CliOptions, io: CliIo): ExitCode {
  io.stderr.write(`${errorLine(error)}\n`);
  if (options.json) writeJson(io, { error: { code: error.code, message: oneLine(error.message) } });
  return error.exitCode;
}

async function runCommand(options: CliOptions, session: CliSession, io: CliIo, log: TraceLog, secrets: SecretSet): Promise<ExitCode> {
  const { connection } = session;
  switch (options.command) {
    case 'info': {
      const summary = summarize(options.url, connection);
      if (options.json) writeJson(io, summary);
      else io.stdout.write(renderInfo(summary));
      return EXIT.ok;
    }
    case 'tools': {
      const offersTools = Boolean(connection.capabilities.tools);
      let tools = connection.tools;
      if (offersTools && tools.length === 0) {
        // An empty list right after connecting may be a listing that failed (only a finding then): ask again, so
        // a refusal is reported rather than shown as "no tools".
        const outcome = await session.request('tools/list', undefined);
        if ('error' in outcome) return rpcFailure('tools/list', outcome.error, options, io);
        tools = await connection.refreshTools();
      }
      const excluded = connection.excludedTools;
      if (options.json) writeJson(io, { tools, ...(excluded.size > 0 ? { excluded: Object.fromEntries(excluded) } : {}) });
      else io.stdout.write(renderTools(tools, offersTools, io.stdout.isTTY ? io.stdout.columns : undefined, excluded));
      return EXIT.ok;
    }
    case 'call':
      return callTool(options, session, io);
    case 'skills':
      return skills(options, session, io, log);
    case 'audit':
      return auditCommand(options, session, io, log, secrets, io.env);
    case 'doctor':
      // Run before any session is opened (run()); here only for the switch to be complete.
      return EXIT.internal;
  }
}

/**
 * `skills`: the server's listing (SEP-2640), nothing read ahead of need; `--load` reads one skill's files, each
 * verified against the listing, and shows SKILL.md. A file that fails verification ends the command (exit 5).
 */
async function skills(options: CliOptions, session: CliSession, io: CliIo, log: TraceLog): Promise<ExitCode> {
  const { connection } = session;
  if (!offersSkills(connection.capabilities)) {
    io.stderr.write(
      `${errorLine(new CliError('no_skills', `The server does not declare the Skills extension (${SKILLS_EXTENSION}) in its capabilities.`, EXIT.callFailed))}\n`,
    );
    return EXIT.callFailed;
  }
  const listed = await listSkills(connection, log);
  if (!options.loadSkill) {
    if (options.json) writeJson(io, { skills: listed });
    else io.stdout.write(renderSkills(listed));
    return EXIT.ok;
  }
  const entry = findSkill(listed, options.loadSkill);
  if (!entry) {
    io.stderr.write(
      `${errorLine(new CliError('skill_not_found', `The server lists no skill named or at "${options.loadSkill}" (${listed.length} listed).`, EXIT.usage))}\n`,
    );
    return EXIT.usage;
  }
  try {
    const loaded = await loadSkill(connection, log, entry, { files: true });
    if (options.json) writeJson(io, { skill: { uri: entry.uri, frontmatter: entry.frontmatter, body: loaded.body, files: loaded.files } });
    else
      io.stdout.write(
        `${loaded.body.replace(/\n?$/, '\n')}${loaded.files.map((f) => `-- ${f.uri} (${f.size} bytes, verified)\n`).join('')}`,
      );
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof SkillVerificationError)) throw error;
    io.stderr.write(`${errorLine(new CliError(error.code, error.message, EXIT.callFailed))}\n`);
    if (options.json) writeJson(io, { error: { code: error.code, check: error.check, uri: error.uri, message: error.message } });
    return EXIT.callFailed;
  }
}

async function callTool(options: CliOptions, session: CliSession, io: CliIo): Promise<ExitCode> {
  const tool = options.tool as string;
  const showProgress = !options.json && io.stderr.isTTY === true;
  const outcome = await session.request(
    'tools/call',
    { name: tool, arguments: options.args },
    showProgress
      ? {
          onProgress: (p) =>
            io.stderr.write(
              `progress ${p.progress}${p.total !== undefined ? `/${p.total}` : ''}${p.message ? ` ${oneLine(p.message)}` : ''}\n`,
            ),
        }
      : {},
  );
  if ('error' in outcome) return rpcFailure('tools/call', outcome.error, options, io);
  if (options.json) writeJson(io, { result: outcome.result });
  else io.stdout.write(renderCallResult(outcome.result));
  const result = outcome.result as { isError?: unknown; content?: unknown } | undefined;
  if (result?.isError === true) {
    const first = Array.isArray(result.content)
      ? (result.content as Array<{ type?: unknown; text?: unknown }>).find((b) => b.type === 'text' && typeof b.text === 'string')
      : undefined;
    const detail = first ? `: ${clip(oneLine(first.text as string), 200)}` : '';
    io.stderr.write(
      `${errorLine(new CliError('tool_error', `The tool "${tool}" returned an error (isError: true)${detail}`, EXIT.callFailed))}\n`,
    );
    return EXIT.callFailed;
  }
  return EXIT.ok;
}

/** The server answered with a JSON-RPC error: exit 5, the error as JSON with --json, one line on stderr. */
function rpcFailure(method: string, error: JsonRpcErrorBody, options: CliOptions, io: CliIo): ExitCode {
  const name = jsonRpcErrorName(error.code);
  if (options.json) writeJson(io, { error });
  const hint =
    !options.onElicitation && /elicitation/i.test(error.message)
      ? ' (--on-elicitation accept|decline|cancel lets the command answer elicitation)'
      : '';
  const line = `The server answered ${method} with JSON-RPC error ${error.code}${name ? ` (${name})` : ''}: ${error.message}${hint}`;
  io.stderr.write(`${errorLine(new CliError('jsonrpc_error', line, EXIT.callFailed))}\n`);
  return EXIT.callFailed;
}

function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The session export, written whole (temporary file then rename) so a reader never sees half a file. */
export function writeLog(file: string, log: TraceLog): void {
  const target = path.resolve(file);
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(toJsonExport(log, new Date(), { mcpscopeVersion: packageJson.version }), null, 2)}\n`, {
    mode: 0o600,
  });
  fs.renameSync(temporary, target);
}

export function dataDirFrom(env: Record<string, string | undefined>): string {
  const configured = env.MCPSCOPE_DATA_DIR?.trim();
  return configured ? path.resolve(configured) : path.join(os.homedir(), '.mcpscope');
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
