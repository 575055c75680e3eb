// The figures measured in real Chromium through the real UI: connect-to-tools, the notification flood,
// and a 10 MB JSON tool result. Times are taken inside the page (performance.now on one document, or
// timeOrigin + now across documents), never by polling from the test process.
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { ApiClient } from './api';
import { max, percentile } from './stats';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // The functions handed to page.evaluate are compiled by tsx (esbuild keepNames), which wraps named
  // functions in a `__name` helper that does not exist in the page.
  await context.addInitScript('globalThis.__name = (fn) => fn;');
  return context;
}

// Runs in every document before the app: stamps the click on "Connect" and the first frame that shows a
// tool of the list, in epoch milliseconds (timeOrigin + now), kept in sessionStorage so a full navigation
// between the two would not lose the first stamp.
const CONNECT_PROBE = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('[data-testid="connect-submit"]') : null;
    if (target) sessionStorage.setItem('benchClick', String(now()));
  }, true);
  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending || sessionStorage.getItem('benchTools') || !sessionStorage.getItem('benchClick')) return;
    if (!document.querySelector('[data-testid^="tool-item-"]')) return;
    pending = true;
    requestAnimationFrame(() => sessionStorage.setItem('benchTools', String(now())));
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

/** Goes to the connect screen once it can take a click (hydrated: the network has settled). */
async function openConnectScreen(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
  await page.getByTestId('connect-url').waitFor({ state: 'visible' });
}

/** Connects through the UI like a person and waits for the tool list; returns the session id. */
export async function connectThroughUi(page: Page, origin: string, mcpUrl: string, timeoutMs = 30_000): Promise<string> {
  await openConnectScreen(page, origin);
  await page.getByTestId('connect-url').fill(mcpUrl);
  await page.getByTestId('connect-submit').click();
  await page.getByTestId('tool-item-add').waitFor({ state: 'visible', timeout: timeoutMs });
  const match = /\/inspect\/([^/?#]+)/.exec(page.url());
  if (!match) throw new Error(`not on a workspace page: ${page.url()}`);
  return decodeURIComponent(match[1]);
}

/** One connect-to-tools round in `page` (whose context has CONNECT_PROBE): ms from the click to the tool list on screen. */
async function connectRound(page: Page, origin: string, mcpUrl: string): Promise<number> {
  await openConnectScreen(page, origin);
  await page.evaluate(() => {
    sessionStorage.removeItem('benchClick');
    sessionStorage.removeItem('benchTools');
  });
  await page.getByTestId('connect-url').fill(mcpUrl);
  await page.getByTestId('connect-submit').click();
  await page.getByTestId('tool-item-add').waitFor({ state: 'visible', timeout: 30_000 });
  const stamps = await page.waitForFunction(
    () => {
      const click = sessionStorage.getItem('benchClick');
      const tools = sessionStorage.getItem('benchTools');
      return click && tools ? { click: Number(click), tools: Number(tools) } : null;
    },
    undefined,
    { timeout: 10_000 },
  );
  const { click, tools } = (await stamps.jsonValue()) as { click: number; tools: number };
  return tools - click;
}

export interface ConnectMeasurement {
  uiMs: number[];
  baselineMs: number[];
}

/**
 * Connect-to-tools rounds, each UI round next to a baseline round (a fresh SDK client's connect + listTools)
 * so both see the same machine load. One unmeasured warm-up of each first.
 */
export async function measureConnect(
  browser: Browser,
  origin: string,
  mcpUrl: string,
  rounds: number,
  baselineHandshake: () => Promise<number>,
): Promise<ConnectMeasurement> {
  const context = await newContext(browser);
  await context.addInitScript(CONNECT_PROBE);
  const page = await context.newPage();
  const uiMs: number[] = [];
  const baselineMs: number[] = [];
  try {
    await connectRound(page, origin, mcpUrl);
    await baselineHandshake();
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        uiMs.push(await connectRound(page, origin, mcpUrl));
        baselineMs.push(await baselineHandshake());
      } else {
        baselineMs.push(await baselineHandshake());
        uiMs.push(await connectRound(page, origin, mcpUrl));
      }
    }
  } finally {
    await context.close();
  }
  return { uiMs, baselineMs };
}

