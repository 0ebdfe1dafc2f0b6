// Benchmark (not a test): query latency of the search page in headless Debian chromium.
//
// usage: node latency.mjs --dir PUBLIC [--base /] [--runs 7] [QUERY …]
// Serves the built site (serve.mjs), opens /search/ once, then for each query puts it into the
// search box and times, inside the page, from submitting the form to the rendered answer (the
// page's data-answers counter), so no round trip to the test driver is counted: the first run of
// a query (its index chunks still to fetch, the engine already loaded) and the median of the
// following runs (warm: everything cached in the page). Prints one line a query.
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
const queries = given.length ? given : ['政务公开', '信息公开', '政府信息公开条例', '预决算', '行政复议', '2016年', '税', '国务院 办法', '环境保护'];

const server = await serve(dir, 0, arg('base', '/'));
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gongkai-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
function timed(page, q) {
  return page.evaluate((query) => new Promise((resolve) => {
    const box = document.getElementById('gk-search');
    const count = () => Number(box.getAttribute('data-answers') || '0');
    const before = count();
    const observer = new MutationObserver(() => {
      if (count() > before) {
        observer.disconnect();
        resolve(performance.now() - t0);
      }
    });
    observer.observe(box, { attributes: true, attributeFilter: ['data-answers'] });
    document.getElementById('gk-q').value = query;
    const t0 = performance.now();
    document.getElementById('gk-form').requestSubmit();
  }), q);
}
try {
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(`${server.url}search/?q=${encodeURIComponent('公开')}`);
  await page.waitForFunction(() => Number(document.getElementById('gk-search').getAttribute('data-answers') || '0') > 0, null, { timeout: 60000 });
  console.log(`query                 first ms   warm median ms   warm max ms   (chromium, ${runs} warm runs; includes rendering the results)`);
  const warmAll = [];
  for (const q of queries) {
    const first = await timed(page, q);
    const warm = [];
    for (let i = 0; i < runs; i++) warm.push(await timed(page, q));
    warm.sort((a, b) => a - b);
    warmAll.push(...warm);
    console.log(`${q.padEnd(20)} ${first.toFixed(1).padStart(9)} ${warm[warm.length >> 1].toFixed(1).padStart(16)} ${warm[warm.length - 1].toFixed(1).padStart(13)}`);
  }
  warmAll.sort((a, b) => a - b);
  console.log(`warm query latency in chromium: median ${warmAll[warmAll.length >> 1].toFixed(1)} ms, max ${warmAll[warmAll.length - 1].toFixed(1)} ms over ${warmAll.length} queries`);
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  await server.close();
}
