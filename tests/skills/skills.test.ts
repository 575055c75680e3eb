// SEP-2640 on the host side: the frontmatter reader and comparison, and loading a skill from a real 2026-07-28
// server (SDK v2) whose skills/list and resources/read answers each test sets: honest files load, a tampered one
// stops the load before anything after it is read, an unlisted file is never requested, listing reads nothing.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { connectLogged } from '@/tests/fixtures/connect';
import { readConfig } from '@/lib/config';
import type { McpConnection } from '@/lib/mcp';
import { loadSessionSkill, SessionRegistry, sessionSkills } from '@/lib/sessions';
import {
  findSkill,
  frontmatterDifferences,
  listSkills,
  loadSkill,
  parseFrontmatter,
  readSkillFile,
  SkillVerificationError,
  splitFrontmatter,
  type SkillEntry,
} from '@/lib/skills';
import { startModernServer, type TestServer } from '../mcp/servers';
import { tempStore } from '../oauth/helpers';

const SKILL_URI = 'skill://pdf/SKILL.md';
const FORMS_URI = 'skill://pdf/references/FORMS.md';
const SKILL_MD =
  '---\nname: pdf\ndescription: "Fill: PDF forms"\nmetadata:\n  version: 2\n  tags:\n    - forms\n    - pdf\n---\n\nUse the forms reference.\n';
