// `mcpscope replay <recording> --against <url>`: re-issues a recorded session's requests against a server and
// reports what differs; `mcpscope diff <a> <b>` compares two recordings offline. Exit 6 when something differs
// beyond the ignore rules, so a recording is a regression test in a server's CI.
import { parseArgs } from 'node:util';
import { ServerRequestRejection, type ClientFeatures, type ServerRequest } from '../mcp';
import {
  compareRecordings,
  ignoreRules,
  answerFromRecording,
  noRecordedAnswer,
  ReplayError,
  replayRecording,
  type ComparisonReport,
  type IgnoreRule,
  type Recording,
  type RequestComparison,
} from '../replay';
import { maskUrl, SecretSet } from '../trace';
import { parseCommandLine, type CliOptions } from './args';
import { elicitationFeatures } from './elicitation';
import { CliError, errorLine, EXIT, oneLine, toCliError, usageError, type ExitCode } from './errors';
import type { CliIo } from './main';
import { cliLog, finishLog, openCliSession } from './main';
import { mockCommand } from './mock';
import { loadRecording } from './recordings';
import { authModeOf, type CliSession } from './session';

export const RECORDING_COMMANDS = ['replay', 'diff', 'mock'] as const;

/** Options only the recording commands take; everything else on a replay line is a connection option. */
const OWN_OPTIONS = {
  against: { type: 'string' },
  ignore: { type: 'string', multiple: true },
  'no-default-ignores': { type: 'boolean' },
} as const;

export interface ReplayCommandLine {
  recording: string;
  ignore: IgnoreRule[];
  /** The target's connection options (auth, headers, transport, --json, --log), parsed as for every command. */
  connection: CliOptions;
}

/** Splits a replay command line: the recording first, then --against/--ignore, then the connection options. */
export function parseReplayLine(argv: readonly string[]): ReplayCommandLine {
  const [, recording, ...rest] = argv;
  if (!recording || recording.startsWith('-')) throw usageError('Missing the recording: mcpscope replay <file|share-url> --against <url>.');
  const own: string[] = [];
  const others: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const name = /^--([a-z-]+)(=.*)?$/.exec(arg);
    if (name && name[1] in OWN_OPTIONS) {
      own.push(arg);
      if (!name[2] && OWN_OPTIONS[name[1] as keyof typeof OWN_OPTIONS].type === 'string' && i + 1 < rest.length) own.push(rest[++i]);
    } else others.push(arg);
  }
  const values = parseOwn(own);
  if (!values.against) throw usageError('Missing the target: mcpscope replay <file|share-url> --against <url>.');
  const line = parseCommandLine(['info', values.against, ...others]);
  if (line.kind !== 'run') throw usageError('--help and --version stand alone.');
  return { recording, ignore: rules(values), connection: line.options };
}

export interface DiffCommandLine {
  a: string;
  b: string;
  ignore: IgnoreRule[];
  json: boolean;
}

export function parseDiffLine(argv: readonly string[]): DiffCommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      options: { ...OWN_OPTIONS, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.values.against !== undefined) throw usageError('--against goes with replay; diff compares two recordings.');
  const [a, b, extra] = parsed.positionals;
  if (!a || !b) throw usageError('diff compares two recordings: mcpscope diff <a> <b>.');
  if (extra) throw usageError(`Unexpected argument "${extra}".`);
  return { a, b, ignore: rules(parsed.values), json: parsed.values.json === true };
}

function parseOwn(args: string[]) {
  try {
    return parseArgs({ args, options: OWN_OPTIONS, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error));
  }
}

function rules(values: { ignore?: string[]; 'no-default-ignores'?: boolean }): IgnoreRule[] {
  try {
    return ignoreRules(values.ignore ?? [], { defaults: values['no-default-ignores'] !== true });
  } catch (error) {
    if (error instanceof ReplayError) throw usageError(`--ignore: ${error.message}`);
    throw error;
  }
}

