// The timeline's time axis: piecewise linear, with the stretches where nothing happened collapsed into breaks, and a
// view window (zoom) over it. Pure, so it is unit-tested apart from React.
//
// Why not a charting library: the one piece a library would give (a linear scale with a few domain stops, nice
// ticks) is a dozen lines here, while the part that matters (which idle gaps to collapse, how wide a break is, a view
// over a broken axis) is in none of the small well-kept ones (d3-scale has polylinear scales but no breaks).

/** A bar on the chart: `end` undefined while it is still open (drawn to the axis end). */
export interface Interval {
  start: number;
  end?: number;
}

export interface AxisOptions {
  /** Idle stretches shorter than this are never collapsed (ms). */
  minGapMs?: number;
  /**
   * How long the session's own rhythm is (ms): the handshake's duration. An idle stretch is collapsed when it is
   * longer than `gapRatio` times this, so a slow server's pauses inside its handshake stay to scale.
   */
  referenceMs?: number;
  gapRatio?: number;
  /** The width of one break, as a fraction of the axis. */
  breakShare?: number;
  /** The most all breaks together may take of the axis. */
  maxBreaksShare?: number;
}

const DEFAULTS: Required<AxisOptions> = { minGapMs: 250, referenceMs: 0, gapRatio: 2, breakShare: 0.06, maxBreaksShare: 0.4 };

/** A stretch of the axis: time `from`–`to` drawn at `x0`–`x1` (fractions of the whole axis). */
export interface AxisPiece {
  kind: 'span' | 'break';
  from: number;
  to: number;
  x0: number;
  x1: number;
}

export interface TimeAxis {
  /** The time the axis ends at (ms since the log started). */
  end: number;
  /** Contiguous pieces from 0 to `end`, spans and breaks alternating as they fall. */
  pieces: AxisPiece[];
}

/** A window over the axis, as fractions of its whole width (0 ≤ from < to ≤ 1). */
export interface AxisView {
  from: number;
  to: number;
}

export const FULL_VIEW: AxisView = { from: 0, to: 1 };
/** The narrowest view: deeper zoom shows nothing new at this resolution. */
const MIN_VIEW_WIDTH = 0.002;

/**
 * Builds the axis for bars ending at `end` at the latest. Every bar's start and end is a moment something happened;
 * a stretch between two such moments is idle (a server thinking, a person answering an elicitation), and an idle
 * stretch longer than `minGapMs` and than `gapRatio` × `referenceMs` becomes a break of fixed width, labelled with
 * its duration by the view. A bar spanning a break is drawn across it.
 */
export function buildAxis(intervals: readonly Interval[], end: number, options: AxisOptions = {}): TimeAxis {
  const o = { ...DEFAULTS, ...options };
  const axisEnd = Math.max(end, 1);
  const points = new Set<number>([0, axisEnd]);
  const clampT = (t: number) => Math.max(0, Math.min(axisEnd, t));
  for (const interval of intervals) {
    if (Number.isFinite(interval.start)) points.add(clampT(interval.start));
    if (interval.end !== undefined && Number.isFinite(interval.end)) points.add(clampT(interval.end));
  }
  const sorted = [...points].sort((a, b) => a - b);
  const threshold = Math.max(o.minGapMs, o.gapRatio * o.referenceMs);
  const breaks: Array<{ from: number; to: number }> = [];
  for (let i = 1; i < sorted.length; i += 1) {
    const from = sorted[i - 1]!;
    const to = sorted[i]!;
    if (to - from > threshold) breaks.push({ from, to });
  }

  // Lay the pieces out: breaks get a fixed share, spans share the rest by their duration.
  const raw: Array<Omit<AxisPiece, 'x0' | 'x1'>> = [];
  let cursor = 0;
  for (const gap of breaks) {
    if (gap.from > cursor) raw.push({ kind: 'span', from: cursor, to: gap.from });
    raw.push({ kind: 'break', from: gap.from, to: gap.to });
    cursor = gap.to;
  }
  if (cursor < axisEnd || raw.length === 0) raw.push({ kind: 'span', from: cursor, to: axisEnd });
  const breakWidth = breaks.length === 0 ? 0 : Math.min(o.breakShare, o.maxBreaksShare / breaks.length);
  const spanTime = raw.reduce((sum, piece) => sum + (piece.kind === 'span' ? piece.to - piece.from : 0), 0);
  const spanCount = raw.filter((piece) => piece.kind === 'span').length;
  const spanRoom = 1 - breakWidth * breaks.length;
  let x = 0;
  const pieces = raw.map((piece) => {
    const width =
      piece.kind === 'break'
        ? breakWidth
        : spanTime > 0
          ? (spanRoom * (piece.to - piece.from)) / spanTime
          : spanRoom / Math.max(spanCount, 1);
    const laid: AxisPiece = { ...piece, x0: x, x1: x + width };
    x += width;
    return laid;
  });
  pieces[pieces.length - 1]!.x1 = 1;
  return { end: axisEnd, pieces };
}

