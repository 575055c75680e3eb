import { useState } from 'react';
import { IconChevronDown, IconChevronRight } from '../ui';
import { Field } from './Field';

/** A connect form's timeouts as typed (seconds, '' for the server's default), in the shape TimeoutFields takes. */
export function useTimeoutFields() {
  const [connectTimeoutS, onConnectTimeoutS] = useState('');
  const [requestTimeoutS, onRequestTimeoutS] = useState('');
  return { connectTimeoutS, requestTimeoutS, onConnectTimeoutS, onRequestTimeoutS };
}

/** The folded "Timeouts" section of a connect form: seconds, empty for the server's default. */
export function TimeoutFields({
  connectTimeoutS,
  requestTimeoutS,
  onConnectTimeoutS,
  onRequestTimeoutS,
}: {
  connectTimeoutS: string;
  requestTimeoutS: string;
  onConnectTimeoutS(value: string): void;
  onRequestTimeoutS(value: string): void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <div className="mt-3">
      <button
        type="button"
        className="inline-flex items-center gap-1 text-xs text-muted hover:text-fg"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        {open ? <IconChevronDown className="h-3 w-3" /> : <IconChevronRight className="h-3 w-3" />}
        Timeouts
      </button>
      {open && (
        <div className="mt-2 flex gap-3">
          <Field
            label="Connect timeout (s)"
            fieldClassName="flex-1"
            type="number"
            min={1}
            // The server's maximum (lib/config MAX_CONNECT_TIMEOUT_MS); above it the connect is refused, saying so.
            max={120}
            placeholder="15"
            value={connectTimeoutS}
            onChange={(event) => onConnectTimeoutS(event.target.value)}
          />
          <Field
            label="Request timeout (s)"
            fieldClassName="flex-1"
            type="number"
            min={1}
            placeholder="60"
            value={requestTimeoutS}
            onChange={(event) => onRequestTimeoutS(event.target.value)}
          />
        </div>
      )}
    </div>
  );
}
