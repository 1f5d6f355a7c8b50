import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { kitei } from '../harness/cli.js';
import { attr, byTag, findAll, hasClass, parseHtml, textOf } from '../harness/html.js';
import { makeTree, REPO } from '../harness/tree.js';

/**
 * The HTML report in a real browser (Debian's headless chromium): markup injected into the
 * evidence shows as text and runs nothing; printing gives A4 pages. Skipped where chromium is not
 * installed (`.ci/run` installs it).
 */
const CHROMIUM = process.env.CHROMIUM ?? 'chromium';
const hasChromium = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasChromium) console.warn(`test/cli/html.test.ts: ${CHROMIUM} is not installed, so the HTML report is not tested in a browser here (.ci/run installs it: apt-get install chromium)`);

const AS_OF = '2026-11-24';
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = "</style><script>document.title='pwned'</script>";

const chromium = (...args: string[]) => {
  const run = spawnSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-pdf-header-footer', ...args], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024, timeout: 20_000 });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
};

describe.skipIf(!hasChromium)('the HTML report in headless chromium', () => {
  // A copy of the committed evidence where terminal T-001 faces the aisle, its location holding markup:
  // the failure's message interpolates the location.
  let file = '';
  let out = '';
  let check: ReturnType<typeof kitei>;
  beforeAll(() => {
    const evidence = makeTree({}, path.join(REPO, 'evidence'));
    const terminals = path.join(evidence, 'terminals.yaml');
    const yaml = readFileSync(terminals, 'utf8');
    writeFileSync(terminals, yaml.replace('location: 本部事務所 4F 総務課', `location: ${JSON.stringify(IMG + SCRIPT)}`).replace('screenFacesAisle: false', 'screenFacesAisle: true'));
    out = mkdtempSync(path.join(tmpdir(), 'kitei-html-'));
    file = path.join(out, 'report.html');
    check = kitei(['check', evidence, '--as-of', AS_OF, '--format', 'html', '--output', file]);
  });

  it('shows the injected markup as text: no script or image element from the evidence, the title unchanged', () => {
    expect(check.code, check.stderr).toBe(1);
    const dom = Buffer.from(chromium('--dump-dom', pathToFileURL(file).href), 'latin1').toString('utf8');
    const doc = parseHtml(dom);
    expect(byTag(doc, 'script')).toEqual([]);
    expect(byTag(doc, 'img')).toEqual([]);
    expect(byTag(doc, 'style')).toHaveLength(1);
    expect(textOf(byTag(doc, 'title')[0]!)).toBe(`kitei 規程適合チェック報告書 — 基準日 ${AS_OF}`);
    const failures = findAll(doc, (n) => hasClass(n, 'finding'));
    expect(failures.map((f) => textOf(findAll(f, (n) => hasClass(n, 'message'))[0]!))).toEqual([`端末 T-001（${IMG}${SCRIPT}）の画面が部外者の通る方を向いています`]);
    expect(textOf(findAll(doc, (n) => attr(n, 'id') === 'failures-16')[0]!)).toContain(`${IMG}${SCRIPT}`);
  });

  it('prints on A4 pages, more than one', () => {
    const pdfFile = path.join(out, 'report.pdf');
    chromium(`--print-to-pdf=${pdfFile}`, pathToFileURL(file).href);
    const pdf = readFileSync(pdfFile, 'latin1');
    const boxes = [...pdf.matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
    expect(boxes.length).toBeGreaterThan(1);
    expect(new Set(boxes.map((b) => b.join('×')))).toEqual(new Set(['595×842']));
    expect([...pdf.matchAll(/\/Type \/Page\b(?!s)/g)].length).toBe(boxes.length);
  });
});
