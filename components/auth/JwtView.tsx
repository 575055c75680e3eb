'use client';

// A JWT as a person may read it: what it is, its header and claims, and what is known of its signature. The log
// never holds a JWT credential whole (lib/trace/jwt: the signature is masked at capture), so nothing here can
// verify one: the signature status comes from where the JWT was made or checked, and only a signature checked
// against a key is shown with a tick.
import type { BodyCapture, HeaderList, JwtNote, JwtSignature } from '@/lib/trace/types';
import { decodeJwtText, isJwtValuedName } from '@/lib/trace';
import { Badge, IconCheck, type Tone } from '../ui';

const SIGNATURE: Record<JwtSignature['state'], { label: string; tone: Tone }> = {
  verified: { label: 'signature verified', tone: 'ok' },
  signed_by_mcpscope: { label: 'signed by mcpscope', tone: 'accent' },
  not_verified: { label: 'not verified', tone: 'warn' },
};

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time']);

function shown(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && TIME_CLAIMS.has(name) && Number.isFinite(value)) {
    const date = new Date(value * 1000);
    return Number.isNaN(date.getTime()) ? String(value) : `${value} (${date.toISOString().replace('.000Z', 'Z')})`;
  }
  return JSON.stringify(value);
}

/** One line on the signature: "signed ES256, verified with …" / "not verified: …", never a tick unless verified. */
export function signatureLine(signature: JwtSignature): string {
  const alg = signature.alg ? `signed ${signature.alg}` : 'signed';
  switch (signature.state) {
    case 'verified':
      return `${alg}, verified${signature.key ? ` with ${signature.key}` : ''}. ${signature.detail}`;
    case 'signed_by_mcpscope':
      return `${alg} by mcpscope${signature.key ? ` with ${signature.key}` : ''}; not verified here. ${signature.detail}`;
    default:
      return `${alg}; not verified: ${signature.detail}`;
  }
}

function Pairs({ title, values, testId }: { title: string; values: Record<string, unknown>; testId: string }) {
  const entries = Object.entries(values);
  return (
    <div className="min-w-0">
      <div className="text-[11px] font-medium text-muted">{title}</div>
      {entries.length === 0 ? (
        <div className="text-[11px] text-faint">(empty)</div>
      ) : (
        <table className="w-full table-fixed font-mono text-[11px]" data-testid={testId}>
          <tbody>
            {entries.map(([name, value]) => (
              <tr key={name} className="align-top" data-claim={name}>
                <td className="w-[30%] py-px pr-2 break-words text-muted">{name}</td>
                <td className="py-px break-all select-text">{shown(name, value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function objectOr(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * A decoded JWT: label, signature status, header and claims side by side (stacked when narrow). An imported file
 * may hold anything where a note should be: unknown shapes show as empty, an unknown state as not verified.
 */
export function JwtView({ note: given, testId = 'jwt-view' }: { note: JwtNote; testId?: string }) {
  const signature = objectOr(given.signature) as Partial<JwtSignature>;
  const note: JwtNote = {
    label: typeof given.label === 'string' ? given.label : 'JWT',
    header: objectOr(given.header),
    claims: objectOr(given.claims),
    signature: {
      state: signature.state && Object.hasOwn(SIGNATURE, signature.state) ? signature.state : 'not_verified',
      ...(typeof signature.alg === 'string' ? { alg: signature.alg } : {}),
      ...(typeof signature.key === 'string' ? { key: signature.key } : {}),
      detail: typeof signature.detail === 'string' ? signature.detail : 'nothing recorded about it.',
    },
  };
  const status = SIGNATURE[note.signature.state];
  return (
    <div className="rounded border border-line bg-panel-2 px-2.5 py-2" data-testid={testId} data-signature={note.signature.state}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-xs font-semibold">{note.label}</span>
        <Badge tone={status.tone} data-testid="jwt-signature-state">
          {note.signature.state === 'verified' && <IconCheck className="mr-1 h-3 w-3" />}
          {status.label}
        </Badge>
      </div>
      <div className="mt-1 text-[11px] text-muted" data-testid="jwt-signature">
        {signatureLine(note.signature)} The signature itself is masked (<span className="font-mono">••••</span>).
      </div>
      <div className="mt-1.5 grid grid-cols-1 gap-2 lg:grid-cols-[2fr_3fr]">
        <Pairs title="Header" values={note.header} testId="jwt-header" />
        <Pairs title="Claims" values={note.claims} testId="jwt-claims" />
      </div>
    </div>
  );
}

/** What is known of a JWT's signature from where it travels (the log has no signature to check). */
function signatureFor(name: string, alg: unknown): JwtSignature {
  const base = typeof alg === 'string' ? { alg } : {};
  switch (name) {
    case 'dpop':
      return {
        state: 'signed_by_mcpscope',
        ...base,
        key: "the session's DPoP key (its public half is the header's jwk)",
        detail: "A proof of possession for this request (RFC 9449); the server checks it against the jwk and the token's binding.",
      };
    case 'client_assertion':
      return {
        state: 'signed_by_mcpscope',
        ...base,
        key: "the client's private key",
        detail:
          'private_key_jwt client authentication (RFC 7523 §2.2); the client_assertion finding says whether it verified with that key.',
      };
    default:
      return {
        state: 'not_verified',
        ...base,
        detail: 'mcpscope was given or received it and holds no key of its issuer; the server it is sent to verifies it.',
      };
  }
}

const LABELS: Record<string, string> = {
  dpop: 'DPoP proof (DPoP header)',
  client_assertion: 'client_assertion (private_key_jwt)',
  assertion: 'assertion (jwt-bearer grant)',
  subject_token: 'subject_token (token exchange)',
  actor_token: 'actor_token (token exchange)',
};

/** The JWTs a request carries (a DPoP header, form parameters that hold one), decoded from their masked form. */
export function requestJwts(headers: HeaderList | undefined, body: BodyCapture | string | undefined): JwtNote[] {
  const found: Array<[string, string]> = [];
  for (const [name, value] of headers ?? []) if (isJwtValuedName(name)) found.push([name.toLowerCase(), value]);
  const text = typeof body === 'string' ? body : body?.encoding === 'utf8' ? body.text : undefined;
  if (text && /^[\w.~%+-]+=/.test(text)) {
    try {
      for (const [name, value] of new URLSearchParams(text)) if (isJwtValuedName(name)) found.push([name.toLowerCase(), value]);
    } catch {
      // not a form body
    }
  }
  const notes: JwtNote[] = [];
  for (const [name, value] of found) {
    const decoded = decodeJwtText(value);
    if (!decoded) continue;
    notes.push({
      label: LABELS[name] ?? name,
      header: decoded.header,
      claims: decoded.claims,
      signature: signatureFor(name, decoded.header.alg),
    });
  }
  return notes;
}

/** The JWTs of one request, decoded (nothing when it carries none). */
export function RequestJwts({ headers, body }: { headers: HeaderList | undefined; body: BodyCapture | string | undefined }) {
  const notes = requestJwts(headers, body);
  if (notes.length === 0) return null;
  return (
    <section className="border-b border-line" data-testid="request-jwts">
      <div className="flex h-7 items-center bg-panel-2 px-3 text-[11px] font-semibold tracking-wide text-muted uppercase">
        JWTs in this request, decoded
        <span className="ml-auto font-normal tracking-normal normal-case">{notes.length}</span>
      </div>
      <div className="flex flex-col gap-1.5 px-3 py-1.5">
        {notes.map((note, i) => (
          <JwtView key={i} note={note} testId="request-jwt" />
        ))}
      </div>
    </section>
  );
}
