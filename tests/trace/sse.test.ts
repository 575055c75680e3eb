import { describe, expect, it } from 'vitest';
import { createSseFrameReader, parseSseFrames, type SseFrame } from '@/lib/trace';

const enc = new TextEncoder();

/** A stream exercising every kind of frame, with `\n` line ends; other line ends are derived from it. */
const STREAM_LF = [
  ': ping',
  '',
  'id: 1',
  'event: message',
  'data: {"jsonrpc":"2.0","id":1,"result":{"text":"héllo ✓ 🎉"}}',
  '',
  'data: first line',
  'data: second line',
  'data:',
  'data:  two spaces kept as one',
  '',
  'retry: 3000',
  '',
  'event: endpoint',
  'id: only-event-no-data',
  '',
  ':',
  '',
  'data:no-space',
  '',
  '',
].join('\n');

const EXPECTED: SseFrame[] = [
  { comment: 'ping', raw: ': ping' },
  {
    id: '1',
    event: 'message',
    data: '{"jsonrpc":"2.0","id":1,"result":{"text":"héllo ✓ 🎉"}}',
    raw: 'id: 1\nevent: message\ndata: {"jsonrpc":"2.0","id":1,"result":{"text":"héllo ✓ 🎉"}}',
  },
  {
    data: 'first line\nsecond line\n\n two spaces kept as one',
    raw: 'data: first line\ndata: second line\ndata:\ndata:  two spaces kept as one',
  },
  { retry: 3000, raw: 'retry: 3000' },
  { id: 'only-event-no-data', event: 'endpoint', raw: 'event: endpoint\nid: only-event-no-data' },
  { comment: '', raw: ':' },
  { data: 'no-space', raw: 'data:no-space' },
];

function withLineEnds(text: string, eol: string): string {
  return text.split('\n').join(eol);
}

function framesOfByteChunks(bytes: Uint8Array, cuts: number[]): SseFrame[] {
  const chunks: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(prev, c));
    prev = c;
  }
  return parseSseFrames(chunks);
}

describe('SSE frame capture', () => {
  for (const [label, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ] as const) {
    const bytes = enc.encode(withLineEnds(STREAM_LF, eol));

    it(`reads every frame kind with ${label} line endings in one chunk`, () => {
      expect(parseSseFrames([bytes])).toEqual(EXPECTED);
    });

    it(`gives the same frames with ${label} whatever byte the stream is split at`, () => {
      for (let i = 0; i <= bytes.length; i++) {
        const frames = framesOfByteChunks(bytes, [i]);
        expect(frames, `split at byte ${i}`).toEqual(EXPECTED);
      }
    });

    it(`gives the same frames with ${label} when split into three pieces`, () => {
      // Two cuts a few bytes apart catch state carried over a very short middle chunk (e.g. a lone CR).
      for (let i = 0; i < bytes.length; i += 3) {
        for (const gap of [1, 2, 5]) {
          const j = Math.min(bytes.length, i + gap);
          expect(framesOfByteChunks(bytes, [i, j]), `cuts at ${i}, ${j}`).toEqual(EXPECTED);
        }
      }
    });

    it(`gives the same frames with ${label} fed one byte at a time`, () => {
      const cuts = Array.from({ length: bytes.length - 1 }, (_, k) => k + 1);
      expect(framesOfByteChunks(bytes, cuts)).toEqual(EXPECTED);
    });
  }

  it('accepts string chunks and mixed line endings in one stream', () => {
    const frames = parseSseFrames(['data: a\r', '\ndata: b\r\rdata: c\n', '\n']);
    expect(frames).toEqual([
      { data: 'a\nb', raw: 'data: a\ndata: b' },
      { data: 'c', raw: 'data: c' },
    ]);
  });

  it('reports each frame as soon as its blank line arrives, not at the end of the stream', () => {
    const seen: SseFrame[] = [];
    const reader = createSseFrameReader((f) => seen.push(f));
    reader.push(enc.encode('data: one\n'));
    expect(seen).toHaveLength(0);
    reader.push(enc.encode('\ndata: tw'));
    expect(seen).toEqual([{ data: 'one', raw: 'data: one' }]);
    reader.push(enc.encode('o\n\n'));
    expect(seen.map((f) => f.data)).toEqual(['one', 'two']);
  });

  it('reports a keep-alive comment immediately, as its own frame, even inside an event', () => {
    const seen: SseFrame[] = [];
    const reader = createSseFrameReader((f) => seen.push(f));
    reader.push('data: x\n: keep-alive\n');
    expect(seen).toEqual([{ comment: 'keep-alive', raw: ': keep-alive' }]);
    reader.push('\n');
    expect(seen[1]).toEqual({ data: 'x', raw: 'data: x' });
  });

  it('marks a frame cut off by the end of the stream as incomplete', () => {
    const frames = parseSseFrames(['data: complete\n\n', 'id: 7\ndata: half']);
    expect(frames).toEqual([
      { data: 'complete', raw: 'data: complete' },
      { id: '7', data: 'half', raw: 'id: 7\ndata: half', incomplete: true },
    ]);
  });

  it('keeps of a line the stream stopped inside only what raw keeps, not the whole of it', () => {
    const long = 'x'.repeat(100_000);
    const [frame] = parseSseFrames(['data: ', long.slice(0, 50_000), long.slice(50_000)], { maxRawChars: 20 });
    expect(frame).toMatchObject({ raw: 'data: xxxxxxxxxxxxxx', truncated: true, incomplete: true });
    expect(frame!.data!.length).toBeLessThan(100);
  });

  it('ignores an invalid retry value but keeps the line in raw', () => {
    expect(parseSseFrames(['retry: soon\ndata: x\n\n'])).toEqual([{ data: 'x', raw: 'retry: soon\ndata: x' }]);
  });

  it('strips a leading byte-order mark', () => {
    expect(parseSseFrames([new Uint8Array([0xef, 0xbb, 0xbf]), enc.encode('data: x\n\n')])).toEqual([{ data: 'x', raw: 'data: x' }]);
  });

  it('caps raw text at maxRawChars and says so', () => {
    const long = 'x'.repeat(100);
    const [frame] = parseSseFrames([`data: ${long}\n\n`], { maxRawChars: 20 });
    expect(frame.raw).toBe(`data: ${long}`.slice(0, 20));
    expect(frame.truncated).toBe(true);
    expect(frame.data).toBe(long);
  });
});
