import { accessSync, constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, type ConsoleMessage, type Page, chromium, errors } from 'playwright-core';

/** Screenshots and PDFs the browser tests keep for a human to look at (git-ignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

export const CHROMIUM_ENV = 'FIREDRILL_CHROMIUM';
/** The window a page opens in unless a test asks for another: a laptop screen. */
export const DEFAULT_VIEWPORT = { width: 1280, height: 900 } as const;
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ON_PATH = 'chromium-browser';

const LAUNCH_TIMEOUT_MS = 30_000;
const NAVIGATION_TIMEOUT_MS = 15_000;
// After `load`, how long the page gets to go quiet (500 ms without a request) so that requests
// a script sends a moment later are caught too. A page that never goes quiet is still judged:
// every request it made is in `requests`.
const SETTLE_TIMEOUT_MS = 5_000;

// Root in a container has no user namespace for the sandbox, and /dev/shm is often 64 MB there.
const LAUNCH_FLAGS = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'];

export interface OpenPageOptions {
  /** CSS pixels; DEFAULT_VIEWPORT when not given. */
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

export interface OpenedPage {
  page: Page;
  /** Console messages of type error or warning, as `error: <text> (<url>:<line>)`. */
  consoleErrors: string[];
  /** Exceptions the page's scripts threw and nobody caught. */
  pageErrors: string[];
  /**
   * Every URL the page asked for other than its own file, in order: http(s), ws(s), other
   * files, and data: URLs. None of them left the machine: all but data: were refused
   * unanswered, and data: URLs carry their content in the URL itself.
   */
  requests: string[];
  /** A full-page PNG at `path` (directories created); also returned. */
  screenshot(path: string): Promise<Buffer>;
  /** Closes the browser; calling it again does nothing. */
  close(): Promise<void>;
}

/**
 * The Chromium the browser tests drive: $FIREDRILL_CHROMIUM when set, else Debian's
 * /usr/bin/chromium, else `chromium-browser` on PATH. Throws when there is none, with the fix:
 * the tests that need a browser fail rather than skip. `debianPath` is only moved by tests.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env, debianPath = DEBIAN_CHROMIUM): string {
  const chosen = env[CHROMIUM_ENV];
  if (chosen !== undefined && chosen !== '') {
    if (isExecutable(chosen)) return chosen;
    // Set but wrong is a mistake to report, not a reason to quietly test another browser.
    throw new Error(
      `${CHROMIUM_ENV} is set to ${chosen}, which is not an executable file. Point it at a Chromium binary, or unset it to use ${debianPath}.`,
    );
  }
  if (isExecutable(debianPath)) return debianPath;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && isExecutable(join(dir, CHROMIUM_ON_PATH))) return join(dir, CHROMIUM_ON_PATH);
  }
  throw new Error(
    `The browser tests need Chromium, and there is none at ${debianPath} nor ${CHROMIUM_ON_PATH} on PATH. ` +
      `Install it with \`apt-get install chromium\`, or set ${CHROMIUM_ENV} to the path of a Chromium binary.`,
  );
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens a local HTML file in headless Chromium, waits until it has loaded and gone quiet, and
 * returns the page with everything it complained about and everything it tried to fetch.
 * Only the file itself is served: every other request is recorded and refused, so a test
 * learns about a stray fetch and nothing leaves the machine. The caller must close() it;
 * withPage does that for you.
 */
export async function openPage(file: string, options: OpenPageOptions = {}): Promise<OpenedPage> {
  const executablePath = findChromium();
  const fileUrl = pathToFileURL(resolve(file)).href;
  const browser = await chromium.launch({ executablePath, args: LAUNCH_FLAGS, timeout: LAUNCH_TIMEOUT_MS });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await browser.close();
  };
  try {
    return await openIn(browser, fileUrl, options, close);
  } catch (error) {
    await close();
    throw error;
  }
}

/** Opens the file, hands the page to `use`, and closes the browser whatever happens. */
export async function withPage<T>(file: string, use: (opened: OpenedPage) => Promise<T>, options: OpenPageOptions = {}): Promise<T> {
  const opened = await openPage(file, options);
  try {
    return await use(opened);
  } finally {
    await opened.close();
  }
}

async function openIn(browser: Browser, fileUrl: string, options: OpenPageOptions, close: () => Promise<void>): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DEFAULT_VIEWPORT,
    colorScheme: options.colorScheme ?? 'light',
    // The report must read the same on any machine: no locale or zone of the host leaks in.
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
  context.setDefaultTimeout(NAVIGATION_TIMEOUT_MS);

  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const requests: string[] = [];

  // Context-wide, so a popup the page opens is held to the same rule.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === fileUrl) return route.continue();
    requests.push(url);
    return route.abort('blockedbyclient');
  });
  await context.routeWebSocket(/.*/, (socket) => {
    requests.push(socket.url());
    return socket.close();
  });

  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(describeConsole(message));
  });
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));

  // Playwright neither routes nor reports data: URLs; Chromium's own network log does. They
  // cannot leave the machine, so they are not refused, but they are counted: the report is one
  // readable file whose pictures are inline SVG, and a data: URL in it is an opaque blob an
  // auditor cannot read and a strict viewer may block.
  const devtools = await context.newCDPSession(page);
  devtools.on('Network.requestWillBeSent', (event) => {
    if (event.request.url.startsWith('data:')) requests.push(event.request.url);
  });
  await devtools.send('Network.enable');

  await page.goto(fileUrl, { waitUntil: 'load' });
  try {
    await page.waitForLoadState('networkidle', { timeout: SETTLE_TIMEOUT_MS });
  } catch (error) {
    if (!(error instanceof errors.TimeoutError)) throw error;
  }

  return {
    page,
    consoleErrors,
    pageErrors,
    requests,
    async screenshot(path: string): Promise<Buffer> {
      await mkdir(dirname(path), { recursive: true });
      return page.screenshot({ path, fullPage: true });
    },
    close,
  };
}

function describeConsole(message: ConsoleMessage): string {
  const { url, lineNumber } = message.location();
  const where = url ? ` (${url}:${lineNumber + 1})` : '';
  return `${message.type()}: ${message.text()}${where}`;
}
