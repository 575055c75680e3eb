// Who may start a local process, and how a request proves it comes from mcpscope's own page.
//
// Starting a program is remote code execution by design, so it is refused unless every one of these holds
// (the official Inspector's proxy was exploitable from any web page, CVE-2025-49596):
//  - stdio is on (MCPSCOPE_STDIO=0 turns it off everywhere),
//  - mcpscope is bound to loopback and not in hosted mode (only this machine's user can reach it),
//  - the request passed the admission every request passes (lib/security/admit: Host against DNS rebinding,
//    Origin against cross-site requests, the access token where one is required),
//  - and it carries the launch token: an HMAC of the caller's owner id under a key derived from this install's
//    secret key. The page reads it from GET /api/stdio (a same-origin JSON answer another site cannot read) and
//    sends it in the `x-mcpscope-launch` header, which a cross-site form cannot set at all.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StdioAvailability } from '../contract/stdio';
import type { SecuritySettings } from '../security';
import { deriveKey, loadInstanceSecretKey } from '../store';

const KEY_PURPOSE = 'stdio-launch-v1';
const KEY_HOLDER = Symbol.for('mcpscope.stdio-launch-key');

export type StdioRefusalCode = 'stdio_disabled' | 'stdio_hosted' | 'stdio_not_loopback' | 'launch_token_invalid';

export type StdioDecision = { available: true } | { available: false; code: StdioRefusalCode; message: string };

/** Whether this instance may start local servers at all (pure: the settings decide). */
export function decideStdio(enabled: boolean, security: Pick<SecuritySettings, 'mode' | 'boundToLoopback'>): StdioDecision {
  if (!enabled) {
    return {
      available: false,
      code: 'stdio_disabled',
      message: 'Local stdio servers are turned off on this mcpscope (MCPSCOPE_STDIO=0). Connect to an HTTP server instead.',
    };
  }
  if (security.mode === 'hosted') {
    return {
      available: false,
      code: 'stdio_hosted',
      message:
        'This mcpscope runs in hosted mode, where starting local programs is refused: anyone who reaches it could run commands on its machine. Run mcpscope on your own computer (npm start, bound to 127.0.0.1) to inspect stdio servers.',
    };
  }
  if (!security.boundToLoopback) {
    return {
      available: false,
      code: 'stdio_not_loopback',
      message:
        'mcpscope is reachable beyond this machine (HOST is not a loopback address), so starting local programs is refused. Bind it to 127.0.0.1 to inspect stdio servers.',
    };
  }
  return { available: true };
}

function processKey(): Buffer {
  const holder = globalThis as typeof globalThis & { [KEY_HOLDER]?: Buffer };
  if (!holder[KEY_HOLDER]) {
    try {
      holder[KEY_HOLDER] = deriveKey(loadInstanceSecretKey(), KEY_PURPOSE);
    } catch {
      // Without the install's key the token is good for this run only: the page asks for it again.
      holder[KEY_HOLDER] = randomBytes(32);
    }
  }
  return holder[KEY_HOLDER];
}

/** The launch token of one owner (a browser's signed identity). */
export function launchToken(ownerId: string, key: Uint8Array = processKey()): string {
  return createHmac('sha256', key).update('mcpscope stdio launch\0').update(ownerId).digest('base64url');
}

/** Whether `presented` is the launch token of `ownerId`. */
export function verifyLaunchToken(ownerId: string | undefined, presented: string | null | undefined, key?: Uint8Array): boolean {
  if (!ownerId || !presented) return false;
  const expected = Buffer.from(launchToken(ownerId, key));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** GET /api/stdio for this owner. */
export function stdioAvailability(decision: StdioDecision, ownerId: string): StdioAvailability {
  if (!decision.available) return { available: false, code: decision.code, message: decision.message };
  return { available: true, launchToken: launchToken(ownerId) };
}
