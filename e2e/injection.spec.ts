import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { HOSTILE_RESOURCES, javascriptUrl, OAUTH_VARIANTS, PWNED_KEY, type OAuthVariant, type Recorded } from './fixtures/hostile';
import { callConfigureOverLimit, connectThroughOAuth, connectTo, fixtureUrl, openTool } from './helpers';

// Script injection through what a server controls (issue 12, critical). A hostile server's OAuth metadata names a
// javascript: authorization endpoint, its elicitations and links point at javascript:, its resources are SVG and
// HTML with scripts. Every payload (e2e/fixtures/hostile.ts) marks localStorage and sends /api/tokens to the
// fixture's /record: the tests assert neither happened, that the page says why, and that the log has a finding.
// Then the second line: the Content-Security-Policy on every answer, which stops an injection that gets in anyway.

const hostileMcp = () => fixtureUrl('hostile');
const hostileOrigin = () => new URL(hostileMcp()).origin;
const oauthUrl = (variant: OAuthVariant) => `${hostileOrigin()}/oauth/${variant}/mcp`;

/** Messages a page logs when its Content-Security-Policy refuses something, and uncaught errors. */
function watchConsole(page: Page): { violations: string[]; errors: string[] } {
  const seen = { violations: [] as string[], errors: [] as string[] };
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to (execute|load|run|apply|connect|frame|create)/i.test(text)) seen.violations.push(text);
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  return seen;
}

async function recorded(request: APIRequestContext, from: string): Promise<Recorded[]> {
  const response = await request.get(`${hostileOrigin()}/recorded`);
  return ((await response.json()) as Recorded[]).filter((entry) => entry.from === from || entry.from.startsWith(`${from}-`));
}

async function pwnedMarker(page: Page): Promise<string | null> {
  return page.evaluate((key) => localStorage.getItem(key), PWNED_KEY);
}

/** A payload reports within milliseconds of running; this long without a report means it did not run. */
const SETTLE_MS = 1_000;

async function readResource(page: Page, uri: string) {
  await page.getByTestId('tab-resources').click();
  await page.locator(`[data-testid="resource-item"][data-uri="${uri}"]`).click();
  const content = page.locator(`[data-testid="resource-content"][data-uri="${uri}"]`);
  if (!(await content.isVisible())) await page.getByTestId('read-resource').click();
  await expect(content).toBeVisible();
  return content;
}

