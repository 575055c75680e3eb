import { describe, expect, it } from 'vitest';
import {
  axisTicks,
  brushView,
  buildAxis,
  clampView,
  fitView,
  FULL_VIEW,
  fromX,
  inView,
  toX,
  zoomView,
  type Interval,
} from '@/components/timeline/scale';

// A handshake of ~120 ms, then a tool call whose elicitation waited 30 s for the person, then its answer.
const HANDSHAKE: Interval[] = [
  { start: 0, end: 118 },
  { start: 2, end: 40 },
  { start: 41, end: 90 },
  { start: 91, end: 118 },
  { start: 95 }, // the standing GET stream, still open
];
const ELICITATION: Interval[] = [
  { start: 30_000, end: 60_150 },
  { start: 30_010, end: 60_100 },
];

describe('time axis', () => {
  it('collapses a long idle stretch into one break, so the handshake keeps most of the width', () => {
    const axis = buildAxis([...HANDSHAKE, ...ELICITATION], 60_150, { referenceMs: 118 });
    const breaks = axis.pieces.filter((piece) => piece.kind === 'break');
    expect(breaks.map(({ from, to }) => [from, to])).toEqual([
      [118, 30_000],
      [30_010, 60_100],
    ]);
    // Without breaks the handshake would take 0.2 % of the axis (1–2 px); with them, most of it.
    expect(toX(axis, 118)).toBeGreaterThan(0.5);
    for (const piece of breaks) expect(piece.x1 - piece.x0).toBeCloseTo(0.06, 10);
    // Pieces tile the axis in order.
    axis.pieces.forEach((piece, index) => {
      expect(piece.x1).toBeGreaterThanOrEqual(piece.x0);
      if (index > 0) expect(piece.x0).toBeCloseTo(axis.pieces[index - 1]!.x1, 10);
    });
    expect(axis.pieces[0]!.x0).toBe(0);
    expect(axis.pieces.at(-1)!.x1).toBe(1);
  });

  it('keeps a busy handshake with short pauses linear', () => {
    const slow: Interval[] = [
      { start: 0, end: 3_000 },
      { start: 10, end: 800 },
      { start: 1_050, end: 1_900 },
      { start: 2_150, end: 3_000 },
    ];
    const axis = buildAxis(slow, 3_000, { referenceMs: 3_000 });
    expect(axis.pieces).toHaveLength(1);
    expect(toX(axis, 1_500)).toBeCloseTo(0.5, 10);
  });

  it('collapses the quiet minutes between tool calls', () => {
    const calls: Interval[] = [{ start: 0, end: 100 }];
    for (let i = 1; i <= 6; i++) calls.push({ start: i * 5_000, end: i * 5_000 + 20 });
    const axis = buildAxis(calls, 30_020, { referenceMs: 100 });
    expect(axis.pieces.filter((piece) => piece.kind === 'break')).toHaveLength(6);
  });

  it('bounds the room many breaks take', () => {
    const pings: Interval[] = [];
    for (let i = 0; i < 200; i++) pings.push({ start: i * 1_000, end: i * 1_000 + 5 });
    const axis = buildAxis(pings, 199_005, { referenceMs: 5 });
    const breaks = axis.pieces.filter((piece) => piece.kind === 'break');
    expect(breaks.length).toBeGreaterThan(100);
    const breakRoom = breaks.reduce((sum, piece) => sum + piece.x1 - piece.x0, 0);
    expect(breakRoom).toBeCloseTo(0.4, 6);
  });

  it('collapses nothing below the minimum gap, whatever the reference', () => {
    const axis = buildAxis(
      [
        { start: 0, end: 10 },
        { start: 240, end: 250 },
      ],
      250,
      { referenceMs: 1 },
    );
    expect(axis.pieces).toHaveLength(1);
  });

  it('maps times to positions and back, monotonically', () => {
    const axis = buildAxis([...HANDSHAKE, ...ELICITATION], 60_150, { referenceMs: 118 });
    let previous = -1;
    for (const t of [0, 1, 50, 118, 5_000, 29_999, 30_000, 30_005, 45_000, 60_100, 60_150]) {
      const x = toX(axis, t);
      expect(x).toBeGreaterThan(previous);
      previous = x;
      expect(fromX(axis, x)).toBeCloseTo(t, 6);
    }
    expect(toX(axis, -5)).toBe(0);
    expect(toX(axis, 1e9)).toBe(1);
  });

  it('handles an empty log and zero-length bars', () => {
    const axis = buildAxis([], 0);
    expect(axis.pieces).toEqual([{ kind: 'span', from: 0, to: 1, x0: 0, x1: 1 }]);
    const point = buildAxis([{ start: 5, end: 5 }], 5);
    expect(toX(point, 5)).toBe(1);
  });
});

describe('views', () => {
  const axis = buildAxis([...HANDSHAKE, ...ELICITATION], 60_150, { referenceMs: 118 });

  it('fits the handshake with a little room', () => {
    const view = fitView(axis, 0, 118);
    expect(view.from).toBe(0);
    expect(inView(view, toX(axis, 118))).toBeGreaterThan(0.95);
    expect(inView(view, toX(axis, 118))).toBeLessThan(1);
    // The elicitation's answer is past the right edge.
    expect(inView(view, toX(axis, 60_100))).toBeGreaterThan(1);
  });

  it('zooms around a point and stays inside the axis', () => {
    const zoomed = zoomView(FULL_VIEW, 4, 0.5);
    expect(zoomed.from).toBeCloseTo(0.375, 10);
    expect(zoomed.to).toBeCloseTo(0.625, 10);
    expect(zoomView(zoomed, 0.1)).toEqual(FULL_VIEW);
    const edge = zoomView(FULL_VIEW, 4, 0);
    expect(edge.from).toBe(0);
    expect(edge.to).toBeCloseTo(0.25, 10);
  });

  it('brushes a range inside the current view, in either direction', () => {
    const view = { from: 0.2, to: 0.6 };
    const brushed = brushView(view, 0.75, 0.25);
    expect(brushed.from).toBeCloseTo(0.3, 10);
    expect(brushed.to).toBeCloseTo(0.5, 10);
  });

  it('never gets narrower than the minimum or out of order', () => {
    const narrow = clampView({ from: 0.5, to: 0.5 });
    expect(narrow.to - narrow.from).toBeCloseTo(0.002, 10);
    expect(clampView({ from: 0.9, to: 0.1 })).toEqual({ from: 0.1, to: 0.9 });
  });

  it('puts round ticks on the visible spans only, spaced apart', () => {
    const ticks = axisTicks(axis, fitView(axis, 0, 118));
    expect(ticks.map((tick) => tick.t)).toEqual([20, 40, 60, 80, 100]);
    const all = axisTicks(axis, FULL_VIEW);
    expect(all.length).toBeGreaterThan(2);
    for (const tick of all) {
      expect(axis.pieces.some((piece) => piece.kind === 'break' && tick.t > piece.from && tick.t < piece.to)).toBe(false);
    }
    for (let i = 1; i < all.length; i++) expect(all[i]!.x - all[i - 1]!.x).toBeGreaterThanOrEqual(0.08);
  });
});