// ---------------------------------------------------------------------------------------------------
// Notification flood

export interface FloodMeasurement {
  /** notifications/message rows the messages view counts (its method filter's count). */
  shown: number;
  /** Growth of the messages badge over the flood. */
  badgeDelta: number;
  /** From the flood's start to all of it counted in the view. */
  allShownMs: number;
  longestTaskMs: number;
  longTasks: number;
  /** Longest gap between two animation frames during the flood. */
  longestFrameMs: number;
  heapBeforeGcBytes: number;
  heapAfterGcBytes: number;
  /** rpc-row elements in the DOM at the end (the list is virtualized when this stays small). */
  domRows: number;
}

function methodCount(page: Page, method: string): Promise<number> {
  return page.evaluate((name) => {
    const select = document.querySelector('[data-testid="messages-method-filter"]') as HTMLSelectElement | null;
    const option = select ? [...select.options].find((o) => o.value === name) : undefined;
    const match = option ? /\((\d+)\)\s*$/.exec(option.textContent ?? '') : null;
    return match ? Number(match[1]) : 0;
  }, method);
}

async function badgeCount(page: Page): Promise<number> {
  const text = await page.getByTestId('messages-count').textContent();
  return Number((text ?? '').replace(/\D/g, '')) || 0;
}

export async function measureFlood(browser: Browser, origin: string, mcpUrl: string, count: number): Promise<FloodMeasurement> {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    const sessionId = await connectThroughUi(page, origin, mcpUrl);
    await page.getByTestId('tab-messages').click();
    await page.getByTestId('rpc-list').waitFor({ state: 'visible' });
    const cookie = (await context.cookies(origin)).find((c) => c.name === 'mcpscope_owner');
    if (!cookie) throw new Error('no mcpscope_owner cookie in the browser');
    const api = new ApiClient(origin, `${cookie.name}=${cookie.value}`);

    const badgeBefore = await badgeCount(page);
    const before = await methodCount(page, 'notifications/message');
    const start = await page.evaluate(() => {
      const w = window as unknown as { benchTasks: Array<[number, number]>; benchFrames: number[]; benchFrameLoop: boolean };
      w.benchTasks = [];
      w.benchFrames = [];
      w.benchFrameLoop = true;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.benchTasks.push([entry.startTime, entry.duration]);
      }).observe({ type: 'longtask' });
      const tick = (t: number) => {
        w.benchFrames.push(t);
        if (w.benchFrameLoop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      return performance.now();
    });

    const call = api.rpc(sessionId, 'tools/call', { name: 'flood', arguments: { count, seconds: 1 } });
    const done = await page
      .waitForFunction(
        ([name, want]) => {
          const select = document.querySelector('[data-testid="messages-method-filter"]') as HTMLSelectElement | null;
          const option = select ? [...select.options].find((o) => o.value === name) : undefined;
          const match = option ? /\((\d+)\)\s*$/.exec(option.textContent ?? '') : null;
          return match && Number(match[1]) >= want ? performance.now() : null;
        },
        ['notifications/message', before + count] as const,
        { timeout: 45_000, polling: 'raf' },
      )
      .catch(() => null);
    const answer = await call;
    if (answer.error) throw new Error(`flood call failed: ${JSON.stringify(answer.error)}`);
    // Let the tail of the work (the response, the last renders) land inside the window too.
    await page.waitForTimeout(750);
    const end = done ? ((await done.jsonValue()) as number) : Number.NaN;
    const shown = (await methodCount(page, 'notifications/message')) - before;
    const badgeDelta = (await badgeCount(page)) - badgeBefore;
    const timing = await page.evaluate((from) => {
      const w = window as unknown as { benchTasks: Array<[number, number]>; benchFrames: number[]; benchFrameLoop: boolean };
      w.benchFrameLoop = false;
      const tasks = w.benchTasks.filter(([at]) => at >= from);
      let longestFrame = 0;
      for (let i = 1; i < w.benchFrames.length; i++) longestFrame = Math.max(longestFrame, w.benchFrames[i] - w.benchFrames[i - 1]);
      return {
        longest: tasks.reduce((m, [, d]) => Math.max(m, d), 0),
        count: tasks.length,
        longestFrame,
        rows: document.querySelectorAll('[data-testid="rpc-row"]').length,
      };
    }, start);

    const cdp = await context.newCDPSession(page);
    const heapBefore = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    await cdp.send('HeapProfiler.collectGarbage');
    const heapAfter = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    await cdp.detach();
    await api.deleteSession(sessionId).catch(() => undefined);

    return {
      shown,
      badgeDelta,
      allShownMs: end - start,
      longestTaskMs: timing.longest,
      longTasks: timing.count,
      longestFrameMs: timing.longestFrame,
      heapBeforeGcBytes: heapBefore,
      heapAfterGcBytes: heapAfter,
      domRows: timing.rows,
    };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// A 10 MB JSON tool result

export interface BigJsonMeasurement {
  /** From the /rpc response's last byte to the result on screen. */
  renderMs: number;
  /** Bytes of the /rpc response body (decoded), and as they came over the wire (gzip). */
  responseBytes: number;
  responseWireBytes: number;
  /** Elements inside the result once rendered, and its text length (collapsed when both stay small). */
  resultNodes: number;
  resultTextChars: number;
  collapsed: boolean;
  /** An expander was found, clicked, and showed more. */
  expandable: boolean;
  expandMs: number;
  /** Scrolling the result pane for ~1.5 s: frame intervals and long tasks. */
  scrollFrameP95Ms: number;
  scrollFrameMaxMs: number;
  scrollLongestTaskMs: number;
}

const COLLAPSED_MAX_NODES = 5_000;
const COLLAPSED_MAX_CHARS = 500_000;

export async function measureBigJson(browser: Browser, origin: string, mcpUrl: string, megabytes: number): Promise<BigJsonMeasurement> {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    const sessionId = await connectThroughUi(page, origin, mcpUrl);
    await page.getByTestId('tool-item-big_json').click();
    await page.getByTestId('call-tool').waitFor({ state: 'visible' });
    await page.evaluate(() => {
      const w = window as unknown as { benchTasks: Array<[number, number]> };
      w.benchTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.benchTasks.push([entry.startTime, entry.duration]);
      }).observe({ type: 'longtask' });
      performance.clearResourceTimings();
      performance.setResourceTimingBufferSize(1000);
    });
    // The form's default is 10 MB; set it when the bench asks for another size.
    if (megabytes !== 10) {
      const field = page.locator('[data-testid="tool-form"] input[type="number"]').first();
      await field.fill(String(megabytes));
    }
    await page.getByTestId('call-tool').click();
    // Rendered: the result section is there, holds its text block, and nothing in it says it is still busy
    // (a lazy renderer that parses in a worker marks its placeholder aria-busy="true").
    const rendered = await page.waitForFunction(
      () => {
        const result = document.querySelector('[data-testid="tool-result"]');
        if (!result) return null;
        if (result.getAttribute('data-status') === 'error') return `error: ${result.textContent ?? ''}`;
        if (!result.querySelector('[data-testid="text-content"], [data-testid="structured-content"]')) return null;
        if (result.querySelector('[aria-busy="true"]')) return null;
        return performance.now();
      },
      undefined,
      { timeout: 120_000, polling: 'raf' },
    );
    const renderedAt = (await rendered.jsonValue()) as number | string;
    if (typeof renderedAt === 'string') throw new Error(`the call failed in the UI: ${renderedAt.slice(0, 300)}`);
    const facts = await page.evaluate(() => {
      const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const rpc = entries.filter((e) => /\/api\/sessions\/[^/]+\/rpc$/.test(new URL(e.name).pathname)).pop();
      const result = document.querySelector('[data-testid="tool-result"]')!;
      return {
        responseEnd: rpc ? rpc.responseEnd : Number.NaN,
        bytes: rpc ? rpc.decodedBodySize : 0,
        wireBytes: rpc ? rpc.encodedBodySize : 0,
        nodes: result.querySelectorAll('*').length,
        chars: (result.textContent ?? '').length,
      };
    });
    const collapsed = facts.nodes <= COLLAPSED_MAX_NODES && facts.chars <= COLLAPSED_MAX_CHARS;

    // Expand one level: the first collapsed node of the result (an ARIA tree's expander).
    const expand = await page.evaluate(async () => {
      const result = document.querySelector('[data-testid="tool-result"]')!;
      const expander = result.querySelector<HTMLElement>(
        '[role="button"][aria-expanded="false"], button[aria-expanded="false"], [aria-expanded="false"]',
      );
      if (!expander) return { found: false, ms: Number.NaN, grew: false };
      const nodesBefore = result.querySelectorAll('*').length;
      const started = performance.now();
      expander.click();
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const ms = performance.now() - started;
      return { found: true, ms, grew: result.querySelectorAll('*').length > nodesBefore };
    });

    // Scroll the result's scroll container down and back for ~1.5 s, one step per frame.
    const scroll = await page.evaluate(async () => {
      const w = window as unknown as { benchTasks: Array<[number, number]> };
      const result = document.querySelector('[data-testid="tool-result"]') as HTMLElement;
      let scroller: HTMLElement | null = result;
      while (
        scroller &&
        !(scroller.scrollHeight > scroller.clientHeight + 4 && /(auto|scroll)/.test(getComputedStyle(scroller).overflowY))
      ) {
        scroller = scroller.parentElement;
      }
      const target = scroller ?? (document.scrollingElement as HTMLElement);
      const from = performance.now();
      const frames: number[] = [];
      await new Promise<void>((resolve) => {
        let last = performance.now();
        let direction = 1;
        const step = (t: number) => {
          frames.push(t - last);
          last = t;
          if (target.scrollTop + target.clientHeight >= target.scrollHeight - 2) direction = -1;
          else if (target.scrollTop <= 0) direction = 1;
          target.scrollTop += direction * 120;
          if (t - from < 1_500) requestAnimationFrame(step);
          else resolve();
        };
        requestAnimationFrame(step);
      });
      const tasks = w.benchTasks.filter(([at]) => at >= from);
      return { frames: frames.slice(1), longest: tasks.reduce((m, [, d]) => Math.max(m, d), 0) };
    });

    await new ApiClient(origin, await ownerCookie(context, origin)).deleteSession(sessionId).catch(() => undefined);
    return {
      renderMs: renderedAt - facts.responseEnd,
      responseBytes: facts.bytes,
      responseWireBytes: facts.wireBytes,
      resultNodes: facts.nodes,
      resultTextChars: facts.chars,
      collapsed,
      expandable: expand.found && expand.grew,
      expandMs: expand.ms,
      scrollFrameP95Ms: percentile(scroll.frames, 95),
      scrollFrameMaxMs: max(scroll.frames),
      scrollLongestTaskMs: scroll.longest,
    };
  } finally {
    await context.close();
  }
}

async function ownerCookie(context: BrowserContext, origin: string): Promise<string | undefined> {
  const cookie = (await context.cookies(origin)).find((c) => c.name === 'mcpscope_owner');
  return cookie ? `${cookie.name}=${cookie.value}` : undefined;
}