/** Answers the server's requests during a replay with what the recording's client answered to the closest one. */
export function recordedAnswers(
  recording: Recording,
  fallback: ClientFeatures | undefined,
  notify: (line: string) => void,
): ClientFeatures {
  return {
    capabilities: { elicitation: { form: {} }, sampling: {}, roots: {} },
    async answer(request: ServerRequest): Promise<Record<string, unknown>> {
      const recorded = answerFromRecording(recording.serverRequests, request.method, request.params);
      if (recorded && 'result' in recorded) return recorded.result;
      if (recorded) throw new ServerRequestRejection(recorded.error.code, recorded.error.message, recorded.error.data);
      if (fallback) return fallback.answer(request);
      notify(`${request.method}: the recording holds no answer to a request like this one, so it was refused.`);
      const refusal = noRecordedAnswer(request.method);
      throw new ServerRequestRejection(refusal.code, refusal.message);
    },
  };
}

export async function replayCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let line: ReplayCommandLine;
  let recording: Recording;
  try {
    line = parseReplayLine(argv);
    recording = await loadRecording(line.recording);
  } catch (error) {
    return report(toCliError(error, { auth: 'none', stage: 'connect' }), io);
  }
  if (recording.requests.length === 0) {
    return report(new CliError('empty_recording', `"${line.recording}" holds no request to replay (only the handshake).`, EXIT.usage), io);
  }
  const options = line.connection;
  const secrets = new SecretSet();
  const log = cliLog(options, secrets);
  const notify = (text: string) => io.stderr.write(`${oneLine(text)}\n`);
  const fallback = options.onElicitation ? elicitationFeatures(options.onElicitation, notify) : undefined;
  let session: CliSession | undefined;
  let exitCode: ExitCode = EXIT.internal;
  try {
    session = await openCliSession({
      options,
      env: io.env,
      log,
      secrets,
      notify,
      clientFeatures: recordedAnswers(recording, fallback, notify),
    });
  } catch (error) {
    exitCode = report(toCliError(error, { auth: authModeOf(options), stage: 'connect' }), io, options.json);
  }
  if (session) {
    const open = session;
    try {
      const result = await replayRecording(recording, (method, params) => open.request(method, params), { ignore: line.ignore });
      const target = `${maskUrl(options.url, secrets)} (${open.connection.era}, ${open.connection.protocolVersion})`;
      if (options.json)
        io.stdout.write(
          `${JSON.stringify({ recording: line.recording, target: maskUrl(options.url, secrets), era: open.connection.era, protocolVersion: open.connection.protocolVersion, ...result }, null, 2)}\n`,
        );
      else
        io.stdout.write(
          renderReport(
            result,
            `Replayed ${result.summary.total} request${result.summary.total === 1 ? '' : 's'} of ${line.recording} against ${target}`,
          ),
        );
      exitCode = result.differs ? EXIT.differs : EXIT.ok;
    } catch (error) {
      exitCode = report(toCliError(error, { auth: authModeOf(options), stage: 'request' }), io, options.json);
    }
    await open.close().catch(() => undefined);
  }
  return finishLog(options, log, io, exitCode);
}

export async function diffCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  try {
    const line = parseDiffLine(argv);
    const [a, b] = await Promise.all([loadRecording(line.a), loadRecording(line.b)]);
    const result = compareRecordings(a, b, { ignore: line.ignore });
    if (line.json) io.stdout.write(`${JSON.stringify({ a: line.a, b: line.b, ...result }, null, 2)}\n`);
    else
      io.stdout.write(
        renderReport(
          result,
          `Compared ${a.requests.length} request${a.requests.length === 1 ? '' : 's'} of ${line.a} with ${b.requests.length} of ${line.b}`,
        ),
      );
    return result.differs ? EXIT.differs : EXIT.ok;
  } catch (error) {
    return report(toCliError(error, { auth: 'none', stage: 'connect' }), io);
  }
}

function report(error: CliError, io: CliIo, json = false): ExitCode {
  io.stderr.write(`${errorLine(error)}\n`);
  if (json) io.stdout.write(`${JSON.stringify({ error: { code: error.code, message: oneLine(error.message) } }, null, 2)}\n`);
  return error.exitCode;
}

// ---- the text report ----

