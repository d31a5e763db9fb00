// Checks HTML pages written by the `handoff` binary in headless Chromium (Debian's `chromium`,
// driven by playwright-core; axe-core from npm). Called by run.sh, which builds the pages:
//
//   node check.mjs OUT_DIR [--forge NAME=BASE_URL]... NAME=KIND:FILE...
//
// KIND is `handoff` (a rendered handoff), `metrics` (a metrics report) or `metrics-big` (the
// 5,000-handoff report, which also has its size, height and printed pages bounded).
// `--forge NAME=BASE_URL` says page NAME was written in a repository whose `origin` is on that
// forge (https://github.com/OWNER/REPO): its paths, commits and pull requests must link there;
// a metrics page without one must have no link at all.
//
// Every page is opened three times:
// 1. as it is, with the CSP bypassed (axe-core is evaluated into it), at 1,280 and 390 px: no
//    horizontal overflow (nor, at 1,280, a table scrolling sideways in its box), no two chart
//    labels overlapping (bounding boxes), chart text at least 9 px tall, no console errors,
//    no network requests, no axe-core violations; metrics pages have their three charts, the
//    threshold line, and a first screen (the top 900 px at 1,280) holding this week's cards
//    and trends;
// 2. without script: metrics pages read fully (every row in the DOM, no controls) and hold what
//    a manager asks for (from the DOM): the trends, the per-type table, the stale table with its
//    receiver and sorted by waiting time, weeks newest first, the score-at-merge chart, and the
//    links to the handoff, commit and pull request (or plain text without a forge);
// 3. under its own Content-Security-Policy: no console error (a refused script is one); on
//    metrics pages the one script ran (it marks <html data-enhanced>), its filter box filters
//    rows and a header click sorts them.
// Screenshots go to OUT_DIR (full pages), OUT_DIR/readme (first screens and chart crops, the
// README's pictures). Exit status: 0 all passed, 1 a check failed, 2 could not run.

import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const axeSource = require('axe-core').source;

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WIDTHS = [1280, 390];
/// The first screen: what a manager sees without scrolling.
const FIRST_SCREEN = { width: 1280, height: 900 };
/// Issue 15: the 5,000-handoff report.
const BIG_MAX_BYTES = 1_000_000;
const BIG_MAX_HEIGHT = 20_000;
const BIG_MAX_PRINTED_PAGES = 10;
const MIN_CHART_TEXT_PX = 9;

const usage = 'usage: node check.mjs OUT_DIR [--forge NAME=BASE_URL]... NAME=KIND:FILE...';
const [outDir, ...rest] = process.argv.slice(2);
const forges = new Map();
const specs = [];
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === '--forge') {
    const match = /^([\w.-]+)=(https:\/\/[\w.-]+(?::\d+)?\/[\w.-]+\/[\w.-]+)$/.exec(rest[i + 1] || '');
    if (!match) {
      console.error(`--forge ${rest[i + 1] || ''}: expected NAME=https://HOST/OWNER/REPO\n${usage}`);
      process.exit(2);
    }
    forges.set(match[1], match[2]);
    i += 1;
  } else {
    specs.push(rest[i]);
  }
}
if (!outDir || specs.length === 0) {
  console.error(usage);
  process.exit(2);
}
const pages = specs.map((spec) => {
  const match = /^([\w.-]+)=(handoff|metrics|metrics-big):(.+)$/.exec(spec);
  if (!match) {
    console.error(`${spec}: expected NAME=KIND:FILE with KIND handoff, metrics or metrics-big`);
    process.exit(2);
  }
  return { name: match[1], kind: match[2], file: resolve(match[3]), forge: forges.get(match[1]) };
});
for (const name of forges.keys()) {
  if (!pages.some((page) => page.name === name)) {
    console.error(`--forge ${name}: no page of that name`);
    process.exit(2);
  }
}
const readmeDir = join(outDir, 'readme');
mkdirSync(readmeDir, { recursive: true });

const failures = [];
const fail = (page, what) => failures.push(`${page}: ${what}`);
const summary = [];

let browser;
try {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      // The new headless mode, whatever playwright-core's default for this version.
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
} catch (error) {
  console.error(`could not start ${CHROMIUM}: ${error.message}`);
  process.exit(2);
}

try {
  const contexts = {
    // axe-core is evaluated into the page, which the pages' CSP would refuse.
    open: await browser.newContext({ bypassCSP: true, offline: true, viewport: FIRST_SCREEN }),
    noScript: await browser.newContext({ javaScriptEnabled: false, offline: true, viewport: FIRST_SCREEN }),
    ownPolicy: await browser.newContext({ offline: true, viewport: FIRST_SCREEN }),
  };
  for (const spec of pages) {
    await check(contexts, spec);
  }
} finally {
  await browser.close();
}

