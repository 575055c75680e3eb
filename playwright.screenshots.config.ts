// `npm run screenshots`: the same app and fixture servers as the end-to-end tests (playwright.config.ts), running
// only e2e/screenshots/*.shot.ts, which visits every view of the workspace at 1440 and 1024 px, light and dark,
// and writes PNGs into docs/screenshots/. Not part of `npm test` (the normal config matches *.spec.ts only).
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  testDir: 'e2e/screenshots',
  testMatch: '**/*.shot.ts',
  timeout: 600_000,
});