test.describe('a hostile server cannot run script on mcpscope’s origin', () => {
  test('control: the payload is live (on a page without mcpscope’s defences it runs and reports)', async ({ page, request }) => {
    await page.goto(`${hostileOrigin()}/page`);
    await page.evaluate((url) => window.location.assign(url), javascriptUrl(hostileOrigin(), 'control'));
    await expect.poll(() => pwnedMarker(page)).toBe('control');
    await expect.poll(async () => (await recorded(request, 'control')).length).toBeGreaterThan(0);
  });

  const scheme: Record<OAuthVariant, RegExp> = {
    'authorize-javascript': /authorization_endpoint .* is a javascript: URL/,
    'authorize-data': /authorization_endpoint .* is a data: URL/,
    'token-file': /token_endpoint .* is a file: URL/,
    'token-javascript': /token_endpoint .* is a javascript: URL/,
    'as-javascript': /authorization_servers .* is a javascript: URL/,
  };

  for (const variant of Object.keys(OAUTH_VARIANTS) as OAuthVariant[]) {
    test(`OAuth metadata where ${OAUTH_VARIANTS[variant]}: refused with unsafe_url and a finding; nothing runs`, async ({
      page,
      request,
    }) => {
      const seen = watchConsole(page);
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto('/');
      const appOrigin = new URL(page.url()).origin;
      await page.getByTestId('connect-url').fill(oauthUrl(variant));
      await page.getByTestId('connect-submit').click();

      await expect(page).toHaveURL(/\/inspect\/[^/]+$/);
      await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'auth_required');
      const error = page.getByTestId('auth-error');
      await expect(error).toContainText('(unsafe_url)');
      await expect(error).toContainText(scheme[variant]);
      await expect(page.getByTestId('authorize-link')).toHaveCount(0);

      await page.getByTestId('tab-findings').click();
      const finding = page.locator('[data-testid="finding-row"][data-code="unsafe_url"]').first();
      await expect(finding).toBeVisible();

      await page.waitForTimeout(SETTLE_MS);
      expect(new URL(page.url()).origin).toBe(appOrigin);
      expect(await pwnedMarker(page)).toBeNull();
      expect(await recorded(request, variant)).toEqual([]);
      expect(dialogs).toEqual([]);
      // Not even the Content-Security-Policy had to step in: the URL never reached the browser's navigation.
      expect(seen.violations).toEqual([]);
      expect(seen.errors).toEqual([]);
    });
  }

  test('a URL-mode elicitation of a javascript: page: "Open URL and accept" stays disabled with the reason; declining works', async ({
    page,
    request,
  }) => {
    await connectTo(page, hostileMcp());
    await openTool(page, 'open_page');
    await page.locator('#root_url').fill(javascriptUrl(hostileOrigin(), 'elicitation'));
    await page.getByTestId('call-tool').click();

    const card = page.getByTestId('elicitation-url');
    await expect(card).toBeVisible();
    const accept = card.getByTestId('elicit-accept');
    await expect(accept).toBeDisabled();
    await expect(accept).toHaveAttribute('title', /javascript: URL/);
    await expect(card.getByTestId('elicitation-url-refused')).toContainText('javascript: URL, which runs script');
    await expect(card.getByTestId('elicitation-host')).toContainText('will not open');
    // Forcing the click changes nothing: the button does not open anything.
    await accept.click({ force: true });
    await card.getByTestId('elicit-decline').click();
    await expect(page.getByTestId('tool-result')).toContainText('The person answered: decline');

    await page.getByTestId('tab-findings').click();
    await expect(page.locator('[data-testid="finding-row"][data-code="unsafe_url"]').first()).toBeVisible();
    await page.waitForTimeout(SETTLE_MS);
    expect(await pwnedMarker(page)).toBeNull();
    expect(await recorded(request, 'elicitation')).toEqual([]);
  });

  test('a -32042 error to a javascript: page and Markdown javascript: links are never links', async ({ page, request }) => {
    await connectTo(page, hostileMcp());
    await openTool(page, 'needs_page');
    await page.getByTestId('call-tool').click();
    await expect(page.getByTestId('url-elicitation-invalid')).toContainText('javascript: URL');
    await expect(page.getByTestId('url-elicitation-open')).toHaveCount(0);

    await openTool(page, 'markdown_links');
    await page.getByTestId('call-tool').click();
    const markdown = page.getByTestId('markdown');
    await expect(markdown).toContainText('Read your tokens');
    await expect(markdown.locator('a[href="https://docs.example/page"]')).toHaveCount(1);
    await expect(markdown.locator('a[href]')).toHaveCount(1);
    await markdown.getByText('Read your tokens').click();
    await page.waitForTimeout(SETTLE_MS);
    expect(await pwnedMarker(page)).toBeNull();
    expect(await recorded(request, 'markdown-link')).toEqual([]);
    expect(await recorded(request, 'url-elicitation-required')).toEqual([]);
  });
});

