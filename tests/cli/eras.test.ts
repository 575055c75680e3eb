// info, tools and call against a real server of each protocol era, in human and --json output.
import { describe, expect, it } from 'vitest';
import { startLegacySse, startStateful, startStateless2026 } from '@/e2e/fixtures';
import { lines, runCli } from './helpers';
import { startedForSuite } from '../fixtures/suite';

const ERAS = [
  { era: 'legacy-sse', start: startLegacySse, name: 'fixture-legacy-sse', transport: 'sse', label: 'Legacy HTTP+SSE (2024-11-05)' },
  {
    era: 'stateful-2025',
    start: startStateful,
    name: 'fixture-stateful',
    transport: 'streamable-http',
    label: 'Streamable HTTP, stateful (2025)',
  },
  {
    era: 'stateless-2026',
    start: startStateless2026,
    name: 'fixture-stateless-2026',
    transport: 'streamable-http',
    label: 'Streamable HTTP, stateless (2026-07-28)',
  },
] as const;

describe.each(ERAS)('$era server', ({ era, start, name, transport, label }) => {
  const server = startedForSuite(start);

  it('info shows the server, era, protocol version and capabilities, aligned', async () => {
    const run = await runCli(['info', server().url]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = lines(run.stdout);
    expect(rows[0]).toBe(`Server        ${name} 1.0.0`);
    expect(rows).toContain(`Era           ${label}`);
    expect(rows).toContain(`Transport     ${transport}`);
    expect(rows).toContain(`Protocol      ${era === 'stateless-2026' ? '2026-07-28' : '2025-11-25'}`);
    expect(rows.find((row) => row.startsWith('Capabilities'))).toContain('tools (listChanged)');
    expect(rows).toContain('Tools         3');
  });

  it('info --json is one JSON document with the same facts', async () => {
    const run = await runCli(['info', server().url, '--json']);
    expect(run.code).toBe(0);
    const info = JSON.parse(run.stdout);
    expect(info).toMatchObject({ url: server().url, server: { name, version: '1.0.0' }, era, eraLabel: label, transport, toolCount: 3 });
    expect(info.capabilities.tools).toEqual({ listChanged: true });
  });

  it('tools lists name, title and a one-line description in columns', async () => {
    const run = await runCli(['tools', server().url]);
    expect(run.code).toBe(0);
    const rows = lines(run.stdout);
    expect(rows[0]).toMatch(/^NAME\s+TITLE\s+DESCRIPTION$/);
    expect(rows).toContain('add        Add        Adds two numbers.');
    expect(rows.map((row) => row.split(/\s{2,}/)[0])).toEqual(['NAME', 'add', 'configure', 'slow']);
    // The description column starts at the same place on every row.
    const column = rows[0].indexOf('DESCRIPTION');
    for (const row of rows.slice(1)) expect(row[column - 1]).toBe(' ');
    expect(rows[1].slice(column)).toBe('Adds two numbers.');
  });

  it('tools --json returns the tools as the server described them', async () => {
    const run = await runCli(['tools', server().url, '--json']);
    expect(run.code).toBe(0);
    const { tools } = JSON.parse(run.stdout) as { tools: Array<{ name: string; inputSchema: { properties: Record<string, unknown> } }> };
    expect(tools.map((tool) => tool.name)).toEqual(['add', 'configure', 'slow']);
    expect(Object.keys(tools[0].inputSchema.properties)).toEqual(['a', 'b']);
  });

  it('call renders the text content', async () => {
    const run = await runCli(['call', server().url, 'add', '--args', '{"a": 2, "b": 40}']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('42\n');
  });

  it('call --json returns the tools/call result', async () => {
    const profile = { name: 'Ada', settings: { theme: 'dark', fontSize: 14 } };
    const run = await runCli(['call', server().url, 'configure', '--json', '--args', JSON.stringify({ profile, tags: ['x', 'y'] })]);
    expect(run.code).toBe(0);
    const { result } = JSON.parse(run.stdout) as { result: { content: Array<{ type: string; text: string }> } };
    expect(result.content[0].type).toBe('text');
    const text = result.content[0].text;
    expect(text.startsWith('Received configuration:\n')).toBe(true);
    expect(JSON.parse(text.slice(text.indexOf('\n') + 1))).toMatchObject({ profile, tags: ['x', 'y'] });
  });

  it(`--transport ${transport} reaches the same server`, async () => {
    const run = await runCli(['info', server().url, '--transport', transport, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ era, transport });
  });
});
