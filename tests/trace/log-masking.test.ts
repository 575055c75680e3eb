// TraceLog's maskText option: phases and findings quote URLs and server answers, so the session's known secrets
// are masked in their text as they are in the traffic.
import { describe, expect, it } from 'vitest';
import { SecretSet, TraceLog, type FindingEvent, type PhaseEvent } from '@/lib/trace';

describe('TraceLog maskText', () => {
  it('masks phase details, phase errors and finding messages', () => {
    const secrets = new SecretSet(['AKIAlogSecret0001']);
    const log = new TraceLog({ sessionId: 's', serverUrl: 'https://h/mcp', startedAt: Date.now(), transport: 'auto' }, undefined, {
      maskText: (text) => secrets.maskText(text),
    });
    const phase = log.beginPhase('connect', { detail: 'https://h/mcp?api_key=AKIAlogSecret0001' });
    phase.fail({ code: 'timeout', message: 'no answer from https://h/mcp?api_key=AKIAlogSecret0001' }, 'gave up on AKIAlogSecret0001');
    log.finding('warning', 'x', 'the server echoed AKIAlogSecret0001');
    const text = JSON.stringify(log.events());
    expect(text).not.toContain('AKIAlogSecret0001');
    const [start, end] = log.events().filter((e): e is PhaseEvent => e.kind === 'phase');
    expect(start!.detail).toBe('https://h/mcp?api_key=••••0001');
    expect(end!.error).toEqual({ code: 'timeout', message: 'no answer from https://h/mcp?api_key=••••0001' });
    expect(end!.detail).toBe('gave up on ••••0001');
    expect(log.events().find((e): e is FindingEvent => e.kind === 'finding')!.message).toBe('the server echoed ••••0001');
  });
});