test.describe('server files are saved, never opened on mcpscope’s origin', () => {
  // Without the Content-Security-Policy, so that this defence is tested on its own: a blob that kept the server's
  // text/html or image/svg+xml type would render in the tab and its script would run (and report).
  test.use({ bypassCSP: true });

  for (const [name, uri, fileName] of [
    ['HTML page', HOSTILE_RESOURCES.html, 'page.html'],
    ['SVG with a script', HOSTILE_RESOURCES.svg, 'drawing.svg'],
  ] as const) {
    test(`a resource’s ${name}: the download is application/octet-stream named ${fileName}, and opening it in a tab saves it`, async ({
      page,
      context,
      request,
    }) => {
      await connectTo(page, hostileMcp());
      const content = await readResource(page, uri);
      const link = content.getByTestId('resource-download');
      await expect(link).toHaveAttribute('download', fileName);
      const href = (await link.getAttribute('href')) ?? '';
      expect(href).toMatch(/^blob:/);
      const served = await page.evaluate(async (url) => {
        const response = await fetch(url);
        return { type: response.headers.get('content-type'), blobType: (await response.blob()).type };
      }, href);
      expect(served).toEqual({ type: 'application/octet-stream', blobType: 'application/octet-stream' });

      // What "open in new tab" does: the browser saves the file instead of rendering it.
      const tab = await context.newPage();
      const download = tab.waitForEvent('download');
      await tab.goto(href).catch(() => undefined);
      expect((await download).suggestedFilename()).toBeTruthy();
      await tab.close();

      if (uri === HOSTILE_RESOURCES.svg) {
        // The preview shows the picture as a data: image (an <img> never runs script; a data: URL has no origin).
        await expect(content.getByTestId('resource-image')).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
      } else {
        await content.getByText('Render (sandboxed, no scripts)').click();
        await expect(content.locator('iframe[sandbox=""]')).toBeVisible();
      }
      await page.waitForTimeout(SETTLE_MS);
      expect(await pwnedMarker(page)).toBeNull();
      expect(await recorded(request, uri === HOSTILE_RESOURCES.svg ? 'resource-svg' : 'resource-html')).toEqual([]);
    });
  }

  test('embedded resources in a tool result: the HTML is offered as an octet-stream download, the SVG shown as a data: image', async ({
    page,
    request,
  }) => {
    await connectTo(page, hostileMcp());
    await openTool(page, 'embedded_files');
    await page.getByTestId('call-tool').click();
    const download = page.getByTestId('embedded-resource-download');
    await expect(download).toHaveAttribute('download', 'page.html');
    const href = (await download.getAttribute('href')) ?? '';
    expect(await page.evaluate(async (url) => (await (await fetch(url)).blob()).type, href)).toBe('application/octet-stream');
    await expect(page.locator('[data-testid="embedded-resource"] img')).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
    await page.waitForTimeout(SETTLE_MS);
    expect(await pwnedMarker(page)).toBeNull();
    expect(await recorded(request, 'embedded')).toEqual([]);
  });
});

