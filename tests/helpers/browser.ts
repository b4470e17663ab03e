import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from './test-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const UI_DIST_INDEX = join(ROOT, 'labeling-ui', 'dist', 'index.html');
/** What the UI build reads: a change in any of these makes the build stale. */
const UI_SOURCES = [join(ROOT, 'labeling-ui', 'src'), join(ROOT, 'labeling-ui', 'index.html'), join(ROOT, 'labeling-ui', 'vite.config.ts'), join(ROOT, 'core', 'labels')];

/** The system's Chromium (Debian package); browser tests never download one. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Builds the labeling UI (`npm run build:ui`) unless labeling-ui/dist is newer than every
 * source it is built from, so a single browser test run by hand tests the code as it is.
 */
export async function ensureUiBuilt(): Promise<void> {
  const built = await mtimeOf(UI_DIST_INDEX);
  if (built !== null) {
    let newest = 0;
    for (const source of UI_SOURCES) newest = Math.max(newest, await newestMtime(source));
    if (newest <= built) return;
  }
  await promisify(execFile)('npx', ['vite', 'build', '--config', 'labeling-ui/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT });
}

/** Headless Chromium as the tests and benchmarks drive it: no sandbox (containers), no GPU, no background traffic. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export interface BrowserFixture {
  readonly server: TestServer;
  readonly browser: Browser;
  /** Opens a fresh browser context (its own cookies) with a page at the UI, signed in as `name`. */
  signIn(name: string, password: string): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/**
 * The real server (startTestServer: PGlite in a temporary directory) serving a current UI
 * build, and a headless Chromium. Every page error and refused request (e.g. a CSP violation
 * or a failed script) is collected: `signIn` pages fail the test through `errorsOf`.
 */
export async function openBrowserFixture(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<BrowserFixture> {
  await ensureUiBuilt();
  const server = await startTestServer(overrides);
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    server,
    browser,
    async signIn(name, password) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      watchErrors(page);
      await page.goto(`${server.url}/#/login`);
      await page.getByTestId('login-name').fill(name);
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('signed-in-user').filter({ hasText: name }).waitFor();
      return { context, page };
    },
    async close() {
      await browser.close().catch(() => undefined);
      await server.close();
    },
  };
}

const pageErrors = new WeakMap<Page, string[]>();

/**
 * Records the page's uncaught errors and console errors (CSP refusals are reported there).
 * The 401 of `GET /v1/session` on a page opened signed out is how the UI learns it must sign
 * in; Chromium logs it like any failed load, so it is not counted.
 */
export function watchErrors(page: Page): void {
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const signedOut = /status of 401/.test(message.text()) && new URL(message.location().url).pathname === '/v1/session';
    if (!signedOut) errors.push(`console error: ${message.text()} (${message.location().url})`);
  });
}

/** What went wrong in the page so far, as watchErrors saw it. */
export function errorsOf(page: Page): readonly string[] {
  return pageErrors.get(page) ?? [];
}

async function mtimeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return null;
  }
}

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}
