import { describe, expect, it } from 'vitest';
import { classify, countFailures, outcomeContext, phaseTree, TraceLog, type PhaseFacts, type PhaseNode, type Verdict } from '@/lib/trace';

type Row = [id: string, name: string, parent: string | undefined, status: PhaseFacts['status'], code?: string];

function phases(rows: Row[]): PhaseFacts[] {
  return rows.map(([phaseId, name, parentId, status, code], index) => ({
    phaseId,
    name,
    status,
    seq: (index + 1) * 2,
    ...(parentId ? { parentId } : {}),
    ...(code ? { error: { code } } : {}),
  }));
}

function verdicts(rows: Row[]): Record<string, Verdict> {
  const context = outcomeContext(phases(rows));
  return Object.fromEntries([...context.verdicts].map(([id, verdict]) => [id, verdict]));
}

// The phase trees below are the ones the engine records (copied from real sessions against the e2e fixtures).
const LEGACY_SSE: Row[] = [
  ['c', 'connect', undefined, 'ok'],
  ['p1', 'probe:streamable-http', 'c', 'failed', 'http_error'],
  ['d', 'server/discover', 'p1', 'skipped'],
  ['i1', 'initialize', 'p1', 'failed', 'http_error'],
  ['p2', 'probe:sse', 'c', 'ok'],
  ['g', 'get-stream', 'p2', 'ok'],
  ['i2', 'initialize', 'p2', 'ok'],
  ['t', 'tools/list', undefined, 'ok'],
];

const OAUTH_CHALLENGE: Row[] = [
  ['c1', 'connect', undefined, 'failed', 'auth_required'],
  ['p1', 'probe:streamable-http', 'c1', 'failed', 'auth_required'],
  ['d1', 'server/discover', 'p1', 'failed', 'auth_required'],
  ['o1', 'oauth:discovery', undefined, 'ok'],
  ['o2', 'oauth:token', undefined, 'ok'],
  ['c2', 'connect', undefined, 'ok'],
  ['p2', 'probe:streamable-http', 'c2', 'ok'],
  ['i', 'initialize', 'p2', 'ok'],
];

describe('phase verdicts', () => {
  it.each<[string, Row[], Record<string, Verdict>, number]>([
    [
      'legacy SSE fallback: the Streamable HTTP probe and its initialize are "not supported", not failures',
      LEGACY_SSE,
      { c: 'ok', p1: 'not-supported', d: 'skipped', i1: 'not-supported', p2: 'ok', g: 'ok', i2: 'ok', t: 'ok' },
      0,
    ],
    [
      'OAuth: the 401 that started the flow is a challenge at every level',
      OAUTH_CHALLENGE,
      { c1: 'challenge', p1: 'challenge', d1: 'challenge', o1: 'ok', o2: 'ok', c2: 'ok', p2: 'ok', i: 'ok' },
      0,
    ],
    [
      'a 401 that no OAuth step followed (a refused bearer token) is a failure',
      [
        ['c', 'connect', undefined, 'failed', 'auth_required'],
        ['p', 'probe:streamable-http', 'c', 'failed', 'auth_required'],
      ],
      { c: 'failed', p: 'failed' },
      2,
    ],
    [
      'an OAuth flow that fails after the challenge: the challenge stays neutral, the OAuth step is the failure',
      [
        ['c', 'connect', undefined, 'failed', 'auth_required'],
        ['o', 'oauth:discovery', undefined, 'failed', 'discovery_failed'],
      ],
      { c: 'challenge', o: 'failed' },
      1,
    ],
    [
      'both transports fail: the first probe found Streamable HTTP absent; the legacy probe and connect failed',
      [
        ['c', 'connect', undefined, 'failed', 'not_mcp'],
        ['p1', 'probe:streamable-http', 'c', 'failed', 'http_error'],
        ['p2', 'probe:sse', 'c', 'failed', 'not_mcp'],
      ],
      { c: 'failed', p1: 'not-supported', p2: 'failed' },
      2,
    ],
    [
      'a probe with no fallback after it (transport forced) is a failure',
      [
        ['c', 'connect', undefined, 'failed', 'http_error'],
        ['p', 'probe:streamable-http', 'c', 'failed', 'http_error'],
        ['i', 'initialize', 'p', 'failed', 'http_error'],
      ],
      { c: 'failed', p: 'failed', i: 'failed' },
      3,
    ],
    [
      'server/discover failing inside a probe that then succeeded is "not supported"',
      [
        ['c', 'connect', undefined, 'ok'],
        ['p', 'probe:streamable-http', 'c', 'ok'],
        ['d', 'server/discover', 'p', 'failed', 'protocol_error'],
        ['i', 'initialize', 'p', 'ok'],
      ],
      { c: 'ok', p: 'ok', d: 'not-supported', i: 'ok' },
      0,
    ],
    [
      'a failure after connecting is a failure',
      [
        ['c', 'connect', undefined, 'ok'],
        ['p', 'probe:streamable-http', 'c', 'ok'],
        ['t', 'tools/list', undefined, 'failed', 'protocol_error'],
        ['r', 'reconnect', undefined, 'started'],
      ],
      { c: 'ok', p: 'ok', t: 'failed', r: 'running' },
      1,
    ],
    [
      'a parent cycle in a corrupt log ends',
      [
        ['a', 'initialize', 'b', 'failed', 'x'],
        ['b', 'initialize', 'a', 'failed', 'x'],
      ],
      { a: 'failed', b: 'failed' },
      2,
    ],
  ])('%s', (_name, rows, expected, failures) => {
    expect(verdicts(rows)).toEqual(expected);
    expect(countFailures(outcomeContext(phases(rows)))).toBe(failures);
  });
});