test.describe('Content-Security-Policy', () => {
  const directives = (header: string) =>
    new Map(
      header
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .map(([name, ...sources]) => [name!, sources]),
    );
  const nonceOf = (header: string) => /'nonce-([^']+)'/.exec(header)?.[1];

  test('every answer carries it; pages get a fresh nonce each time, on every script Next renders', async ({ page, request }) => {
    const first = (await request.get('/')).headers();
    const second = (await request.get('/')).headers();
    for (const headers of [first, second]) {
      const policy = directives(headers['content-security-policy'] ?? '');
      expect(policy.get('script-src')).toEqual(expect.arrayContaining(["'strict-dynamic'"]));
      expect(policy.get('script-src')!.join(' ')).not.toMatch(/unsafe-(eval|inline)/);
      expect(policy.get('object-src')).toEqual(["'none'"]);
      expect(policy.get('base-uri')).toEqual(["'none'"]);
      // Framed by mcpscope itself only (the split view); e2e/split-view.spec.ts shows another origin refused.
      expect(policy.get('frame-ancestors')).toEqual(["'self'"]);
      expect(headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    }
    const nonces = [nonceOf(first['content-security-policy']!), nonceOf(second['content-security-policy']!)];
    expect(nonces[0]).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonces[1]).not.toBe(nonces[0]);

    const response = await page.goto('/');
    const nonce = nonceOf((await response!.allHeaders())['content-security-policy'] ?? '');
    const scripts = await page.evaluate(() => [...document.scripts].map((script) => ({ nonce: script.nonce, src: script.src })));
    expect(scripts.length).toBeGreaterThan(3);
    for (const script of scripts) expect(script.nonce, script.src || 'inline script').toBe(nonce);

    // Route handlers, refusals and API answers too; pages whose URL is a secret send no referrer at all.
    const callback = await request.get('/callback?state=unknown&code=x');
    expect(callback.headers()['content-type']).toContain('text/html');
    expect(callback.headers()['content-security-policy']).toContain("script-src 'self' 'nonce-");
    expect(callback.headers()['referrer-policy']).toBe('no-referrer');
    const refused = await request.get('/', { headers: { host: 'evil.example', accept: 'text/html' } });
    expect(refused.status()).toBe(403);
    expect(refused.headers()['content-security-policy']).toContain("object-src 'none'");
    expect((await request.get('/share/AAAAAAAAAAAAAAAAAAAAAAAA')).headers()['referrer-policy']).toBe('no-referrer');
    expect((await request.get('/api/health')).headers()['content-security-policy']).toContain("frame-ancestors 'self'");
  });

  test('markup injected into a page cannot run script: event handlers, inline scripts, javascript: links', async ({ page, context }) => {
    const inject = async (target: Page) => {
      await target.evaluate((key) => {
        document.body.insertAdjacentHTML(
          'beforeend',
          `<img src="x:" onerror="localStorage.setItem('${key}','onerror')">` +
            `<iframe srcdoc="<script>parent.localStorage.setItem('${key}','srcdoc')</script>"></iframe>` +
            `<a id="injected-link" href="javascript:localStorage.setItem('${key}','href')">x</a>`,
        );
      }, PWNED_KEY);
      await target.locator('#injected-link').click();
      await target.waitForTimeout(SETTLE_MS);
    };

    // Control: the same markup on a page without a policy runs.
    const control = await context.newPage();
    await control.goto(`${hostileOrigin()}/page`);
    await inject(control);
    expect(await pwnedMarker(control)).not.toBeNull();
    await control.close();

    const seen = watchConsole(page);
    await page.goto('/');
    await inject(page);
    expect(await pwnedMarker(page)).toBeNull();
    // The policy refused each of them (inline handler, the frame's inline script, the javascript: URL).
    expect(seen.violations.length).toBeGreaterThanOrEqual(3);
  });

  test('the main views work under it: no violation, no error (connect, tools, JSON editor, resources, big JSON, PDF, OAuth, share viewer)', async ({
    page,
    browser,
  }) => {
    test.setTimeout(180_000);
    const seen = watchConsole(page);

    // A tool form validated in the browser, and the JSON editor (CodeMirror).
    await connectTo(page, fixtureUrl('stateful'));
    await callConfigureOverLimit(page);
    await page.locator('#root_profile_settings_fontSize').fill('14');
    await page.getByTestId('call-tool').click();
    await expect(page.getByTestId('tool-result')).toContainText('"fontSize": 14');
    await openTool(page, 'add');
    await page.getByTestId('format-json').click();
    await expect(page.locator('.cm-content')).toBeVisible();

    // The demo server: Markdown, JSON and a PNG resource (a blob with its own type).
    await page.goto('/');
    await page.getByTestId('demo-button').click();
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    await page.getByTestId('tab-resources').click();
    for (const item of await page.getByTestId('resource-item').all()) {
      const uri = (await item.getAttribute('data-uri')) ?? '';
      await item.click();
      await expect(page.locator(`[data-testid="resource-content"][data-uri="${uri}"]`)).toBeVisible();
      if ((await item.textContent())?.includes('picture')) {
        await expect(page.getByTestId('resource-image')).toHaveJSProperty('complete', true);
        expect(await page.getByTestId('resource-image').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);
      }
    }

    // A 300 KB JSON result, parsed in the web worker; a PDF preview (blob: frame).
    await connectTo(page, hostileMcp());
    await openTool(page, 'big_json');
    await page.getByTestId('call-tool').click();
    await expect(page.getByTestId('big-json-tree')).toBeVisible();
    const pdf = await readResource(page, HOSTILE_RESOURCES.pdf);
    await expect(pdf.getByTestId('resource-pdf')).toHaveAttribute('src', /^blob:/);
    const png = await readResource(page, HOSTILE_RESOURCES.png);
    await expect(png.getByTestId('resource-image')).toHaveJSProperty('complete', true);
    expect(await png.getByTestId('resource-image').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(16);

    // OAuth: to the authorization server and back through /callback.
    await connectThroughOAuth(page, fixtureUrl('oauth'));

    // The share viewer, in a fresh browser.
    await page.getByTestId('share-open').click();
    await page.getByTestId('share-create').click();
    const url = await page.getByTestId('share-url').inputValue();
    const fresh = await browser.newContext();
    try {
      const visitor = await fresh.newPage();
      const visitorSeen = watchConsole(visitor);
      await visitor.goto(url);
      await expect(visitor.getByTestId('readonly-badge')).toHaveAttribute('data-source', 'share');
      await visitor.getByTestId('tab-timeline').click();
      await visitor.getByTestId('tab-traffic').click();
      await expect(visitor.getByTestId('exchange-row').first()).toBeVisible();
      expect(visitorSeen.violations).toEqual([]);
      expect(visitorSeen.errors).toEqual([]);
    } finally {
      await fresh.close();
    }
    await page.goto('/tokens');
    await expect(page.getByTestId('tokens-table')).toBeVisible();

    expect(seen.violations).toEqual([]);
    expect(seen.errors).toEqual([]);
  });
});
