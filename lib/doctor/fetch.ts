// The fetch the Doctor sends with: the session's guarded fetch, or, for a run that trusts one self-signed
// certificate, a guarded fetch over an https agent that trusts exactly that certificate (names still checked).
import { createHttpFetch } from '../http-client';
import { guardedFetchFor, type SecuritySettings } from '../security';
import type { TraceLog } from '../trace';

export function doctorFetchFactory(log: Pick<TraceLog, 'finding'>, settings?: SecuritySettings): (ca?: string[]) => typeof fetch {
  return (ca) => guardedFetchFor(log, { ...(settings ? { settings } : {}), ...(ca ? { fetch: createHttpFetch({ ca }) } : {}) });
}
