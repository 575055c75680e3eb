import { describe, expect, it } from 'vitest';
import { engineServerTiming, parseEngineServerTiming } from '@/lib/contract';

describe('the engine time on /rpc answers (Server-Timing)', () => {
  it('round-trips to a tenth of a millisecond', () => {
    expect(engineServerTiming(301.26)).toBe('engine;dur=301.3;desc="server time as seen by mcpscope\'s engine"');
    expect(parseEngineServerTiming(engineServerTiming(301.26))).toBe(301.3);
    expect(parseEngineServerTiming(engineServerTiming(-2))).toBe(0);
  });

  it('finds the engine metric among others, and nothing where there is none', () => {
    expect(parseEngineServerTiming('cdn;dur=4, engine;desc="x";dur=12.5, app;dur=1')).toBe(12.5);
    expect(parseEngineServerTiming('cdn;dur=4')).toBeUndefined();
    expect(parseEngineServerTiming('engine')).toBeUndefined();
    expect(parseEngineServerTiming('engine;dur=abc')).toBeUndefined();
    expect(parseEngineServerTiming(null)).toBeUndefined();
  });
});
