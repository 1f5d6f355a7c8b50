#!/usr/bin/env node
// Renders the HTML report of the committed evidence as of 2026-11-24, in Japanese and English (and
// of examples/terminal-lock-and-screen, which has failures to show), then has headless chromium take
// a full-page PNG screenshot and print an A4 PDF of each, so that a person can look at them.
//
//   npm run build && node scripts/render-html-report.mjs [OUTPUT_DIR] [--slices]     (default /tmp/kitei-html)
//
// --slices also writes each page in pieces of 1280×1600 (NAME.slice-N.png), easier to look at than one tall image.
//
// Also writes top.ja.png (the first 1280×1600 pixels of the Japanese report): the README's picture
// (docs/images/html-report.png) is that file. Chromium is driven over --remote-debugging-pipe (the
// DevTools protocol, no extra package) because `--screenshot` alone cannot size the window to the page.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const slices = args.includes('--slices');
const OUT = path.resolve(args.find((a) => !a.startsWith('--')) ?? '/tmp/kitei-html');
const AS_OF = '2026-11-24';
const CHROMIUM = process.env.CHROMIUM ?? 'chromium';
const WIDTH = 1280;

const reports = [
  { name: 'report.ja', evidence: 'evidence', lang: 'ja' },
  { name: 'report.en', evidence: 'evidence', lang: 'en' },
  { name: 'example.ja', evidence: 'examples/terminal-lock-and-screen/evidence', lang: 'ja' },
];

mkdirSync(OUT, { recursive: true });
if (spawnSync(CHROMIUM, ['--version']).status !== 0) {
  console.error(`${CHROMIUM} not found: install it (apt-get install chromium) or set CHROMIUM`);
  process.exit(2);
}

const browser = await launch();
try {
  for (const r of reports) {
    const html = path.join(OUT, `${r.name}.html`);
    const run = spawnSync(process.execPath, [path.join(REPO, 'bin/kitei.js'), 'check', r.evidence, '--as-of', AS_OF, '--lang', r.lang, '--format', 'html', '--output', html], { cwd: REPO, encoding: 'utf8' });
    if (run.status !== 0 && run.status !== 1) throw new Error(`kitei check ${r.evidence} exited ${run.status}: ${run.stderr}`);
    const page = await browser.open(pathToFileURL(html).href);
    const { cssContentSize } = await page.send('Page.getLayoutMetrics');
    const height = Math.ceil(cssContentSize.height);
    await page.send('Emulation.setDeviceMetricsOverride', { width: WIDTH, height, deviceScaleFactor: 1, mobile: false });
    const shot = await page.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width: WIDTH, height, scale: 1 } });
    writeFileSync(path.join(OUT, `${r.name}.png`), Buffer.from(shot.data, 'base64'));
    const clip = async (file, y) => {
      const part = await page.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y, width: WIDTH, height: Math.min(1600, height - y), scale: 1 } });
      writeFileSync(path.join(OUT, file), Buffer.from(part.data, 'base64'));
    };
    if (r.name === 'report.ja') await clip('top.ja.png', 0);
    if (slices) for (let y = 0, n = 0; y < height; y += 1600, n++) await clip(`${r.name}.slice-${n}.png`, y);
    await page.send('Emulation.clearDeviceMetricsOverride');
    const pdf = await page.send('Page.printToPDF', { preferCSSPageSize: true, printBackground: true });
    writeFileSync(path.join(OUT, `${r.name}.pdf`), Buffer.from(pdf.data, 'base64'));
    await page.close();
    for (const ext of ['html', 'png', 'pdf']) console.log(path.join(OUT, `${r.name}.${ext}`));
  }
  console.log(path.join(OUT, 'top.ja.png'));
} finally {
  await browser.close();
}

/** Headless chromium with the DevTools protocol on file descriptors 3 (to it) and 4 (from it), messages ending in NUL. */
async function launch() {
  const child = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--remote-debugging-pipe', `--window-size=${WIDTH},1000`, 'about:blank'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
  const [, , , toChromium, fromChromium] = child.stdio;
  let nextId = 1;
  const pending = new Map();
  const listeners = new Set();
  let buffer = Buffer.alloc(0);
  fromChromium.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (let end = buffer.indexOf(0); end !== -1; end = buffer.indexOf(0)) {
      const message = JSON.parse(buffer.subarray(0, end).toString('utf8'));
      buffer = buffer.subarray(end + 1);
      if (message.id !== undefined && pending.has(message.id)) {
        const { resolve, reject, method } = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result);
      } else for (const listener of listeners) listener(message);
    }
  });
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, method });
      toChromium.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  const event = (sessionId, method) =>
    new Promise((resolve) => {
      const listener = (m) => {
        if (m.sessionId === sessionId && m.method === method) {
          listeners.delete(listener);
          resolve(m.params);
        }
      };
      listeners.add(listener);
    });
  return {
    async open(url) {
      const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
      const page = { send: (method, params) => send(method, params, sessionId), close: () => send('Target.closeTarget', { targetId }) };
      await page.send('Page.enable');
      const loaded = event(sessionId, 'Page.loadEventFired');
      await page.send('Page.navigate', { url });
      await loaded;
      return page;
    },
    async close() {
      await send('Browser.close').catch(() => {});
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)));
    },
  };
}