const FORMS = 'Form fields.\n';
const sha = (text: string) => `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
const entry: SkillEntry = {
  uri: SKILL_URI,
  frontmatter: { name: 'pdf', description: 'Fill: PDF forms', metadata: { version: 2, tags: ['forms', 'pdf'] } },
  resources: [
    { uri: SKILL_URI, digest: sha(SKILL_MD), size: Buffer.byteLength(SKILL_MD) },
    { uri: FORMS_URI, digest: sha(FORMS), size: Buffer.byteLength(FORMS) },
  ],
};

describe('frontmatter', () => {
  it('reads the YAML skills use: scalars, quotes, numbers, nested maps, lists, block text', () => {
    const { frontmatter, body } = splitFrontmatter(SKILL_MD);
    expect(body).toBe('\nUse the forms reference.\n');
    expect(parseFrontmatter(frontmatter!)).toEqual(entry.frontmatter);
    expect(parseFrontmatter("a: 'it''s'\nb: true\nc: ~\nd: |\n  one\n  two\ne: >-\n  folded\n  text")).toEqual({
      a: "it's",
      b: true,
      c: null,
      d: 'one\ntwo\n',
      e: 'folded text',
    });
  });

  it('refuses what it cannot read rather than guessing', () => {
    expect(() => parseFrontmatter('tags: [a, b]')).toThrow(/flow collections/);
    expect(() => parseFrontmatter('a: 1\na: 2')).toThrow(/twice/);
    expect(() => parseFrontmatter('just text')).toThrow(/key: value/);
  });

  it('names each difference with the listing, field by field', () => {
    expect(frontmatterDifferences({ name: 'pdf', description: 'x' }, { name: 'pdf', description: 'y' })).toEqual([
      'description: the listing says "y", SKILL.md says "x"',
    ]);
    expect(frontmatterDifferences({ name: 'pdf', extra: 1 }, { name: 'pdf' })).toEqual(['extra: in SKILL.md, missing from the listing']);
    expect(frontmatterDifferences({ m: { tags: ['a'] } }, { m: { tags: ['a', 'b'] } })).toEqual(['m.tags: expected 2 items, found 1']);
  });
});

describe('loading a skill from a server', () => {
  let server: TestServer | undefined;
  let connection: McpConnection | undefined;
  afterEach(async () => {
    await connection?.close();
    await server?.close();
  });

  async function startSkillsServer(files: Record<string, string>, listing: SkillEntry[] = [entry]) {
    server = await startModernServer({
      intercept: (m) => {
        const params = (m as { params?: { uri?: string } }).params;
        const ok = (result: Record<string, unknown>) => ({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { resultType: 'complete', ...result } }),
        });
        // The real server's discover answer, plus the Skills extension (the SDK server has no way to declare it).
        if (m.method === 'server/discover') {
          return ok({
            ttlMs: 0,
            cacheScope: 'private',
            supportedVersions: ['2026-07-28'],
            capabilities: { tools: {}, resources: {}, extensions: { 'io.modelcontextprotocol/skills': {} } },
            _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'skills-fixture', version: '1.0.0' } },
          });
        }
        if (m.method === 'skills/list') return ok({ ttlMs: 0, cacheScope: 'private', skills: listing });
        if (m.method === 'resources/read' && params?.uri && params.uri in files)
          return ok({
            ttlMs: 0,
            cacheScope: 'private',
            contents: [{ uri: params.uri, mimeType: 'text/markdown', text: files[params.uri] }],
          });
        return undefined;
      },
    });
    return server;
  }

  async function serve(files: Record<string, string>, listing: SkillEntry[] = [entry]) {
    server = await startSkillsServer(files, listing);
    const opened = await connectLogged(server.url, { sessionId: 's' });
    connection = opened.connection;
    const log = opened.log;
    return { log, reads: () => server!.seen.filter((r) => r.headers['mcp-method'] === 'resources/read').map((r) => r.headers['mcp-name']) };
  }

  it('lists without reading a file, then loads every file, each verified', async () => {
    const { log, reads } = await serve({ [SKILL_URI]: SKILL_MD, [FORMS_URI]: FORMS });
    const listed = await listSkills(connection!, log);
    expect(findSkill(listed, 'pdf')?.uri).toBe(SKILL_URI);
    expect(reads()).toEqual([]);
    const loaded = await loadSkill(connection!, log, listed[0], { files: true });
    expect(loaded.body).toContain('Use the forms reference.');
    expect(loaded.files.map((f) => f.uri)).toEqual([SKILL_URI, FORMS_URI]);
    expect(reads()).toEqual([SKILL_URI, FORMS_URI]);
  });

  it.each([
    ['digest', SKILL_MD.replace('Use the', 'Run the')],
    ['size', `${SKILL_MD}more\n`],
    ['frontmatter', SKILL_MD.replace('name: pdf', 'name: pwn')],
  ] as const)('a SKILL.md failing its %s check stops the load: no file after it is read', async (check, tampered) => {
    const listing =
      check === 'frontmatter'
        ? [{ ...entry, resources: [{ uri: SKILL_URI, digest: sha(tampered), size: Buffer.byteLength(tampered) }, entry.resources[1]] }]
        : [entry];
    const { log, reads } = await serve({ [SKILL_URI]: tampered, [FORMS_URI]: FORMS }, listing);
    const error = await loadSkill(connection!, log, listing[0], { files: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SkillVerificationError);
    expect(error).toMatchObject({ check, uri: SKILL_URI });
    expect(reads()).toEqual([SKILL_URI]);
    expect(log.events().some((e) => e.kind === 'finding' && e.code === 'skill_verification_failed')).toBe(true);
  });

  it('through a session: the listing, then a load with every file verified, or a refusal naming the check', async () => {
    await startSkillsServer({ [SKILL_URI]: SKILL_MD.replace('Use the', 'Run the'), [FORMS_URI]: FORMS });
    const ts = await tempStore();
    const registry = new SessionRegistry({ config: readConfig({}), store: async () => ts.store });
    try {
      const outcome = await registry.create('owner-ssssssssssssssssssssss', { url: server!.url });
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.body));
      expect(await sessionSkills(outcome.session)).toEqual({ offered: true, skills: [entry] });
      expect(await loadSessionSkill(outcome.session, 'pdf')).toEqual({
        error: { code: 'skill_verification_failed', check: 'digest', uri: SKILL_URI, message: expect.stringContaining('digest') },
      });
    } finally {
      await registry.shutdown();
      await ts.close();
    }
  });

  it('never requests a file the entry does not list', async () => {
    const { reads } = await serve({ [SKILL_URI]: SKILL_MD });
    await expect(readSkillFile(connection!, entry, 'skill://pdf/scripts/run.py')).rejects.toMatchObject({ check: 'unlisted' });
    expect(reads()).toEqual([]);
  });
});
