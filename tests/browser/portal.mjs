// A column as a fresh browser sees it on the portal (issue 12), in headless Debian chromium driven
// by playwright-core. Run by tests/it/nginx.rs against nginx with deploy/nginx-xxgk.conf.
//
// usage: node portal.mjs --url http://127.0.0.1:PORT/xxgk/ --doc /xxgk/xxgk/…html
//                        --query 政务公开 --expect-first /xxgk/xxgk/…html [--max-kb 600]
// Checks: the home page has its stylesheet (loaded, applied); a document page opens; the search
// lists the expected document first. Then prints what the first search of this fresh browser
// transferred over the network (compressed bytes as sent, headers excluded): the engine (wasm and
// scripts) and the index data. With --max-kb, engine + index must be at most that many KB
// (1 KB = 1000 bytes). Prints one JSON line "# transfer {...}" for the Rust test. Exits 1 on a
// failed check.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

function arg(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : fallback;
}
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok' : 'FAILED'} - ${what}`);
  if (!ok) failures += 1;
}

const siteUrl = arg('url');
const docPath = arg('doc');
const query = arg('query', '政务公开');
const expectFirst = arg('expect-first');
const maxKb = arg('max-kb', null);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gongkai-portal-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Every finished request: its URL, status, content encoding and the body bytes on the wire.
const transfers = [];
let recording = false;
context.on('requestfinished', async (req) => {
  if (!recording) return;
  const res = await req.response();
  const sizes = await req.sizes();
  // Chromium reports no size for a worker's own script: take its Content-Length then (the
  // body as sent, compressed or not). Files the page had cached before the search report 0.
  let bytes = sizes.responseBodySize;
  const length = res ? Number((await res.headerValue('content-length')) || '0') : 0;
  if (bytes === 0 && /\/worker\.js$/.test(req.url())) bytes = length;
  transfers.push({
    url: req.url(),
    status: res ? res.status() : 0,
    encoding: res ? (await res.headerValue('content-encoding')) || '' : '',
    bytes,
  });
});

try {
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  // 1. The home page, with its stylesheet.
  let res = await page.goto(siteUrl);
  check(res.status() === 200, `home page ${siteUrl} answers 200 (${res.status()})`);
  const css = await page.evaluate(() => [...document.styleSheets]
    .filter((s) => s.href && s.href.endsWith('/css/site.css'))
    .map((s) => { try { return s.cssRules.length; } catch { return -1; } }));
  check(css.length === 1 && css[0] > 10, `the home page has its stylesheet css/site.css (${css} rules)`);
  const skip = await page.evaluate(() => {
    const a = document.querySelector('.skip-link');
    return a ? getComputedStyle(a).position : null;
  });
  check(skip !== null && skip !== 'static', `the stylesheet applies (skip link is positioned: ${skip})`);

  // 2. A document page.
  res = await page.goto(new URL(docPath, siteUrl).href);
  check(res.status() === 200, `document page ${docPath} answers 200 (${res.status()})`);
  const h1 = (await page.locator('h1').first().textContent()) || '';
  check(h1.trim().length > 0, `the document page has its title ("${h1.trim()}")`);
  res = await page.goto(new URL('no-such-page.html', siteUrl).href);
  check(res.status() === 404 && (await page.locator('h1').count()) > 0, `a missing page gets the site's 404 page (${res.status()})`);

  // 3. The first search of a fresh browser (new profile: nothing cached).
  await context.clearCookies();
  const fresh = await context.newPage();
  recording = true;
  await fresh.goto(`${siteUrl}search/?q=${encodeURIComponent(query)}`);
  await fresh.waitForFunction(
    () => Number(document.getElementById('gk-search').getAttribute('data-answers') || '0') > 0,
    null, { timeout: 60000 });
  const hrefs = await fresh.locator('#gk-results li h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  check(hrefs.length > 0 && hrefs[0] === expectFirst, `search ${query}: first result ${expectFirst} (got ${hrefs[0]})`);
  await fresh.waitForTimeout(300); // let the last requestfinished events arrive
  recording = false;
  check(errors.length === 0, `no page errors (${errors.join('; ')})`);

  const sum = (re) => transfers.filter((t) => re.test(new URL(t.url).pathname)).reduce((a, t) => a + t.bytes, 0);
  const engine = sum(/\/search\/(gongkai-search\.wasm|engine\.js|worker\.js|search\.js)$/);
  const index = sum(/\/search\/index\//);
  const all = transfers.reduce((a, t) => a + t.bytes, 0);
  const wasm = transfers.find((t) => t.url.endsWith('/gongkai-search.wasm'));
  const kb = (b) => Math.round(b / 100) / 10;
  console.log(`# transfer ${JSON.stringify({ engine_kb: kb(engine), index_kb: kb(index), total_kb: kb(engine + index), page_kb: kb(all), wasm_encoding: wasm ? wasm.encoding : null, requests: transfers.length })}`);
  for (const t of transfers) console.log(`#   ${t.status} ${t.encoding || '-'} ${t.bytes} ${new URL(t.url).pathname}`);
  if (maxKb !== null) {
    check(engine + index <= Number(maxKb) * 1000, `the first search transferred ${kb(engine)} KB of engine + ${kb(index)} KB of index = ${kb(engine + index)} KB ≤ ${maxKb} KB`);
  }
} catch (e) {
  console.log('FAILED - ' + (e && e.stack || e));
  failures += 1;
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(failures === 0 ? 'portal: all checks passed' : `portal: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
