// Debian's Chromium, as every browser this project starts uses it (Playwright's e2e and screenshots, the bench, the
// HAR test): one place for its path and flags.

/** The browser binary: Debian's package by default, CHROMIUM_PATH to use another. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless run in a container with no network beyond loopback (no sandbox, GPU or background fetches). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
