// Benchmark (not a test): how fast the search page answers a query in headless Debian chromium.
//
// usage: node latency.mjs --dir PUBLIC [--base /] [--runs 7] [QUERY …]
// Serves the built site (serve.mjs), opens /search/?q=公开 once (engine loaded), then:
//
// 1. Through the form, as a citizen does: Playwright types each query into the search box and
//    presses Enter; the time runs from the Enter key (its keydown event, in the page) to the
//    frame after the result list changed (a MutationObserver on #gk-results, then
//    requestAnimationFrame: the new list is laid out for that frame). The queries are asked in
//    rounds, so each one follows a different query and the list really changes: round 1 is each
//    query's first run (its index chunks still to fetch, the engine already loaded), the later
//    rounds are warm (engine and chunks in the page). Also printed: the same figure timed by the
//    driver (from sending Enter to seeing the answer, so with its round trips), and the requests
//    each first and warm query made (Playwright request events).
// 2. The requests and time of a query typed into the header's search box on the search page
//    (today answered in place; a page that reloads shows here as every file fetched again).
//
// Prints one line a query and summary lines; asserts nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const dir = arg('dir', null);
if (!dir) {
  console.error('usage: node latency.mjs --dir PUBLIC [--base /] [--runs 7] [QUERY …]');
  process.exit(2);
}
const runs = Number(arg('runs', '7'));
const flags = new Set(['--dir', '--base', '--runs']);
const given = process.argv.slice(2).filter((a, i, all) => !flags.has(a) && !flags.has(all[i - 1]));
// The nine queries of the README's search benchmark.
const queries = given.length ? given : ['政务公开', '信息公开', '政府信息公开条例', '预决算', '行政复议', '2016年', '税', '国务院 办法', '环境保护'];

const server = await serve(dir, 0, arg('base', '/'));
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gongkai-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const max = (xs) => Math.max(...xs);

/** Arms the in-page clock: Enter in the search box starts it, the next list change stops it. */
async function arm(page) {
  await page.evaluate(() => {
    window.__gkTiming = null;
    const box = document.getElementById('gk-q');
    const list = document.getElementById('gk-results');
    const onKey = (e) => {
      if (e.key !== 'Enter') return;
      box.removeEventListener('keydown', onKey, true);
      const t0 = performance.now();
      const observer = new MutationObserver(() => {
        observer.disconnect();
        requestAnimationFrame(() => { window.__gkTiming = performance.now() - t0; });
      });
      observer.observe(list, { childList: true, subtree: true, characterData: true });
    };
    box.addEventListener('keydown', onKey, true);
  });
}

let requests = 0;
try {
  const page = context.pages()[0] || (await context.newPage());
  page.on('request', () => { requests += 1; });
  await page.goto(`${server.url}search/?q=${encodeURIComponent('公开')}`);
  await page.waitForFunction(() => Number(document.getElementById('gk-search').getAttribute('data-answers') || '0') > 0, null, { timeout: 60000 });

  /** Types `q`, presses Enter, waits for the list; → [in-page ms, driver ms, requests]. */
  async function ask(q) {
    await page.fill('#gk-q', q);
    await arm(page);
    const before = requests;
    const t0 = performance.now();
    await page.press('#gk-q', 'Enter');
    await page.waitForFunction(() => window.__gkTiming !== null, null, { timeout: 60000, polling: 'raf' });
    const driver = performance.now() - t0;
    // Let the answer's last requests (if any) be counted before the next query.
    await page.waitForFunction(() => !document.getElementById('gk-results').hasAttribute('aria-busy'));
    return [await page.evaluate(() => window.__gkTiming), driver, requests - before];
  }

  const first = new Map();
  const warm = new Map(queries.map((q) => [q, []]));
  for (let round = 0; round <= runs; round++) {
    for (const q of queries) {
      const r = await ask(q);
      if (round === 0) first.set(q, r);
      else warm.get(q).push(r);
    }
  }
  console.log(`through the form (Playwright types, presses Enter; in-page clock from the Enter key to the frame after the list changed), ${runs} warm runs a query:`);
  console.log('query                 first ms  first requests  warm median ms  warm max ms  warm requests  driver warm median ms');
  const all = [];
  const allDriver = [];
  const firstRequests = [];
  let warmRequests = 0;
  for (const q of queries) {
    const w = warm.get(q);
    const ms = w.map((r) => r[0]);
    const drv = w.map((r) => r[1]);
    all.push(...ms);
    allDriver.push(...drv);
    firstRequests.push(first.get(q)[2]);
    warmRequests += w.reduce((a, r) => a + r[2], 0);
    console.log(`${q.padEnd(20)} ${first.get(q)[0].toFixed(1).padStart(9)} ${String(first.get(q)[2]).padStart(15)} ${median(ms).toFixed(1).padStart(15)} ${max(ms).toFixed(1).padStart(12)} ${String(w.reduce((a, r) => a + r[2], 0)).padStart(14)} ${median(drv).toFixed(1).padStart(22)}`);
  }
  console.log(`warm query through the form: median ${median(all).toFixed(1)} ms, max ${max(all).toFixed(1)} ms over ${all.length} queries (driver-timed: median ${median(allDriver).toFixed(1)} ms, max ${max(allDriver).toFixed(1)} ms)`);
  console.log(`requests per new query: first run median ${median(firstRequests)}, max ${max(firstRequests)} (index chunks); warm runs ${warmRequests} in all`);

  // The header's search box on the search page.
  {
    const q = '公开';
    const before = requests;
    const t0 = performance.now();
    await page.fill('#site-q', q);
    await page.evaluate(() => { window.__gkSamePage = true; document.getElementById('gk-results').textContent = ''; });
    await page.press('#site-q', 'Enter');
    await page.waitForFunction((q) => new URLSearchParams(location.search).get('q') === q &&
      document.querySelectorAll('#gk-results li').length > 0 && !document.getElementById('gk-results').hasAttribute('aria-busy'), q, { timeout: 60000 });
    const same = await page.evaluate(() => window.__gkSamePage === true);
    console.log(`header search box on the search page (warm query ${q}): ${(performance.now() - t0).toFixed(1)} ms, ${requests - before} requests, ${same ? 'answered in place' : 'the page reloaded'}`);
  }
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  await server.close();
}