describe('message and exchange verdicts', () => {
  const legacy = outcomeContext(phases(LEGACY_SSE));
  const oauth = outcomeContext(phases(OAUTH_CHALLENGE));
  it.each<[string, Parameters<typeof classify>[0], ReturnType<typeof outcomeContext>, Verdict]>([
    [
      'a -32000 answer to server/discover (every 2025 server)',
      { kind: 'rpc', rpc: { type: 'error', method: 'server/discover' } },
      legacy,
      'not-supported',
    ],
    ['an error answering tools/call', { kind: 'rpc', rpc: { type: 'error', method: 'tools/call' } }, legacy, 'failed'],
    [
      'an error inside a probe that fell back',
      { kind: 'rpc', rpc: { type: 'error', method: 'initialize', phaseId: 'i1' } },
      legacy,
      'not-supported',
    ],
    ['an error inside the working probe', { kind: 'rpc', rpc: { type: 'error', method: 'initialize', phaseId: 'i2' } }, legacy, 'failed'],
    ['a result', { kind: 'rpc', rpc: { type: 'result', method: 'tools/call' } }, legacy, 'ok'],
    [
      'the POST a legacy server answered 404',
      { kind: 'exchange', exchange: { phaseId: 'i1', purpose: 'mcp', status: 404 } },
      legacy,
      'not-supported',
    ],
    ['the 401 that started OAuth', { kind: 'exchange', exchange: { phaseId: 'd1', purpose: 'probe', status: 401 } }, oauth, 'challenge'],
    ['a probe exchange refused with 400', { kind: 'exchange', exchange: { purpose: 'probe', status: 400 } }, legacy, 'not-supported'],
    ['a probe exchange answered 500', { kind: 'exchange', exchange: { purpose: 'probe', status: 500 } }, legacy, 'failed'],
    ['a tool call answered 404', { kind: 'exchange', exchange: { phaseId: 'i2', purpose: 'mcp', status: 404 } }, legacy, 'failed'],
    ['a refused connection', { kind: 'exchange', exchange: { purpose: 'mcp', failed: true } }, legacy, 'failed'],
    [
      'an aborted stream',
      { kind: 'exchange', exchange: { purpose: 'mcp-stream', status: 200, failed: true, aborted: true } },
      legacy,
      'ok',
    ],
    ['a pending exchange', { kind: 'exchange', exchange: { purpose: 'mcp' } }, legacy, 'running'],
  ])('%s', (_name, subject, context, expected) => {
    expect(classify(subject, context)).toBe(expected);
  });
});

describe('on a recorded log', () => {
  it('reads PhaseNode trees from phaseTree (the same facts)', () => {
    let now = 0;
    const log = new TraceLog({ sessionId: 's', serverUrl: 'http://x/mcp', startedAt: 0, transport: 'auto' }, undefined, {
      clock: () => now,
    });
    const connect = log.beginPhase('connect');
    const probe = log.beginPhase('probe:streamable-http', { parentId: connect.id });
    now += 5;
    probe.fail({ code: 'http_error', message: 'HTTP 404' });
    const legacy = log.beginPhase('probe:sse', { parentId: connect.id });
    legacy.ok();
    connect.ok();
    const flat: PhaseNode[] = [];
    const walk = (nodes: PhaseNode[]) => nodes.forEach((node) => (flat.push(node), walk(node.children)));
    walk(phaseTree(log.events()));
    const context = outcomeContext(flat.map((node) => ({ ...node, seq: node.startSeq })));
    expect(context.verdicts.get(probe.id)).toBe('not-supported');
    expect(countFailures(context)).toBe(0);
  });
});
