import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, CHROMIUM_ENV, DEFAULT_VIEWPORT, type OpenedPage, findChromium, withPage } from '../support/chromium.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'firedrill-browser-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function htmlFile(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title></head><body>${body}</body></html>`,
  );
  return path;
}

/** Everything the harness caught, in one object, so a failing assertion shows all of it. */
function caught(opened: OpenedPage): { consoleErrors: string[]; pageErrors: string[]; requests: string[] } {
  return { consoleErrors: opened.consoleErrors, pageErrors: opened.pageErrors, requests: opened.requests };
}

/** A local HTTP server that counts who reached it: the proof that a refused request never left. */
async function countingServer(): Promise<{ server: Server; origin: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((_request, response) => {
    hits += 1;
    response.end('reached');
  });
  server.on('upgrade', (_request, socket) => {
    hits += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `127.0.0.1:${port}`, hits: () => hits };
}

describe('headless Chromium harness', () => {
  it('a clean page gives no console error, no page error and no request', async () => {
    const file = htmlFile(
      'clean.html',
      '<h1>All quiet</h1><svg width="40" height="40"><rect width="40" height="40" fill="teal"/></svg><script>console.log("just a log")</script>',
    );
    await withPage(file, async (opened) => {
      expect(caught(opened)).toEqual({ consoleErrors: [], pageErrors: [], requests: [] });
      expect(await opened.page.getByRole('heading', { name: 'All quiet' }).isVisible()).toBe(true);
    });
  });

  it('reports console.error and console.warn, with where they came from', async () => {
    const file = htmlFile('console.html', "<script>console.error('x'); console.warn('careful')</script>");
    await withPage(file, async (opened) => {
      expect(opened.consoleErrors).toEqual([
        expect.stringMatching(/^error: x \(file:.*console\.html:1\)$/),
        expect.stringMatching(/^warning: careful /),
      ]);
      expect(opened.pageErrors).toEqual([]);
      expect(opened.requests).toEqual([]);
    });
  });

  it('reports an exception no script caught as a page error', async () => {
    const file = htmlFile('throws.html', "<script>throw new TypeError('report went wrong')</script>");
    await withPage(file, async (opened) => {
      expect(opened.pageErrors).toEqual([expect.stringContaining('TypeError: report went wrong')]);
    });
  });

  it('reports an image from http://127.0.0.1:9 as a request, refused by the harness before any connection', async () => {
    const file = htmlFile('image.html', '<img src="http://127.0.0.1:9/x.png" alt="">');
    await withPage(file, async (opened) => {
      expect(opened.requests).toEqual(['http://127.0.0.1:9/x.png']);
      // Blocked by the route, not refused by a closed port: the request never reached the network.
      expect(opened.consoleErrors).toEqual([expect.stringContaining('net::ERR_BLOCKED_BY_CLIENT')]);
    });
  });

  it('refuses and reports every way out (image, late fetch, websocket, another file), and a listening server sees none', async () => {
    const { server, origin, hits } = await countingServer();
    try {
      const file = htmlFile(
        'leaky.html',
        `<img src="http://${origin}/pixel.png" alt=""><link rel="stylesheet" href="sibling.css">` +
          `<script>setTimeout(() => fetch('http://${origin}/later').catch(() => {}), 200);` +
          `new WebSocket('ws://${origin}/socket');</script>`,
      );
      writeFileSync(join(dir, 'sibling.css'), 'body { color: red }');
      await withPage(file, async (opened) => {
        expect([...opened.requests].sort()).toEqual(
          [`http://${origin}/pixel.png`, `http://${origin}/later`, `ws://${origin}/socket`, `file://${join(dir, 'sibling.css')}`].sort(),
        );
      });
      expect(hits()).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reports data: URLs as requests, though they carry their own content and go nowhere', async () => {
    const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    const file = htmlFile('data-url.html', `<img src="${pixel}" alt="">`);
    await withPage(file, async (opened) => {
      expect(opened.requests).toEqual([pixel]);
    });
  });

  it('writes a full-page PNG screenshot into test-artifacts/', async () => {
    const file = htmlFile(
      'screenshot.html',
      '<h1 style="font: 48px sans-serif">Screenshot</h1><div style="height: 1400px; background: linear-gradient(teal, orange)"></div>',
    );
    const path = join(ARTIFACTS_DIR, 'browser-harness.png');
    rmSync(path, { force: true });
    await withPage(file, (opened) => opened.screenshot(path));
    const png = readFileSync(path);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.length).toBeGreaterThan(5_000);
    // IHDR: width and height, big-endian, right after the signature and the chunk header.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([DEFAULT_VIEWPORT.width, expect.any(Number)]);
    expect(png.readUInt32BE(20)).toBeGreaterThan(DEFAULT_VIEWPORT.height + 500); // the whole page, not just the window
  });

  it('closes the browser when the test using the page fails', async () => {
    const file = htmlFile('closes.html', '<p>bye</p>');
    let seen: OpenedPage | undefined;
    await expect(
      withPage(file, async (opened) => {
        seen = opened;
        throw new Error('the test failed');
      }),
    ).rejects.toThrow('the test failed');
    expect(seen?.page.context().browser()?.isConnected()).toBe(false);
  });
});

describe('findChromium', () => {
  it('prefers FIREDRILL_CHROMIUM when it names an executable', () => {
    const real = findChromium({ PATH: '' });
    expect(findChromium({ [CHROMIUM_ENV]: real, PATH: '' }, '/nowhere/chromium')).toBe(real);
  });

  it('refuses a FIREDRILL_CHROMIUM that is not executable, rather than quietly using another browser', () => {
    expect(() => findChromium({ [CHROMIUM_ENV]: '/nowhere/chromium', PATH: '' })).toThrow(
      /FIREDRILL_CHROMIUM is set to \/nowhere\/chromium, which is not an executable/,
    );
  });

  it('says how to install Chromium when there is none', () => {
    expect(() => findChromium({ PATH: dir }, join(dir, 'no-chromium'))).toThrow(/apt-get install chromium.*or set FIREDRILL_CHROMIUM/);
  });
});
