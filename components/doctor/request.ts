// A Diagnose button elsewhere (the session banner) asks for a Doctor run; the Doctor panel, wherever it is
// mounted, takes the request and runs it once. A tiny external store, so neither needs the other's state.
import { useSyncExternalStore } from 'react';

const asked = new Set<string>();
const listeners = new Set<() => void>();

export function requestDiagnosis(sessionId: string): void {
  asked.add(sessionId);
  for (const listener of [...listeners]) listener();
}

/** Whether a run was asked for and not yet taken; `take` clears it. */
export function takeDiagnosisRequest(sessionId: string): boolean {
  return asked.delete(sessionId);
}

export function useDiagnosisRequested(sessionId: string): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => asked.has(sessionId),
    () => false,
  );
}
