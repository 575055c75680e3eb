// Relative times for tokens: pure, shared by the tokens screen and a session's Authorization panel.

/** "in 5 min", "3 h ago": how far an expiry is from now, roughly (a table's column). */
export function relativeTime(at: number, now: number): string {
  const delta = at - now;
  const abs = Math.abs(delta);
  const unit =
    abs < 60_000
      ? `${Math.round(abs / 1000)} s`
      : abs < 3_600_000
        ? `${Math.round(abs / 60_000)} min`
        : abs < 172_800_000
          ? `${Math.round(abs / 3_600_000)} h`
          : `${Math.round(abs / 86_400_000)} days`;
  return delta >= 0 ? `in ${unit}` : `${unit} ago`;
}

/** "in 4 min 05 s", "3 h 10 min ago": to the second while it is close, so a countdown visibly moves. */
export function preciseRelativeTime(at: number, now: number): string {
  const delta = at - now;
  const seconds = Math.floor(Math.abs(delta) / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  let unit: string;
  if (seconds < 60) unit = `${seconds} s`;
  else if (seconds < 3600) unit = `${Math.floor(seconds / 60)} min ${pad(seconds % 60)} s`;
  // Seconds up to two hours: a fresh token (usually an hour) visibly counts down from the start.
  else if (seconds < 7200) unit = `${Math.floor(seconds / 3600)} h ${pad(Math.floor((seconds % 3600) / 60))} min ${pad(seconds % 60)} s`;
  else if (seconds < 172_800) unit = `${Math.floor(seconds / 3600)} h ${pad(Math.floor((seconds % 3600) / 60))} min`;
  else unit = `${Math.floor(seconds / 86_400)} days`;
  if (seconds === 0) return 'just now';
  return delta >= 0 ? `in ${unit}` : `${unit} ago`;
}
