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
