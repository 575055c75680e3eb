// The checks the flow refuses by default and a person may knowingly get past, one name each. An inspector must
// let someone reach a server that breaks a rule (seed 004 publishes an issuer on another origin), but never
// silently: a tolerated check is a finding in the log, and only these named identity checks can be tolerated.
// Scheme checks (https endpoints) and PKCE are not on the list and cannot be added to it by any setting.

/** Each tolerable check, with the rule it enforces (for the person reading the refusal). */
export const TOLERABLE_CHECKS = {
  issuer_mismatch: 'RFC 8414 §3.3: the authorization server metadata must name as its issuer the URL it was fetched for',
  resource_mismatch: 'RFC 9728 §3.3: the protected resource metadata must describe the server it was fetched for',
  iss_mismatch: 'RFC 9207 §2.4: the authorization response must come from the issuer the request was sent to',
} as const;

export type TolerableCheck = keyof typeof TOLERABLE_CHECKS;

export const TOLERABLE_CHECK_NAMES = Object.keys(TOLERABLE_CHECKS) as TolerableCheck[];

/** What a refused check saw: which rule, the value it expected and the one the server sent. */
export interface CheckRefusal {
  check: TolerableCheck;
  rule: string;
  expected: string;
  /** `(none)` when the server sent nothing where the rule wants a value. */
  received: string;
}

export function isTolerableCheck(name: unknown): name is TolerableCheck {
  return typeof name === 'string' && Object.hasOwn(TOLERABLE_CHECKS, name);
}

/**
 * Why a name cannot be tolerated, for the error a person sees (`undefined` when it can). Names that look like a
 * scheme or PKCE check are refused with the reason, so nobody goes looking for the right spelling.
 */
export function untolerableReason(name: string): string | undefined {
  if (isTolerableCheck(name)) return undefined;
  const known = TOLERABLE_CHECK_NAMES.join(', ');
  if (/scheme|https|insecure|pkce|s256|downgrade/i.test(name)) {
    return `"${name}" cannot be tolerated: scheme checks and PKCE protect the credentials themselves. Only these checks can be: ${known}.`;
  }
  return `"${name}" is not a check mcpscope can tolerate; the ones it can are ${known}.`;
}

/** A list of check names, each once, in the order given; any other name fails with `untolerableReason`. */
export function parseTolerateList(value: unknown, fail: (message: string) => never): TolerableCheck[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(`"tolerate" must be a list of check names, e.g. ["issuer_mismatch"].`);
  const out: TolerableCheck[] = [];
  for (const name of value) {
    if (typeof name !== 'string') fail('"tolerate" must contain only check names (strings).');
    const reason = untolerableReason(name);
    if (reason) fail(reason);
    if (!out.includes(name as TolerableCheck)) out.push(name as TolerableCheck);
  }
  return out;
}

export function refusalFor(check: TolerableCheck, expected: string, received: string | undefined): CheckRefusal {
  return { check, rule: TOLERABLE_CHECKS[check], expected, received: received ?? '(none)' };
}

/** The sentence that ends a refusal: how to get past it on purpose. */
export function toleranceHint(check: TolerableCheck): string {
  return `If you trust this server anyway, continue for this session only ("Continue anyway", the API's auth.tolerate ["${check}"], or the command line's --tolerate ${check}); mcpscope records that as a finding.`;
}
