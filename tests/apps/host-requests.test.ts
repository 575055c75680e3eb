import { describe, expect, it } from 'vitest';
import { MAX_DOWNLOAD_BYTES, partialInputSteps, planDownload, safeFilename } from '@/lib/apps';

describe('safeFilename', () => {
  it('keeps the last segment, without paths, leading dots or odd characters', () => {
    expect(safeFilename('ui://app/report.csv')).toBe('report.csv');
    expect(safeFilename('file:///etc/../../.bashrc')).toBe('bashrc');
    expect(safeFilename('ui://x/..%2F..%2Fevil.html')).toBe('evil.html');
    expect(safeFilename('ui://x/a b<script>.txt?x=1#y')).toBe('a_b_script_.txt');
    expect(safeFilename('ui://x/...')).toBe('download');
    expect(safeFilename(42, 'fallback')).toBe('fallback');
    expect(safeFilename(`ui://x/${'a'.repeat(500)}`).length).toBe(100);
  });
});

describe('planDownload', () => {
  it('plans embedded text and blob files with their size', () => {
    const plan = planDownload({
      contents: [
        { type: 'resource', resource: { uri: 'ui://x/notes.txt', mimeType: 'text/plain', text: 'héllo' } },
        { type: 'resource', resource: { uri: 'ui://x/data.bin', mimeType: 'application/octet-stream', blob: 'AAEC' } },
      ],
    });
    expect(plan).toEqual([
      { kind: 'file', filename: 'notes.txt', mimeType: 'text/plain', bytes: 6, text: 'héllo' },
      { kind: 'file', filename: 'data.bin', mimeType: 'application/octet-stream', bytes: 3, blob: 'AAEC' },
    ]);
  });

  it('allows https links and refuses script, data and file links with the reason', () => {
    const plan = planDownload({
      contents: [
        { type: 'resource_link', uri: 'https://example.com/a.pdf', name: 'a.pdf' },
        { type: 'resource_link', uri: 'javascript:alert(1)', name: 'x' },
        { type: 'resource_link', uri: 'data:text/html,<script>1</script>', name: 'y' },
        { type: 'resource_link', uri: 'file:///etc/passwd', name: 'z' },
      ],
    });
    expect(plan[0]).toEqual({ kind: 'link', href: 'https://example.com/a.pdf', name: 'a.pdf' });
    expect(plan.slice(1).map((p) => p.kind)).toEqual(['refused', 'refused', 'refused']);
    expect((plan[1] as { reason: string }).reason).toMatch(/javascript:/);
  });

  it('refuses what is too large, malformed or too many', () => {
    const big = 'a'.repeat(MAX_DOWNLOAD_BYTES + 1);
    const plan = planDownload({
      contents: [
        { type: 'resource', resource: { uri: 'ui://x/big.txt', text: big } },
        { type: 'resource', resource: { uri: 'ui://x/bad.bin', blob: '<<not base64>>' } },
        'nope',
        { type: 'image', data: 'AA' },
        ...Array.from({ length: 12 }, (_, i) => ({ type: 'resource', resource: { uri: `ui://x/${i}.txt`, text: 'x' } })),
      ],
    });
    expect(plan.slice(0, 4).map((p) => p.kind)).toEqual(['refused', 'refused', 'refused', 'refused']);
    expect(plan).toHaveLength(11);
    expect(plan.at(-1)).toMatchObject({ kind: 'refused', reason: 'more than 10 items' });
    expect(planDownload(null)).toEqual([]);
    expect(planDownload({ contents: 'x' })).toEqual([]);
  });
});

describe('partialInputSteps', () => {
  it('reveals keys in order, long strings in pieces, and ends with the whole input', () => {
    const steps = partialInputSteps({ city: 'Amsterdam', days: 3 });
    expect(steps).toEqual([{ city: 'Ams' }, { city: 'Amster' }, { city: 'Amsterdam' }, { city: 'Amsterdam', days: 3 }]);
  });

  it('keeps at most 12 steps and the last one whole', () => {
    const args = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'long value here']));
    const steps = partialInputSteps(args);
    expect(steps).toHaveLength(12);
    expect(steps.at(-1)).toEqual(args);
    expect(partialInputSteps({})).toEqual([]);
  });
});