/** Where time `t` falls on the whole axis (0–1). */
export function toX(axis: TimeAxis, t: number): number {
  if (t <= 0) return 0;
  if (t >= axis.end) return 1;
  for (const piece of axis.pieces) {
    if (t <= piece.to) {
      const length = piece.to - piece.from;
      return length <= 0 ? piece.x0 : piece.x0 + ((t - piece.from) / length) * (piece.x1 - piece.x0);
    }
  }
  return 1;
}

/** The time at axis position `x` (0–1); inside a break, proportionally across it. */
export function fromX(axis: TimeAxis, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return axis.end;
  for (const piece of axis.pieces) {
    if (x <= piece.x1) {
      const width = piece.x1 - piece.x0;
      return width <= 0 ? piece.from : piece.from + ((x - piece.x0) / width) * (piece.to - piece.from);
    }
  }
  return axis.end;
}

/** Where axis position `x` falls in `view` (0–1 inside it, beyond outside). */
export function inView(view: AxisView, x: number): number {
  return (x - view.from) / (view.to - view.from);
}

/** A valid view: ordered, inside the axis, not narrower than the minimum. */
export function clampView(view: AxisView): AxisView {
  let from = Math.min(view.from, view.to);
  let to = Math.max(view.from, view.to);
  if (to - from < MIN_VIEW_WIDTH) {
    const middle = (from + to) / 2;
    from = middle - MIN_VIEW_WIDTH / 2;
    to = middle + MIN_VIEW_WIDTH / 2;
  }
  if (from < 0) [from, to] = [0, to - from];
  if (to > 1) [from, to] = [Math.max(0, from - (to - 1)), 1];
  return { from, to };
}

/** The view that shows times `start`–`end`, with a little room on each side. */
export function fitView(axis: TimeAxis, start: number, end: number, pad = 0.03): AxisView {
  const x0 = toX(axis, start);
  const x1 = toX(axis, end);
  const room = (x1 - x0) * pad;
  return clampView({ from: Math.max(0, x0 - room), to: Math.min(1, x1 + room) });
}

/** The view zoomed by `factor` (2: twice as close) around axis position `center`. */
export function zoomView(view: AxisView, factor: number, center = (view.from + view.to) / 2): AxisView {
  const width = (view.to - view.from) / factor;
  const share = (center - view.from) / (view.to - view.from);
  return clampView({ from: center - width * share, to: center - width * share + width });
}

/** The view whose positions `a`–`b` (0–1, inside `view`) were brushed. */
export function brushView(view: AxisView, a: number, b: number): AxisView {
  const width = view.to - view.from;
  return clampView({ from: view.from + Math.min(a, b) * width, to: view.from + Math.max(a, b) * width });
}

/** A 1-2-5 step near `raw`. */
function niceStep(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw * 0.75) ?? raw;
}

export interface Tick {
  t: number;
  /** Position inside the view (0–1). */
  x: number;
}

/**
 * Round-number ticks over the visible spans (none inside breaks), about `count` of them, none closer than
 * `minSpacing` of the view's width.
 */
export function axisTicks(axis: TimeAxis, view: AxisView, count = 6, minSpacing = 0.08): Tick[] {
  const visible: Array<{ from: number; to: number }> = [];
  let visibleTime = 0;
  for (const piece of axis.pieces) {
    if (piece.kind !== 'span' || piece.x1 <= view.from || piece.x0 >= view.to) continue;
    const from = fromX(axis, Math.max(piece.x0, view.from));
    const to = fromX(axis, Math.min(piece.x1, view.to));
    if (to <= from) continue;
    visible.push({ from, to });
    visibleTime += to - from;
  }
  if (visibleTime <= 0) return [];
  const step = niceStep(visibleTime / count);
  const ticks: Tick[] = [];
  for (const range of visible) {
    for (let t = Math.ceil(range.from / step) * step; t <= range.to; t += step) {
      if (t <= 0) continue;
      const x = inView(view, toX(axis, t));
      if (x <= 0.001 || x >= 0.999) continue;
      if (ticks.length > 0 && x - ticks[ticks.length - 1]!.x < minSpacing) continue;
      ticks.push({ t, x });
      if (ticks.length > count * 4) return ticks;
    }
  }
  return ticks;
}
