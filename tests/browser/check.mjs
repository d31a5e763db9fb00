// Checks HTML pages written by the `handoff` binary in headless Chromium (Debian's `chromium`,
// driven by playwright-core; axe-core from npm). Called by run.sh, which builds the pages:
//
//   node check.mjs OUT_DIR NAME=KIND:FILE...
//
// KIND is `handoff` (a rendered handoff), `metrics` (a metrics report) or `metrics-big` (the
// 5,000-handoff report, which also has its size, height and printed pages bounded). For every
// page, at 1,280 and 390 px wide: no horizontal overflow, no two chart labels overlapping
// (bounding boxes), chart text at least 9 px tall, no console errors, no network requests,
// and no axe-core violations; metrics pages have the threshold line. Screenshots go to OUT_DIR.
// Exit status: 0 all passed, 1 a check failed, 2 could not run.

import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const axeSource = require('axe-core').source;

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WIDTHS = [1280, 390];
/// Issue 15: the 5,000-handoff report.
const BIG_MAX_BYTES = 1_000_000;
const BIG_MAX_HEIGHT = 20_000;
const BIG_MAX_PRINTED_PAGES = 12;
const MIN_CHART_TEXT_PX = 9;

const [outDir, ...specs] = process.argv.slice(2);
if (!outDir || specs.length === 0) {
  console.error('usage: node check.mjs OUT_DIR NAME=KIND:FILE...');
  process.exit(2);
}
const pages = specs.map((spec) => {
  const match = /^([\w.-]+)=(handoff|metrics|metrics-big):(.+)$/.exec(spec);
  if (!match) {
    console.error(`${spec}: expected NAME=KIND:FILE with KIND handoff, metrics or metrics-big`);
    process.exit(2);
  }
  return { name: match[1], kind: match[2], file: resolve(match[3]) };
});

const failures = [];
const fail = (page, what) => failures.push(`${page}: ${what}`);
const summary = [];

const profile = mkdtempSync(join(tmpdir(), 'handoff-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: WIDTHS[0], height: 900 },
    // axe-core is evaluated into the page; the handoff pages' CSP forbids scripts.
    bypassCSP: true,
    offline: true,
  });
} catch (error) {
  console.error(`could not start ${CHROMIUM}: ${error.message}`);
  rmSync(profile, { recursive: true, force: true });
  process.exit(2);
}

try {
  for (const spec of pages) {
    await check(spec);
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

writeFileSync(join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
for (const line of summary) {
  console.log(
    `${line.name}: ${line.bytes} bytes; ` +
      line.widths.map((w) => `${w.width} px wide: ${w.height} px tall`).join(', ') +
      (line.printedPages ? `; ${line.printedPages} printed pages` : '') +
      `; axe ${line.axeViolations} violations`,
  );
}
if (failures.length > 0) {
  console.error(`\n${failures.length} browser check(s) failed:`);
  for (const failure of failures) console.error(`  ${failure}`);
  process.exit(1);
}
console.log(`browser checks passed on ${pages.length} pages; screenshots in ${outDir}`);

async function check({ name, kind, file }) {
  const url = pathToFileURL(file).href;
  const bytes = statSync(file).size;
  const line = { name, kind, bytes, widths: [] };
  summary.push(line);
  if (kind === 'metrics-big' && bytes >= BIG_MAX_BYTES) {
    fail(name, `page is ${bytes} bytes, the bound is ${BIG_MAX_BYTES}`);
  }
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  // Nothing but the page itself may load; anything else is recorded above and refused.
  await page.route('**/*', (route) =>
    route.request().url() === url ? route.continue() : route.abort(),
  );
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(url, { waitUntil: 'load' });
    const facts = await page.evaluate(measure);
    line.widths.push({ width, height: facts.height });
    if (facts.scrollWidth > facts.clientWidth) {
      fail(name, `${width} px: horizontal overflow (${facts.scrollWidth} px content in ${facts.clientWidth} px)`);
    }
    for (const overlap of facts.overlaps) fail(name, `${width} px: chart labels overlap: ${overlap}`);
    if (facts.charts > 0 && facts.smallestText < MIN_CHART_TEXT_PX) {
      fail(name, `${width} px: chart text ${facts.smallestText.toFixed(1)} px tall (under ${MIN_CHART_TEXT_PX})`);
    }
    if (kind !== 'handoff') {
      if (facts.charts !== 3) fail(name, `${width} px: ${facts.charts} charts, expected 3`);
      if (!facts.threshold) fail(name, `${width} px: no visible threshold line in the scores chart`);
    }
    if (kind === 'metrics-big' && width === 1280 && facts.height > BIG_MAX_HEIGHT) {
      fail(name, `1280 px: ${facts.height} px tall with <details> closed, the bound is ${BIG_MAX_HEIGHT}`);
    }
    await page.screenshot({ path: join(outDir, `${name}-${width}.png`), fullPage: true });
    if (width === WIDTHS[0]) {
      await page.evaluate(axeSource);
      const result = await page.evaluate(() =>
        window.axe.run(document, { resultTypes: ['violations'] }),
      );
      line.axeViolations = result.violations.length;
      for (const violation of result.violations) {
        const targets = violation.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
        fail(name, `axe ${violation.id} (${violation.impact}): ${violation.help} — ${targets}`);
      }
    }
  }
  if (kind === 'metrics-big') {
    await page.goto(url, { waitUntil: 'load' });
    const pdf = await page.pdf({ format: 'A4' });
    line.printedPages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    if (line.printedPages > BIG_MAX_PRINTED_PAGES) {
      fail(name, `prints on ${line.printedPages} A4 pages, the bound is ${BIG_MAX_PRINTED_PAGES}`);
    }
  }
  for (const error of errors) fail(name, `console error: ${error}`);
  for (const request of requests) fail(name, `network request: ${request}`);
  await page.close();
}

// Runs in the page.
function measure() {
  const root = document.documentElement;
  const charts = [...document.querySelectorAll('svg')];
  const overlaps = [];
  let smallestText = Infinity;
  charts.forEach((svg, index) => {
    const boxes = [...svg.querySelectorAll('text')]
      .map((text) => ({ text: text.textContent, box: text.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && box.height > 0);
    for (const { box } of boxes) smallestText = Math.min(smallestText, box.height);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].box;
        const b = boxes[j].box;
        // Half a pixel of slack for anti-aliased edges.
        const overlapX = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const overlapY = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (overlapX > 0.5 && overlapY > 0.5) {
          overlaps.push(`chart ${index + 1}: "${boxes[i].text}" and "${boxes[j].text}"`);
        }
      }
    }
  });
  const threshold = [...document.querySelectorAll('svg line.threshold')].some((line) => {
    const box = line.getBoundingClientRect();
    return box.height > 10;
  });
  return {
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
    height: root.scrollHeight,
    charts: charts.length,
    overlaps,
    smallestText: charts.length ? smallestText : 0,
    threshold,
  };
}
