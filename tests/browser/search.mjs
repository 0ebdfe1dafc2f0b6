// Browser test of the search page, in headless Debian chromium driven by playwright-core.
//
// usage:
//   node search.mjs --dir public [--base /xxgk/] [--query 政务公开] [--expect-first URL]
//   node search.mjs --url http://127.0.0.1:8080/xxgk/ [--query …] [--expect-first URL]
// --dir serves the built site itself (tests/browser/serve.mjs) and --base is the site's base
// path inside it ("/" by default). Checks:
//   1. /search/?q=QUERY shows a result count and results (and the first result is URL, if given);
//   2. choosing a filter narrows the results to that filter's count, and the URL records it;
//   3. sorting by date and paging work; a query without matches says so in Chinese;
//   4. with the index unavailable, the page says search is unavailable (no exception);
//   5. no request ever left the site's origin; no page errors.
// Prints the bytes the cold query fetched. Exits 1 on the first failed check.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok' : 'FAILED'} - ${what}`);
  if (!ok) failures += 1;
}

const query = arg('query', '政务公开');
const expectFirst = arg('expect-first', null);
let server = null;
let siteUrl = arg('url', null);
if (!siteUrl) {
  const dir = arg('dir', null);
  if (!dir) {
    console.error('usage: node search.mjs (--dir PUBLIC [--base /xxgk/] | --url SITE_URL) [--query Q] [--expect-first URL]');
    process.exit(2);
  }
  server = await serve(dir, 0, arg('base', '/'));
  siteUrl = server.url;
}
if (!siteUrl.endsWith('/')) siteUrl += '/';
const origin = new URL(siteUrl).origin;

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gongkai-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const foreign = [];
const bytesByUrl = new Map();
context.on('request', (req) => {
  const u = req.url();
  if (!u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin) foreign.push(u);
});
context.on('response', async (res) => {
  try {
    const body = await res.body();
    bytesByUrl.set(res.url(), body.length);
  } catch { /* redirects and aborted requests have no body */ }
});

async function status(page) {
  return (await page.locator('#gk-status').textContent()).trim();
}
/** Waits until the page has rendered one more answer than `before` (see data-answers). */
async function answers(page) {
  return Number((await page.getAttribute('#gk-search', 'data-answers')) || '0');
}
async function waitForAnswer(page, before) {
  await page.waitForFunction(
    (n) => Number(document.getElementById('gk-search').getAttribute('data-answers') || '0') > n,
    before,
    { timeout: 30000 },
  );
  return status(page);
}
function total(text) {
  const m = /找到 (\d+) 条结果/.exec(text);
  return m ? Number(m[1]) : null;
}

try {
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  // 1. A linked query.
  const searchUrl = `${siteUrl}search/?q=${encodeURIComponent(query)}`;
  await page.goto(searchUrl);
  let s = await waitForAnswer(page, 0);
  const n = total(s);
  check(n !== null && n > 0, `?q=${query} shows a result count ("${s}")`);
  const hrefs = await page.locator('#gk-results li h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  check(hrefs.length > 0, `results are listed (${hrefs.length} on the page)`);
  if (expectFirst) check(hrefs[0] === expectFirst, `first result is ${expectFirst} (got ${hrefs[0]})`);
  check((await page.locator('#gk-results mark').count()) > 0, 'matches are highlighted');
  check((await page.inputValue('#gk-q')) === query, 'the query is in the search box');
  const indexBytes = [...bytesByUrl].filter(([u]) => u.includes('/search/index/')).reduce((a, [, b]) => a + b, 0);
  const engineBytes = [...bytesByUrl].filter(([u]) => /\/search\/(gongkai-search\.wasm|engine\.js|worker\.js|search\.js)$/.test(u)).reduce((a, [, b]) => a + b, 0);
  console.log(`# cold query ${query}: ${indexBytes} bytes of index data, ${engineBytes} bytes of engine and scripts (uncompressed)`);

  // 2. A filter narrows the results.
  let narrowed = false;
  for (const facet of ['category', 'issuer', 'year', 'kind', 'validity']) {
    const options = await page.locator(`#gk-f-${facet} option`).evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    const pick = options.find(([v, label]) => v && Number((/（(\d+)）$/.exec(label) || [])[1]) < n);
    if (!pick) continue;
    const count = Number(/（(\d+)）$/.exec(pick[1])[1]);
    const before = await answers(page);
    await page.selectOption(`#gk-f-${facet}`, pick[0]);
    s = await waitForAnswer(page, before);
    check(total(s) === count, `filter ${facet}=${pick[0]} narrows ${n} → ${count} ("${s}")`);
    check(new URL(page.url()).searchParams.get(facet) === pick[0], `the URL records the filter ${facet}`);
    narrowed = true;
    // Clearing restores the full result.
    const before2 = await answers(page);
    await page.click('#gk-clear');
    s = await waitForAnswer(page, before2);
    check(total(s) === n, 'clearing the filters restores the results');
    break;
  }
  check(narrowed, 'some filter could narrow the results');

  // 3. Sort by date, paging, keyboard, and no results.
  {
    const before = await answers(page);
    await page.selectOption('#gk-sort', 'date');
    await waitForAnswer(page, before);
    check(new URL(page.url()).searchParams.get('sort') === 'date', 'sorting by date is recorded in the URL');
    if (n > 10) {
      const first = await page.locator('#gk-results li h3 a').first().getAttribute('href');
      await page.focus('#gk-next');
      const b2 = await answers(page);
      await page.keyboard.press('Enter');
      await waitForAnswer(page, b2);
      const second = await page.locator('#gk-results li h3 a').first().getAttribute('href');
      check(first !== second && new URL(page.url()).searchParams.get('page') === '2', 'the next page (by keyboard) shows other results');
      check(await page.evaluate(() => document.activeElement && document.activeElement.id === 'gk-results-heading'), 'focus moves to the results after paging');
    }
    await page.fill('#gk-q', '不可能出现的检索词组合甲乙丙');
    const b3 = await answers(page);
    await page.press('#gk-q', 'Enter');
    s = await waitForAnswer(page, b3);
    check(s.startsWith('没有找到'), `a query without matches says so ("${s}")`);
    await page.fill('#gk-q', '。。。');
    const b4 = await answers(page);
    await page.press('#gk-q', 'Enter');
    s = await waitForAnswer(page, b4);
    check(s.includes('没有可以查找的文字'), `punctuation only gets a clear message ("${s}")`);
  }
  check(errors.length === 0, `no page errors (${errors.join('; ')})`);

  // 4. The index cannot be loaded.
  {
    const broken = await context.newPage();
    await broken.route('**/search/index/**', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await broken.goto(searchUrl);
    const t = await waitForAnswer(broken, 0);
    check(t.includes('暂时无法使用'), `a missing index says search is unavailable ("${t}")`);
    await broken.close();
  }

  // 5. Nothing left the origin.
  check(foreign.length === 0, `no request left ${origin} (${foreign.slice(0, 3).join(', ')})`);
} catch (e) {
  console.log('FAILED - ' + (e && e.stack || e));
  failures += 1;
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  if (server) await server.close();
}
console.log(failures === 0 ? 'browser search: all checks passed' : `browser search: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
