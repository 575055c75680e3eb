import type { ReactNode } from 'react';
import { Callout } from '../ui';

/** Why a connect (URL or command) failed, with its code; `children` are the buttons that try again. */
export function ConnectError({
  title,
  error,
  message = error.message,
  children,
}: {
  title: string;
  error: { code: string; message: string };
  /** The sentence shown, when it differs from the error's own (a suggestion already offered as a button). */
  message?: string;
  children?: ReactNode;
}) {
  return (
    <Callout
      tone="err"
      title={title}
      message={message}
      code={error.code}
      testId="connect-error"
      codeTestId="connect-error-code"
      className="mt-4"
    >
      {children}
    </Callout>
  );
}

/**
 * The error a connect form shows: its own check of the input first, else the server's refusal. A failure that
 * left a session behind is not shown here: the form goes on to that session, whose log says how it failed.
 */
export function shownConnectError(
  localError: string | null,
  failure: { code: string; message: string; sessionId?: string } | null,
): { code: string; message: string } | null {
  if (localError) return { code: 'invalid_input', message: localError };
  return failure && !failure.sessionId ? { code: failure.code, message: failure.message } : null;
}
