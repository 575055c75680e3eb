import { describe, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';
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
});
