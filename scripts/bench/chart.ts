// The capacity curve as a chart: an SVG drawn here (no charting dependency), turned into a PNG by the Chromium the
// tests already use. Three panels over live sessions (log scale): p50/p95 latency, CPU, RSS; one line per rate.
import { writeFileSync } from 'node:fs';
import { launchBrowser } from './browser';
import type { CapacityStep } from './capacity';

const WIDTH = 1300;
const HEIGHT = 470;
const PANEL_WIDTH = 330;
const PANEL_HEIGHT = 280;
const TOP = 100;
const LEFT = 70;
const GAP = 100;
const COLOURS = ['#2563eb', '#dc2626', '#059669', '#9333ea', '#d97706'];

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** Round "nice" ticks from 0 to at least `max`. */
function ticks(max: number): number[] {
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return Array.from({ length: Math.ceil(max / step) + 1 }, (_, i) => i * step);
}

interface Series {
  label: string;
  colour: string;
  dashed?: boolean;
  points: Array<[number, number]>;
}

function panel(x0: number, title: string, unit: string, xs: number[], series: Series[], logY = false): string {
  const values = series.flatMap((s) => s.points.map((p) => p[1]));
  const lx = (v: number) => Math.log10(v);
  // Latency spans milliseconds to seconds once a step saturates: a log scale keeps both readable.
  const yTicks = logY
    ? Array.from(
        { length: Math.ceil(lx(Math.max(...values))) - Math.floor(lx(Math.max(0.1, Math.min(...values)))) + 1 },
        (_, i) => 10 ** (Math.floor(lx(Math.max(0.1, Math.min(...values)))) + i),
      )
    : ticks(Math.max(1, ...values) * 1.05);
  const [bottom, top] = logY ? [lx(yTicks[0]!), lx(yTicks.at(-1)!)] : [0, yTicks.at(-1)!];
  const [xmin, xmax] = [lx(Math.min(...xs)), lx(Math.max(...xs))];
  const px = (v: number) => x0 + (xmax === xmin ? PANEL_WIDTH / 2 : ((lx(v) - xmin) / (xmax - xmin)) * PANEL_WIDTH);
  const py = (v: number) => {
    const at = logY ? lx(Math.max(v, 10 ** bottom)) : v;
    return TOP + PANEL_HEIGHT - ((at - bottom) / (top - bottom || 1)) * PANEL_HEIGHT;
  };
  const parts: string[] = [
    `<text x="${x0}" y="${TOP - 14}" font-size="15" font-weight="600">${escapeXml(title)}</text>`,
    `<rect x="${x0}" y="${TOP}" width="${PANEL_WIDTH}" height="${PANEL_HEIGHT}" fill="none" stroke="#cbd5e1"/>`,
  ];
  for (const t of yTicks) {
    parts.push(`<line x1="${x0}" x2="${x0 + PANEL_WIDTH}" y1="${py(t)}" y2="${py(t)}" stroke="#eef2f7"/>`);
    parts.push(`<text x="${x0 - 6}" y="${py(t) + 4}" font-size="11" text-anchor="end" fill="#475569">${t}${unit}</text>`);
  }
  for (const v of xs) {
    parts.push(`<line x1="${px(v)}" x2="${px(v)}" y1="${TOP}" y2="${TOP + PANEL_HEIGHT}" stroke="#eef2f7"/>`);
    parts.push(`<text x="${px(v)}" y="${TOP + PANEL_HEIGHT + 16}" font-size="11" text-anchor="middle" fill="#475569">${v}</text>`);
  }
  parts.push(
    `<text x="${x0 + PANEL_WIDTH / 2}" y="${TOP + PANEL_HEIGHT + 34}" font-size="12" text-anchor="middle" fill="#334155">live sessions</text>`,
  );
  for (const s of series) {
    const d = s.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    for (const [x, y] of s.points) parts.push(`<circle cx="${px(x)}" cy="${py(y)}" r="3" fill="${s.colour}"/>`);
  }
  return parts.join('\n');
}

export function capacitySvg(steps: readonly CapacityStep[], subtitle: string): string {
  const rates = [...new Set(steps.map((s) => s.ratePerSession))];
  const xs = [...new Set(steps.map((s) => s.sessions))];
  const byRate = (rate: number) => steps.filter((s) => s.ratePerSession === rate);
  const latency: Series[] = rates.flatMap((rate, i) => [
    { label: `p95, ${rate}/s per session`, colour: COLOURS[i % COLOURS.length]!, points: byRate(rate).map((s) => [s.sessions, s.p95Ms]) },
    {
      label: `p50, ${rate}/s per session`,
      colour: COLOURS[i % COLOURS.length]!,
      dashed: true,
      points: byRate(rate).map((s) => [s.sessions, s.p50Ms]),
    },
  ]);
  const cpu: Series[] = rates.map((rate, i) => ({
    label: `${rate}/s`,
    colour: COLOURS[i % COLOURS.length]!,
    points: byRate(rate).map((s) => [s.sessions, s.cpuPercent]),
  }));
  const rss: Series[] = rates.map((rate, i) => ({
    label: `${rate}/s`,
    colour: COLOURS[i % COLOURS.length]!,
    points: byRate(rate).map((s) => [s.sessions, s.rssBytes / 2 ** 20]),
  }));
  const legend = rates
    .map(
      (rate, i) =>
        `<g transform="translate(${LEFT + i * 420}, ${HEIGHT - 22})"><line x1="0" x2="22" y1="-4" y2="-4" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="2"/>` +
        `<text x="28" y="0" font-size="12">${rate} call/s per session (solid p95, dashed p50)</text></g>`,
    )
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="26" font-size="18" font-weight="700">mcpscope capacity: one process, tools/call through POST /rpc</text>`,
    `<text x="${LEFT}" y="48" font-size="12" fill="#475569">${escapeXml(subtitle)}</text>`,
    panel(LEFT, 'latency (ms, log scale)', '', xs, latency, true),
    panel(LEFT + PANEL_WIDTH + GAP, 'CPU of the app process (% of one core)', '%', xs, cpu),
    panel(LEFT + 2 * (PANEL_WIDTH + GAP), 'RSS of the app process (MB)', '', xs, rss),
    legend,
    '</svg>',
  ].join('\n');
}

/** Writes the chart as a PNG (and the SVG beside it when `svgFile` is given). */
export async function writeCapacityChart(
  steps: readonly CapacityStep[],
  subtitle: string,
  pngFile: string,
  svgFile?: string,
): Promise<void> {
  const svg = capacitySvg(steps, subtitle);
  if (svgFile) writeFileSync(svgFile, svg);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: 2 });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: pngFile });
  } finally {
    await browser.close();
  }
}
