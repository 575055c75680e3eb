// SEP-2640 Skills, the host's side: list what a server offers (`skills/list`), and load one only when asked,
// verifying every file against its listing entry before using it: the byte size, the sha256 digest, and for
// SKILL.md the frontmatter, field by field. A file the entry does not list is never requested. Nothing is read
// ahead of need (no prefetch on connect or on listing).
import { createHash } from 'node:crypto';
import { EngineError, type McpConnection } from '../mcp';
import type { TraceLog } from '../trace';
import { FrontmatterError, frontmatterDifferences, parseFrontmatter, splitFrontmatter } from './frontmatter';

export const SKILLS_EXTENSION = 'io.modelcontextprotocol/skills';
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const MAX_LIST_PAGES = 100;

export interface SkillFile {
  uri: string;
  /** `sha256:<hex>` of the file's bytes. */
  digest: string;
  /** Bytes. */
  size: number;
}

export interface SkillEntry {
  /** The SKILL.md URI: the skill's identity. */
  uri: string;
  frontmatter: Record<string, unknown>;
  resources: SkillFile[];
}

export type SkillCheck = 'digest' | 'size' | 'frontmatter' | 'unlisted' | 'read';

export class SkillVerificationError extends Error {
  readonly code = 'skill_verification_failed';
  constructor(
    readonly check: SkillCheck,
    readonly uri: string,
    message: string,
  ) {
    super(message);
    this.name = 'SkillVerificationError';
  }
}

export interface VerifiedFile extends SkillFile {
  mimeType?: string;
  /** UTF-8 text, when the content is text. */
  text?: string;
}

export interface LoadedSkill {
  entry: SkillEntry;
  /** SKILL.md after its frontmatter. */
  body: string;
  /** Every file read, SKILL.md first, each verified. */
  files: VerifiedFile[];
}

/** Whether the server declares the Skills extension in its capabilities. */
export function offersSkills(capabilities: Record<string, unknown>): boolean {
  const extensions = capabilities.extensions;
  return !!extensions && typeof extensions === 'object' && Object.hasOwn(extensions, SKILLS_EXTENSION);
}

/** What is wrong with a listing entry, or undefined when it is usable. */
export function entryProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not an object';
  const entry = value as Record<string, unknown>;
  if (typeof entry.uri !== 'string' || !entry.uri) return 'no uri';
  if (!entry.frontmatter || typeof entry.frontmatter !== 'object' || Array.isArray(entry.frontmatter)) return 'no frontmatter object';
  if (!Array.isArray(entry.resources)) return 'no resources list';
  for (const file of entry.resources as unknown[]) {
    const f = file as Record<string, unknown> | null;
    if (!f || typeof f.uri !== 'string') return 'a resource without a uri';
    if (typeof f.digest !== 'string' || !DIGEST.test(f.digest)) return `${f.uri}: digest must be sha256:<64 hex digits>`;
    if (typeof f.size !== 'number' || !Number.isInteger(f.size) || f.size < 0) return `${f.uri}: size must be a whole number of bytes`;
  }
  if (!(entry.resources as SkillFile[]).some((f) => f.uri === entry.uri)) return 'its SKILL.md is not among its resources';
  return undefined;
}

/** `skills/list`, every page. Entries that cannot be verified against are left out, each with a finding. */
export async function listSkills(connection: McpConnection, log: TraceLog): Promise<SkillEntry[]> {
  const skills: SkillEntry[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const outcome = await connection.request('skills/list', cursor === undefined ? {} : { cursor });
    if ('error' in outcome)
      throw new EngineError(
        'protocol_error',
        `The server answered skills/list with JSON-RPC error ${outcome.error.code}: ${outcome.error.message}`,
      );
    const result = outcome.result as { skills?: unknown; nextCursor?: unknown } | undefined;
    for (const item of Array.isArray(result?.skills) ? result.skills : []) {
      const problem = entryProblem(item);
      if (problem) {
        log.finding(
          'warning',
          'skill_entry_invalid',
          `skills/list returned an entry mcpscope cannot verify files against (${problem}); it is left out: ${JSON.stringify(item).slice(0, 200)}`,
        );
        continue;
      }
      skills.push(item as SkillEntry);
    }
    cursor = typeof result?.nextCursor === 'string' && result.nextCursor ? result.nextCursor : undefined;
    if (!cursor) break;
  }
  return skills;
}