/** Terminal-safe: control characters (C0, C1, bidi overrides) as escapes, so a server's text cannot drive the terminal. */
export function printable(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function value(v: unknown, max = 100): string {
  const text = printable(JSON.stringify(v) ?? 'undefined');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const VERDICT_WORD: Record<RequestComparison['verdict'], string> = { identical: 'identical', differs: 'DIFFERS  ', failed: 'FAILED   ' };

export function renderReport(result: ComparisonReport, heading: string): string {
  const out: string[] = [printable(heading)];
  for (const r of result.requests) {
    const label = printable(r.label);
    const only = r.only === 'a' ? ' (only in the first recording)' : r.only === 'b' ? ' (only in the second recording)' : '';
    out.push(`  ${r.verdict === 'identical' ? 'identical' : VERDICT_WORD[r.verdict]} ${label}${only}`);
    if (r.failure) out.push(`      ${printable(r.failure.code)}: ${printable(oneLine(r.failure.message))}`);
    for (const c of r.changes) {
      if (c.kind === 'changed') out.push(`      changed ${printable(c.path)}: ${value(c.before)} → ${value(c.after)}`);
      else if (c.kind === 'added') out.push(`      added   ${printable(c.path)}: ${value(c.after)}`);
      else out.push(`      removed ${printable(c.path)}: ${value(c.before)}`);
    }
    if (r.omitted > 0) out.push(`      … and ${r.omitted} more`);
  }
  if (result.interface.length > 0) {
    out.push('Interface:');
    for (const c of result.interface) {
      out.push(`  ${c.kind} ${printable(c.name)}: ${c.change}${c.breaking ? ' (breaking)' : ''}`);
      if (c.change === 'changed') for (const d of c.details) out.push(`      ${d.breaking ? 'breaking: ' : ''}${printable(d.text)}`);
    }
  }
  const s = result.summary;
  const ignored = new Map<string, number>();
  for (const r of result.requests) for (const [rule, n] of Object.entries(r.ignored)) ignored.set(rule, (ignored.get(rule) ?? 0) + n);
  const ignoredText = ignored.size > 0 ? `; ignored ${[...ignored].map(([rule, n]) => `${n} (${printable(rule)})`).join(', ')}` : '';
  const breaking =
    result.interface.length > 0
      ? `; ${result.interface.length} interface change${result.interface.length === 1 ? '' : 's'} (${s.breaking} breaking)`
      : '';
  out.push(`${s.identical} identical, ${s.differs} differ, ${s.failed} failed${breaking}${ignoredText}`);
  return `${out.join('\n')}\n`;
}

/** The recording commands' door from main.ts. */
export async function recordingCommand(
  command: (typeof RECORDING_COMMANDS)[number],
  argv: readonly string[],
  io: CliIo,
): Promise<ExitCode> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(RECORDING_USAGE);
    return EXIT.ok;
  }
  switch (command) {
    case 'replay':
      return replayCommand(argv, io);
    case 'diff':
      return diffCommand(argv, io);
    case 'mock':
      return mockCommand(argv, io);
  }
}

export const RECORDING_USAGE = `Usage: mcpscope replay <file|share-url> --against <url> [--ignore <path>]... [--no-default-ignores] [--json]
       mcpscope diff <a> <b> [--ignore <path>]... [--no-default-ignores] [--json]
       mcpscope mock <file|share-url> [--port N]

A recording (an mcpscope session export, a HAR, or a share link …/share/<id>) used as a test.

  replay   Connects to <url> (with the connection and authorization options of every command), re-issues the
           recording's requests in order (the server's own requests answered as the recording did), and diffs
           each answer with the recorded one, plus the interface (tools, resources, prompts) both listed.
  diff     Compares two recordings offline, request by request.
  mock     Serves the recording as an MCP server on 127.0.0.1 (Streamable HTTP at /mcp, both eras; legacy
           HTTP+SSE at /sse): the handshake and lists as recorded, each request answered with the recorded
           answer of the best matching request; a miss is a JSON-RPC error naming the nearest recorded one.

  --ignore <path>          A JSON path not to compare (repeatable): $.result.content[*].text, $..requestId,
                           $.result.tools[name="add"].description, or a bare key name meaning that key anywhere
  --no-default-ignores     Also compare what differs between any two runs: values under id and time keys,
                           timestamps and UUIDs inside text, the protocol envelope of 2026-07-28 answers
  --json                   The report as JSON on stdout

Exit codes: 0 nothing differs beyond the ignore rules, 6 something differs or a request failed,
  2 usage error, 3 connection failed, 4 authorization failed, 1 unexpected failure.
`;