writeFileSync(join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
for (const line of summary) {
  console.log(
    `${line.name}: ${line.bytes} bytes; ` +
      line.widths.map((w) => `${w.width} px wide: ${w.height} px tall`).join(', ') +
      (line.printedPages ? `; ${line.printedPages} printed pages` : '') +
      `; axe ${line.axeViolations} violations` +
      (line.rows !== undefined ? `; ${line.rows} table rows` : ''),
  );
}
if (failures.length > 0) {
  console.error(`\n${failures.length} browser check(s) failed:`);
  for (const failure of failures) console.error(`  ${failure}`);
  process.exit(1);
}
console.log(`browser checks passed on ${pages.length} pages; screenshots in ${outDir}`);

/// A page that records console errors and network requests, and refuses every request but
/// the page itself.
async function open(context, name, url) {
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
  await page.route('**/*', (route) =>
    route.request().url() === url ? route.continue() : route.abort(),
  );
  const done = async (what) => {
    for (const error of errors) fail(name, `${what}: console error: ${error}`);
    for (const request of requests) fail(name, `${what}: network request: ${request}`);
    await page.close();
  };
  return { page, done };
}

async function check(contexts, { name, kind, file, forge }) {
  const url = pathToFileURL(file).href;
  const bytes = statSync(file).size;
  const line = { name, kind, bytes, widths: [] };
  summary.push(line);
  const metrics = kind !== 'handoff';
  if (kind === 'metrics-big' && bytes >= BIG_MAX_BYTES) {
    fail(name, `page is ${bytes} bytes, the bound is ${BIG_MAX_BYTES}`);
  }

  // 1. As it is.
  const { page, done } = await open(contexts.open, name, url);
  for (const width of WIDTHS) {
    const viewport = width === FIRST_SCREEN.width ? FIRST_SCREEN : { width, height: 844 };
    await page.setViewportSize(viewport);
    await page.goto(url, { waitUntil: 'load' });
    const facts = await page.evaluate(measure);
    line.widths.push({ width, height: facts.height });
    if (facts.scrollWidth > facts.clientWidth) {
      fail(name, `${width} px: horizontal overflow (${facts.scrollWidth} px content in ${facts.clientWidth} px)`);
    }
    if (width === FIRST_SCREEN.width && facts.sideways.length > 0) {
      fail(name, `${width} px: tables scroll sideways in their box: ${facts.sideways.join(', ')}`);
    }
    for (const overlap of facts.overlaps) fail(name, `${width} px: chart labels overlap: ${overlap}`);
    if (facts.charts > 0 && facts.smallestText < MIN_CHART_TEXT_PX) {
      fail(name, `${width} px: chart text ${facts.smallestText.toFixed(1)} px tall (under ${MIN_CHART_TEXT_PX})`);
    }
    if (metrics) {
      if (facts.charts !== 3) fail(name, `${width} px: ${facts.charts} charts, expected 3`);
      if (!facts.threshold) fail(name, `${width} px: no visible threshold line in the scores chart`);
    }
    if (kind === 'metrics-big' && width === 1280 && facts.height > BIG_MAX_HEIGHT) {
      fail(name, `1280 px: ${facts.height} px tall with <details> closed, the bound is ${BIG_MAX_HEIGHT}`);
    }
    if (metrics && width === FIRST_SCREEN.width) {
      for (const problem of await page.evaluate(firstScreen, FIRST_SCREEN.height)) {
        fail(name, `first screen (top ${FIRST_SCREEN.height} px at ${width}): ${problem}`);
      }
    }
    await page.screenshot({ path: join(outDir, `${name}-${width}.png`), fullPage: true });
    await page.screenshot({ path: join(readmeDir, `${name}-${width}.png`) });
    if (width === WIDTHS[0]) {
      if (metrics) {
        const charts = await page.$$('.chart svg');
        for (const [index, chart] of charts.entries()) {
          await chart.screenshot({ path: join(readmeDir, `${name}-chart-${index + 1}.png`) });
        }
        // What needs action: from "Lowest scores this week" to the weeks.
        const clip = await page.evaluate(() => {
          const heading = (title) => [...document.querySelectorAll('h2')].find((h) => h.textContent === title);
          const from = heading('Lowest scores this week');
          const to = heading('Weeks');
          if (!from || !to) return null;
          const top = from.getBoundingClientRect().top + window.scrollY - 8;
          const main = document.querySelector('main').getBoundingClientRect();
          return { x: main.left - 8, y: top, width: main.width + 16, height: to.getBoundingClientRect().top + window.scrollY - top - 8 };
        });
        if (clip) await page.screenshot({ path: join(readmeDir, `${name}-action.png`), clip, fullPage: true });
      }
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
  await done('as it is');

  // 2. Without script.
  const plain = await open(contexts.noScript, name, url);
  await plain.page.goto(url, { waitUntil: 'load' });
  let rowsWithoutScript = 0;
  if (metrics) {
    const facts = await plain.page.evaluate(content, forge || null);
    rowsWithoutScript = facts.rows;
    line.rows = facts.rows;
    if (facts.controls > 0) fail(name, `without script: ${facts.controls} filter or sort controls`);
    for (const problem of facts.problems) fail(name, `without script: ${problem}`);
  }
  await plain.done('without script');

  // 3. Under its own Content-Security-Policy.
  const own = await open(contexts.ownPolicy, name, url);
  await own.page.goto(url, { waitUntil: 'load' });
  if (metrics) {
    const enhanced = await own.page.evaluate(() => ({
      ran: document.documentElement.hasAttribute('data-enhanced'),
      rows: document.querySelectorAll('tbody tr').length,
      policy: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content || '',
    }));
    if (!/script-src 'sha256-[A-Za-z0-9+/]{43}='/.test(enhanced.policy)) {
      fail(name, `no script-src hash in the page's Content-Security-Policy: "${enhanced.policy}"`);
    }
    if (!enhanced.ran) {
      fail(name, 'under its CSP: the script did not run (no data-enhanced on <html>): is its hash right?');
    } else {
      if (enhanced.rows !== rowsWithoutScript) {
        fail(name, `the script changed the rows: ${enhanced.rows} with it, ${rowsWithoutScript} without`);
      }
      for (const problem of await interact(own.page)) fail(name, `under its CSP: ${problem}`);
    }
  }
  await own.done('under its CSP');
}

/// The filter box and a header click, in the largest group of rows that has a filter box.
async function interact(page) {
  const problems = [];
  const group = await page.evaluateHandle(() => {
    const groups = [...document.querySelectorAll('.rows')].filter((g) => g.querySelector('.filter input'));
    groups.sort((a, b) => b.querySelectorAll('tbody tr').length - a.querySelectorAll('tbody tr').length);
    return groups[0] || null;
  });
  if (!(await group.evaluate((g) => g !== null))) {
    // A small report may have no table long enough for a filter box; the big one has several.
    const any = await page.evaluate(() => document.querySelectorAll('.rows tbody tr').length);
    if (any > 10) problems.push('no filter box over the tables');
    return problems;
  }
  const rowsOf = (g) =>
    [...g.querySelectorAll('tbody tr')].map((row) => ({
      text: row.textContent,
      first: row.cells[0].textContent.trim(),
      visible: row.getBoundingClientRect().height > 0,
    }));
  const name = await group.evaluate((g) => g.dataset.name);
  const before = await group.evaluate(rowsOf);
  // A query that the last row (behind <details> when there is one) matches, and not every row.
  const query = before[before.length - 1].first.split(/\s+/)[0];
  const input = await group.$('.filter input');
  await input.fill(query);
  const filtered = await group.evaluate(rowsOf);
  const expected = filtered.filter((row) => row.text.toLowerCase().includes(query.toLowerCase()));
  const visible = filtered.filter((row) => row.visible);
  if (visible.length !== expected.length || !filtered[filtered.length - 1].visible) {
    problems.push(`${name}: filtering by "${query}" shows ${visible.length} rows, ${expected.length} match`);
  }
  if (expected.length >= before.length) problems.push(`${name}: "${query}" matched every row`);
  const count = await group.evaluate((g) => g.querySelector('.filter .count').textContent);
  if (count !== `${expected.length} of ${before.length} rows`) {
    problems.push(`${name}: the filter says "${count}"`);
  }
  await input.fill('');
  const cleared = await group.evaluate(rowsOf);
  const shownAgain = cleared.filter((row) => row.visible).length;
  const shownBefore = before.filter((row) => row.visible).length;
  if (shownAgain !== shownBefore) {
    problems.push(`${name}: after clearing the filter ${shownAgain} rows show, ${shownBefore} before`);
  }
  // Sorting: the first column, ascending then descending, over the open and folded rows.
  const header = await group.$('thead th button');
  if (!header) {
    problems.push(`${name}: no sort button in the header`);
    return problems;
  }
  const firsts = async () => group.evaluate((g) => [...g.querySelectorAll('tbody tr')].map((r) => r.cells[0].textContent.trim()));
  const collator = new Intl.Collator(undefined, { numeric: true });
  const byText = (texts) => [...texts].sort((a, b) => collator.compare(a, b));
  const all = await firsts();
  for (const [direction, want] of [
    ['ascending', byText(all)],
    ['descending', byText(all).reverse()],
  ]) {
    await header.click();
    const got = await firsts();
    const sort = await group.evaluate((g) => g.querySelector('thead th').getAttribute('aria-sort'));
    if (sort !== direction) problems.push(`${name}: after a header click aria-sort is ${sort}, expected ${direction}`);
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      problems.push(`${name}: a header click did not sort the rows ${direction} (first: ${got.slice(0, 3).join(', ')})`);
    }
  }
  // A column of numbers (days, rates, counts), the right-most with a missing value (—) when
  // one has: numbers as numbers, missing values last.
  const columnOf = (g, at) => [...g.querySelectorAll('tbody tr')].map((r) => r.cells[at].textContent.trim());
  const column = await group.evaluate((g) => {
    const rows = [...g.querySelectorAll('tbody tr')];
    const width = rows[0].cells.length;
    let best = width - 1;
    for (let at = width - 1; at > 0; at--) {
      const cells = rows.map((r) => r.cells[at].textContent.trim());
      if (cells.includes('\u2014') && cells.some((c) => /^\d/.test(c))) {
        best = at;
        break;
      }
    }
    return best;
  });
  await (await group.$(`thead tr th:nth-child(${column + 1}) button`)).click();
  const values = await group.evaluate(columnOf, column);
  const missingAt = values.findIndex((v) => v === '\u2014');
  const numbers = (missingAt < 0 ? values : values.slice(0, missingAt)).map((v) => parseFloat(v));
  const unsorted = numbers.findIndex((n, i) => i > 0 && !(n >= numbers[i - 1]));
  if (unsorted > 0 || (missingAt >= 0 && values.slice(missingAt).some((v) => v !== '\u2014'))) {
    problems.push(`${name}: column ${column + 1} does not sort as numbers, missing last: ${values.slice(0, 8).join(', ')}`);
  }
  return problems;
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
    // Tables wider than their box (they scroll inside it: fine on a phone, not at 1,280).
    sideways: [...document.querySelectorAll('.scroll')]
      .filter((box) => box.scrollWidth > box.clientWidth + 1)
      .map((box) => box.getAttribute('aria-label')),
  };
}

// Runs in the page: "how are we doing this week" answered in the top `height` px.
function firstScreen(height) {
  const problems = [];
  const heading = [...document.querySelectorAll('h2')].find((h) => /^This week: \d{4}-W\d{2}$/.test(h.textContent));
  if (!heading) return ['no "This week: YYYY-Www" heading'];
  const below = (element) => element.getBoundingClientRect().bottom + window.scrollY;
  let cards = heading.nextElementSibling;
  while (cards && !cards.classList.contains('cards')) cards = cards.nextElementSibling;
  const trends = document.querySelector('[aria-label="Trends"] table');
  for (const [what, element] of [
    ['the heading', heading],
    ["this week's cards", cards],
    ['the trends table', trends],
  ]) {
    if (!element) problems.push(`${what} missing`);
    else if (below(element) > height) problems.push(`${what} ends at ${Math.round(below(element))} px`);
  }
  return problems;
}

// Runs in the page (without script): what the report must hold, from the DOM.
function content(forge) {
  const problems = [];
  const text = (element) => (element ? element.textContent.trim() : '');
  const section = (title) => {
    const heading = [...document.querySelectorAll('h2')].find((h) => text(h) === title);
    if (!heading) return null;
    const parts = [];
    for (let node = heading.nextElementSibling; node && node.tagName !== 'H2'; node = node.nextElementSibling) {
      parts.push(node);
    }
    return parts;
  };
  const group = (title) => {
    const parts = section(title);
    if (!parts) {
      problems.push(`no "${title}" section`);
      return null;
    }
    return parts.find((p) => p.classList.contains('rows')) || null;
  };
  const headersOf = (g) => [...g.querySelectorAll('table')[0].tHead.rows[0].cells].map(text);
  const rowsOf = (g) => [...g.querySelectorAll('tbody tr')];
  const column = (g, header) => {
    const at = headersOf(g).indexOf(header);
    return at < 0 ? null : rowsOf(g).map((row) => text(row.cells[at]));
  };
  const days = (cell) => parseFloat(cell);

  // Trends: this week against the previous 4 and 12.
  const trends = document.querySelector('[aria-label="Trends"] table');
  const trendHeaders = trends ? [...trends.tHead.rows[0].cells].map(text) : [];
  if (trendHeaders.join('|') !== 'Trend|This week|Previous 4 weeks|Previous 12 weeks') {
    problems.push(`trends table headers: ${trendHeaders.join(', ') || 'no trends table'}`);
  } else if (trends.tBodies[0].rows.length < 4) {
    problems.push(`trends table has ${trends.tBodies[0].rows.length} rows`);
  }

  // The per-type section.
  const types = group('Types');
  if (types && (headersOf(types)[0] !== 'Type' || rowsOf(types).length === 0)) {
    problems.push('the Types section has no per-type table');
  }

  // Stale: the receiver to chase, longest waiting first.
  const stale = group('Stale handoffs');
  if (stale) {
    const headers = headersOf(stale);
    if (headers[1] !== 'Receiver') problems.push(`stale table columns: ${headers.join(', ')} (no Receiver second)`);
    const waiting = column(stale, 'Waiting');
    if (!waiting) {
      problems.push('stale table has no Waiting column');
    } else {
      for (let i = 1; i < waiting.length; i++) {
        if (days(waiting[i]) > days(waiting[i - 1])) {
          problems.push(`stale table not sorted by waiting time: row ${i + 1} waits ${waiting[i]}, row ${i} ${waiting[i - 1]}`);
          break;
        }
      }
    }
  }

  // Weeks newest first.
  const weeks = group('Weeks');
  if (weeks) {
    const labels = column(weeks, 'Week') || [];
    for (let i = 1; i < labels.length; i++) {
      if (labels[i] >= labels[i - 1]) {
        problems.push(`weeks not newest first: ${labels[i - 1]} then ${labels[i]}`);
        break;
      }
    }
    if (labels.length === 0) problems.push('the weeks table is empty');
  }

  // The score-at-merge chart, with its threshold line and its data.
  const scores = document.querySelector('svg[role="img"][aria-label^="Scores at merge:"]');
  if (!scores) problems.push('no score-at-merge chart');
  else if (!scores.querySelector('line.threshold')) problems.push('the score-at-merge chart has no threshold line');

  // Links: the handoff file (and its history), the commit, the pull request.
  const cells = ['Lowest scores this week', 'Gate bypasses', 'Stale handoffs']
    .map((title) => group(title))
    .filter(Boolean)
    .flatMap((g) => rowsOf(g));
  const links = [...document.querySelectorAll('a[href]')];
  if (forge) {
    const escaped = forge.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    let files = 0;
    for (const row of cells) {
      const path = text(row.cells[0].querySelector('code'));
      const file = row.cells[0].querySelector('code').closest('a');
      if (!file || !new RegExp(`^${escaped}/blob/[0-9a-f]{40}/${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(file.href)) {
        problems.push(`${path}: not linked to its file on ${forge} (${file ? file.href : 'no link'})`);
        break;
      }
      const history = row.cells[0].querySelector('a.log');
      if (!history || !history.href.startsWith(`${forge}/commits/`)) {
        problems.push(`${path}: no link to its history on ${forge}`);
        break;
      }
      files += 1;
    }
    if (files === 0) problems.push('no handoff rows in the action tables to check the links of');
    const commits = links.filter((a) => new RegExp(`^${escaped}/commit/[0-9a-f]{40}$`).test(a.href));
    if (commits.length === 0) problems.push(`no link to a commit on ${forge}`);
    for (const a of commits) {
      const shown = text(a);
      if (!/^[0-9a-f]{7}$/.test(shown) || !a.href.split('/').pop().startsWith(shown)) {
        problems.push(`commit link ${a.href} shows "${shown}"`);
      }
    }
    const requests = links.filter((a) => new RegExp(`^${escaped}/pull/\\d+$`).test(a.href));
    if (requests.length === 0) problems.push(`no link to a pull request on ${forge}`);
    for (const a of requests) {
      if (`#${a.href.split('/').pop()}` !== text(a)) problems.push(`pull request link ${a.href} shows "${text(a)}"`);
    }
    const elsewhere = links.filter((a) => !a.href.startsWith(`${forge}/`));
    if (elsewhere.length > 0) problems.push(`links off the forge: ${elsewhere.slice(0, 3).map((a) => a.href).join(', ')}`);
  } else {
    if (links.length > 0) {
      problems.push(`no forge, yet ${links.length} links (${links.slice(0, 3).map((a) => a.href).join(', ')})`);
    }
    if (cells.length > 0 && !cells[0].cells[0].querySelector('code')) problems.push('handoff paths are not shown');
  }

  return {
    problems,
    rows: document.querySelectorAll('tbody tr').length,
    controls: document.querySelectorAll('.filter, th button').length,
  };
}