/** The skill a name or URI designates in a listing. */
export function findSkill(skills: readonly SkillEntry[], nameOrUri: string): SkillEntry | undefined {
  return skills.find((s) => s.uri === nameOrUri) ?? skills.find((s) => s.frontmatter.name === nameOrUri);
}

/**
 * Loads a skill: reads SKILL.md and checks it (size, digest, frontmatter), then, when `files` says so, the other
 * files it lists, each checked. The first failure stops the load: nothing after it is read, nothing unverified is
 * returned. Each load is a phase in the log; a failure is a finding.
 */
export async function loadSkill(
  connection: McpConnection,
  log: TraceLog,
  entry: SkillEntry,
  options: { files?: boolean } = {},
): Promise<LoadedSkill> {
  const phase = log.beginPhase('skills/load', { detail: entry.uri });
  try {
    const skillFile = await readSkillFile(connection, entry, entry.uri);
    const { frontmatter, body } = splitFrontmatter(skillFile.text ?? '');
    let parsed;
    try {
      if (frontmatter === undefined) throw new FrontmatterError('SKILL.md has no frontmatter');
      parsed = parseFrontmatter(frontmatter);
    } catch (error) {
      throw new SkillVerificationError(
        'frontmatter',
        entry.uri,
        `${entry.uri}: its frontmatter cannot be read (${(error as Error).message}), so it cannot be compared with the listing.`,
      );
    }
    const differences = frontmatterDifferences(parsed, entry.frontmatter);
    if (differences.length > 0) {
      throw new SkillVerificationError(
        'frontmatter',
        entry.uri,
        `${entry.uri}: its frontmatter differs from the listing (${differences.slice(0, 3).join('; ')}).`,
      );
    }
    const files: VerifiedFile[] = [skillFile];
    if (options.files) {
      for (const file of entry.resources) if (file.uri !== entry.uri) files.push(await readSkillFile(connection, entry, file.uri));
    }
    phase.ok(
      `${files.length} file${files.length === 1 ? '' : 's'} verified: size and sha256 digest of each, and SKILL.md's frontmatter against the listing`,
    );
    return { entry, body, files };
  } catch (error) {
    if (error instanceof SkillVerificationError) {
      phase.fail({ code: error.code, message: error.message });
      log.finding(
        'error',
        'skill_verification_failed',
        `${error.message} SEP-2640: a host must not use unverified content, so the skill was not loaded.`,
      );
    } else {
      phase.fail({ code: 'skill_load_failed', message: error instanceof Error ? error.message : String(error) });
    }
    throw error;
  }
}

/** One of the skill's files, read and verified; a URI the entry does not list is refused before any request. */
export async function readSkillFile(connection: McpConnection, entry: SkillEntry, uri: string): Promise<VerifiedFile> {
  const listed = entry.resources.find((f) => f.uri === uri);
  if (!listed)
    throw new SkillVerificationError('unlisted', uri, `${uri} is not among the files ${entry.uri} lists, so mcpscope does not read it.`);
  const outcome = await connection.request('resources/read', { uri });
  if ('error' in outcome)
    throw new SkillVerificationError('read', uri, `Reading ${uri} failed: JSON-RPC error ${outcome.error.code}: ${outcome.error.message}`);
  const contents =
    (outcome.result as { contents?: Array<{ uri?: string; text?: string; blob?: string; mimeType?: string }> } | undefined)?.contents ?? [];
  const content = contents.find((c) => c.uri === uri) ?? contents[0];
  if (!content || (typeof content.text !== 'string' && typeof content.blob !== 'string'))
    throw new SkillVerificationError('read', uri, `The server answered resources/read for ${uri} with no content.`);
  const bytes = typeof content.text === 'string' ? Buffer.from(content.text, 'utf8') : Buffer.from(content.blob as string, 'base64');
  if (bytes.length !== listed.size) {
    throw new SkillVerificationError('size', uri, `${uri} is ${bytes.length} bytes, but the listing says ${listed.size}.`);
  }
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (digest !== listed.digest)
    throw new SkillVerificationError('digest', uri, `${uri} has the digest ${digest}, but the listing says ${listed.digest}.`);
  return {
    ...listed,
    ...(content.mimeType ? { mimeType: content.mimeType } : {}),
    ...(typeof content.text === 'string' ? { text: content.text } : {}),
  };
}
