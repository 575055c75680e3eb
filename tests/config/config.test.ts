import { describe, expect, it } from 'vitest';
import { defaultLogBudget, readConfig } from '@/lib/config';
import { readSecuritySettings } from '@/lib/security';

describe('readConfig', () => {
  it('serves on 127.0.0.1:3000 and is opened at localhost:3000 by default', () => {
    const config = readConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it('is opened at the port it serves on when only PORT is set (no redirect to :3000)', () => {
    expect(readConfig({ PORT: '4010' }).publicUrl).toBe('http://localhost:4010');
    // The security settings (Origin checks, the page redirect) agree.
    expect(readSecuritySettings({ PORT: '4010' }).publicOrigin).toBe('http://localhost:4010');
  });

  it('bounds each request to 10 minutes in all unless MCPSCOPE_REQUEST_MAX_MS says otherwise', () => {
    expect(readConfig({}).requestMaxMs).toBe(600_000);
    expect(readConfig({ MCPSCOPE_REQUEST_MAX_MS: '90000' }).requestMaxMs).toBe(90_000);
    expect(readConfig({ MCPSCOPE_REQUEST_MAX_MS: 'soon' }).requestMaxMs).toBe(600_000);
  });

  it('takes PUBLIC_URL as given, without a trailing slash', () => {
    expect(readConfig({ PORT: '4010', PUBLIC_URL: 'https://mcpscope.example/' }).publicUrl).toBe('https://mcpscope.example');
  });

  it('budgets session logs at a quarter of the heap limit, at most 512 MB, unless MCPSCOPE_LOG_BUDGET_BYTES says otherwise', () => {
    expect(defaultLogBudget(4 * 1024 ** 3)).toBe(512 * 1024 ** 2);
    expect(defaultLogBudget(1024 ** 3)).toBe(256 * 1024 ** 2);
    expect(readConfig({}).logBudgetBytes).toBe(defaultLogBudget());
    expect(readConfig({ MCPSCOPE_LOG_BUDGET_BYTES: '1000000' }).logBudgetBytes).toBe(1_000_000);
    expect(readConfig({ MCPSCOPE_LOG_BUDGET_BYTES: 'lots' }).logBudgetBytes).toBe(defaultLogBudget());
  });

  it('keeps 10,000 notifications per method at once, then 100 a second, unless told otherwise', () => {
    expect(readConfig({}).notificationLimits).toEqual({ notificationRate: 100, notificationBurst: 10_000 });
    expect(readConfig({ MCPSCOPE_NOTIFICATION_RATE: '50', MCPSCOPE_NOTIFICATION_BURST: '200' }).notificationLimits).toEqual({
      notificationRate: 50,
      notificationBurst: 200,
    });
  });
});
