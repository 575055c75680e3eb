// Opening a file in the browser: which reader applies, and the code + message for each kind of bad file.
import { describe, expect, it } from 'vitest';
import { ImportError, parseSessionFile } from '@/components/import/parse';
import { toHar, toJsonExport } from '@/lib/trace';
import { META, sampleEvents } from './sample-log';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message.length).toBeGreaterThan(10);
    return (error as ImportError).code;
  }
  throw new Error('expected an ImportError');
}

describe('parseSessionFile', () => {
  it('opens a JSON export and an mcpscope HAR to the same events', () => {
    const events = sampleEvents();
    const json = parseSessionFile('s.json', JSON.stringify(toJsonExport({ meta: META, events: () => events })));
    expect(json).toMatchObject({ format: 'json', name: 's.json' });
    expect(json.events).toEqual(events);
    const har = parseSessionFile('s.har', JSON.stringify(toHar(META, events)));
    expect(har.format).toBe('har');
    expect(har.events).toEqual(events);
    expect(har.meta.serverInfo).toEqual(META.serverInfo);
  });

  it('decides by content, not by the file name', () => {
    const events = sampleEvents();
    expect(parseSessionFile('renamed.json', JSON.stringify(toHar(META, events))).format).toBe('har');
    expect(parseSessionFile('renamed.har', JSON.stringify(toJsonExport({ meta: META, events: () => events }))).format).toBe('json');
  });

  it('gives each bad file a code and a sentence', () => {
    expect(codeOf(() => parseSessionFile('x.json', 'not json {'))).toBe('invalid_json');
    expect(codeOf(() => parseSessionFile('x.json', '[1, 2]'))).toBe('unknown_file');
    expect(codeOf(() => parseSessionFile('x.json', '{"hello": "world"}'))).toBe('unknown_file');
    expect(codeOf(() => parseSessionFile('x.json', '{"format": "something-else", "version": 1}'))).toBe('invalid_export');
    expect(
      codeOf(() => parseSessionFile('x.json', JSON.stringify({ format: 'mcpscope-session', version: 99, meta: {}, events: [] }))),
    ).toBe('unsupported_export_version');
    expect(codeOf(() => parseSessionFile('x.har', '{"log": {"version": "1.2"}}'))).toBe('invalid_har');
    expect(
      codeOf(() =>
        parseSessionFile('x.har', JSON.stringify({ log: { version: '1.2', creator: { name: 'x', version: '1' }, entries: [] } })),
      ),
    ).toBe('empty_session');
  });
});
