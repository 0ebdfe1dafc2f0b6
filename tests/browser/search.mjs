// Browser test of the search page, in headless Debian chromium driven by playwright-core.
//
// usage:
//   node search.mjs --dir public [--base /xxgk/] [--query 政务公开] [--expect-first URL]
//   node search.mjs --url http://127.0.0.1:8080/xxgk/ [--query …] [--expect-first URL]
// --dir serves the built site itself (tests/browser/serve.mjs) and --base is the site's base
// path inside it ("/" by default). Checks:
//   1. a shared URL /search/?q=QUERY opens with a result count and results (the first is URL, if
//      given), highlighted, the query in the box;
//   2. a new query typed into the form, the header's search box, a filter, the order and the
//      result pages are answered in place: no page load (no `load` event, no document request,
//      a marker set on `window` survives; the main frame's navigations are history entries
//      only), one search worker for the whole visit, the engine fetched once; the address bar
//      holds the URL the form would produce; focus stays in the box (paging moves it to the
//      results); the count is in the role=status region;
//   3. back and forward restore the query, the filters and the very same results; the filter
//      panel is closed at first and its lists empty (the engine counts per filter value only
//      for queries asked while it is open); opening it asks the same query again, with counts,
//      without a history entry, and each count is the number of results its filter gives;
//   4. the page opened without words lists every document newest first, and filters alone
//      (有效性, 文件类型, 发布机构, 发布年份, chosen one by one in the page) list exactly the
//      documents of the site's open data file catalogue.json that match them, newest first;
//      that URL opened afresh shows the same;
//      an estimated count reads "约 N 条" with a note and a link that asks for the exact count;
//   5. a query without matches and one of punctuation only say so in Chinese; with the index
//      unavailable the page says search is unavailable;
//   6. with JavaScript disabled the form is a plain GET form (/search/?q=…) and the page points
//      to the catalogue;
//   7. at 375 px nothing scrolls sideways; axe-core (WCAG 2 A/AA) reports no violation on the
//      results, the filtered list and the page without JavaScript; screenshots at 1280 and 375 px
//      go to target/browser-screenshots/ (or $SCREENSHOT_DIR);
//   8. no request left the site's origin; no page errors.
// Prints the bytes the cold query fetched and the requests each kind of new query made.
// Exits 1 on the first failed check.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
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
const searchPath = new URL('search/', siteUrl).pathname;
const shotDir = process.env.SCREENSHOT_DIR || path.resolve(here, '../../target/browser-screenshots');
fs.mkdirSync(shotDir, { recursive: true });
const axeSource = fs.readFileSync(path.join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');

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
/** The number of answers the page has rendered (data-answers). */
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
/** Runs `action` and waits for the answer it causes; returns the status text. */
async function answer(page, action) {
  const before = await answers(page);
  await action();
  return waitForAnswer(page, before);
}
function total(text) {
  const m = /(?:找到|共) (\d+) 条/.exec(text);
  return m ? Number(m[1]) : null;
}
async function hrefs(page) {
  return page.locator('#gk-results li h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
}
async function dates(page) {
  return page.locator('#gk-results li .gk-meta').evaluateAll((ps) => ps.map((p) => (/\d{4}-\d{2}-\d{2}/.exec(p.textContent) || [''])[0]));
}
function params(page) {
  return Object.fromEntries(new URL(page.url()).searchParams);
}
async function axe(page, label) {
  // Evaluated rather than added as a <script>, so that it runs with the page's JavaScript off.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    resultTypes: ['violations'],
  }));
  const v = result.violations;
  check(v.length === 0, `axe ${label}: ${v.length} violation(s)${v.map((x) => ` [${x.id}: ${x.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}]`).join('')}`);
}
async function noSideScroll(page, label) {
  const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  check(sw <= cw, `${label} at 375 px: no horizontal scroll (${sw} ≤ ${cw})`);
  // 文号 and dates of the results on one line each.
  const broken = await page.locator('#gk-results .gk-token').evaluateAll((ts) => ts.filter((t) => t.getClientRects().length > 1).map((t) => t.textContent));
  check(broken.length === 0, `${label} at 375 px: 文号 and dates on one line (${broken.join(', ')})`);
}
async function shoot(page, name) {
  await page.screenshot({ path: path.join(shotDir, `search-${name}-${page.viewportSize().width}.png`), fullPage: true });
}

/**
 * Watches a page for anything that would mean it reloaded: `load` events, requests for a
 * document, a marker on `window` that a new document would not have; counts workers started,
 * main-frame navigations and requests by kind since the last `reset()`.
 */
async function watch(page) {
  const w = { loads: 0, documents: 0, navigations: 0, workers: 0, requests: [] };
  page.on('load', () => { w.loads += 1; });
  page.on('worker', () => { w.workers += 1; });
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) w.navigations += 1; });
  page.on('request', (r) => {
    if (r.isNavigationRequest() && r.resourceType() === 'document') w.documents += 1;
    w.requests.push(r.url());
  });
  await page.evaluate(() => { window.__gkSamePage = true; });
  w.reset = () => { w.loads = 0; w.documents = 0; w.navigations = 0; w.requests = []; };
  w.samePage = async (what) => {
    const marker = await page.evaluate(() => window.__gkSamePage === true);
    check(w.loads === 0 && w.documents === 0 && marker,
      `${what}: answered in place (load events ${w.loads}, document requests ${w.documents}, same window ${marker})`);
  };
  return w;
}

/** catalogue.json: the site's published documents, from the open data file (not the index). */
async function catalogue() {
  const res = await fetch(new URL('catalogue.json', siteUrl));
  const data = await res.json();
  return data.documents.map((d) => ({
    path: new URL(d.url, siteUrl).pathname,
    issuers: d.issuer ? d.issuer.split('、') : [],
    kind: d.kind,
    year: (d.published || '').slice(0, 4),
    validity: d.validity,
    published: d.published || '',
  }));
}

const requestLog = [];
try {
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  // 1. A shared URL with a query.
  const searchUrl = `${siteUrl}search/?q=${encodeURIComponent(query)}`;
  await page.goto(searchUrl);
  let s = await waitForAnswer(page, 0);
  const n = total(s);
  check(n !== null && n > 0 && s.startsWith('找到'), `?q=${query} shows a result count ("${s}")`);
  const firstHits = await hrefs(page);
  check(firstHits.length > 0, `results are listed (${firstHits.length} on the page)`);
  if (expectFirst) check(firstHits[0] === expectFirst, `first result is ${expectFirst} (got ${firstHits[0]})`);
  check((await page.locator('#gk-results mark').count()) > 0, 'matches are highlighted');
  check((await page.inputValue('#gk-q')) === query, 'the query is in the search box');
  check((await page.title()).startsWith(query), `the page title names the query (${await page.title()})`);
  const indexBytes = [...bytesByUrl].filter(([u]) => u.includes('/search/index/')).reduce((a, [, b]) => a + b, 0);
  const engineBytes = [...bytesByUrl].filter(([u]) => /\/search\/(gongkai-search\.wasm|engine\.js|worker\.js|search\.js)$/.test(u)).reduce((a, [, b]) => a + b, 0);
  console.log(`# cold query ${query}: ${indexBytes} bytes of index data, ${engineBytes} bytes of engine and scripts (uncompressed)`);
  await shoot(page, 'results');
  await axe(page, 'search results');

  // 2. Everything after this is answered in place, by the same worker.
  const w = await watch(page);
  const engineFiles = () => w.requests.filter((u) => /\/search\/(gongkai-search\.wasm|engine\.js|worker\.js|search\.js)$|\/manifest\.json$|\/hot-/.test(u)).length;
  const historyLength = await page.evaluate(() => history.length);
  // A query typed into the form.
  const other = query === '公开' ? '通知' : '公开';
  s = await answer(page, async () => {
    await page.fill('#gk-q', other);
    await page.press('#gk-q', 'Enter');
  });
  const otherHits = await hrefs(page);
  const otherTotal = total(s);
  check(otherTotal !== null && (otherTotal !== n || otherHits.join() !== firstHits.join()), `a new query (${other}) changes the results ("${s}")`);
  check(params(page).q === other && new URL(page.url()).pathname === searchPath, `the URL is the form's: ${page.url()}`);
  check(await page.evaluate(() => document.activeElement && document.activeElement.id === 'gk-q'), 'focus stays in the search box');
  check((await page.getAttribute('#gk-status', 'role')) === 'status' && s.includes('找到'), 'the count is announced in the status region');
  await w.samePage('a query typed into the form');
  requestLog.push(['new query (form)', w.requests.length, engineFiles()]);
  check(engineFiles() === 0, `the engine is not fetched again (${engineFiles()} engine requests)`);
  check(await page.evaluate(() => history.length) === historyLength + 1, 'the new query is one history entry');

  // The header's search box on this page.
  w.reset();
  s = await answer(page, async () => {
    await page.fill('#site-q', query);
    await page.press('#site-q', 'Enter');
  });
  check(total(s) === n && params(page).q === query && (await page.inputValue('#gk-q')) === query, `the header's search box searches in place too ("${s}")`);
  await w.samePage("the header's search box");
  // The same query again: the same count, but the status region changes, so it is read out again.
  {
    const raw = await page.locator('#gk-status').evaluate((e) => e.textContent);
    await answer(page, () => page.press('#gk-q', 'Enter'));
    const again = await page.locator('#gk-status').evaluate((e) => e.textContent);
    check(again !== raw && again.trim() === raw.trim(), 'the same answer again is announced again');
  }
  requestLog.push(['new query (header box, already searched)', w.requests.length, engineFiles()]);

  // The filter panel: closed, no counts, until opened; opening it asks again, with counts.
  check(!(await page.locator('#gk-filter-panel').evaluate((d) => d.open)), 'the filter panel is closed at first');
  check((await page.locator('#gk-facets select').count()) === 0, 'no filter lists (no counts) while it is closed');
  check(await page.locator('#gk-sort').isVisible(), 'the order is chosen without opening the panel');
  {
    const before = await page.evaluate(() => history.length);
    const url = page.url();
    w.reset();
    s = await answer(page, () => page.click('#gk-filter-panel summary'));
    check(total(s) === n && page.url() === url && (await page.evaluate(() => history.length)) === before,
      `opening the panel answers the same query again, in place, no history entry ("${s}")`);
    await w.samePage('opening the filter panel');
    requestLog.push(['open the filter panel (counts)', w.requests.length, engineFiles()]);
  }
  // A filter narrows the results and is recorded in the URL.
  let narrowed = null;
  const facets = await page.locator('#gk-facets select').evaluateAll((ss) => ss.map((x) => x.name));
  check(facets.length >= 3, `the filters come from the engine's facets (${facets.join(', ')})`);
  for (const facet of facets) {
    const options = await page.locator(`#gk-facets select[name="${facet}"] option`).evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    const pick = options.find(([v, label]) => v && Number((/（(\d+)）$/.exec(label) || [])[1]) < n);
    if (!pick) continue;
    const count = Number(/（(\d+)）$/.exec(pick[1])[1]);
    w.reset();
    await page.focus(`#gk-facets select[name="${facet}"]`);
    s = await answer(page, () => page.selectOption(`#gk-facets select[name="${facet}"]`, pick[0]));
    check(total(s) === count, `filter ${facet}=${pick[0]} narrows ${n} → ${count} ("${s}")`);
    check(params(page)[facet] === pick[0] && params(page).q === query, `the URL records the filter ${facet}`);
    check(await page.evaluate((f) => document.activeElement && document.activeElement.name === f, facet), 'focus stays on the filter');
    await w.samePage('a filter');
    requestLog.push([`filter ${facet}`, w.requests.length, engineFiles()]);
    narrowed = { facet, value: pick[0], count, hits: await hrefs(page) };
    break;
  }
  check(narrowed !== null, 'some filter could narrow the results');

  // 3. Back and forward restore the query, filters and results.
  if (narrowed) {
    s = await answer(page, () => page.goBack());
    check(total(s) === n && params(page)[narrowed.facet] === undefined, `back: the filter is gone ("${s}")`);
    check(await page.inputValue(`#gk-facets select[name="${narrowed.facet}"]`) === '', 'back: the filter list shows 全部');
    s = await answer(page, () => page.goBack());
    check(total(s) === otherTotal && (await page.inputValue('#gk-q')) === other && params(page).q === other, `back again: the earlier query ${other} and its count ("${s}")`);
    check((await hrefs(page)).join() === otherHits.join(), 'back again: the same results');
    s = await answer(page, () => page.goForward());
    s = await answer(page, () => page.goForward());
    check(params(page)[narrowed.facet] === narrowed.value && total(s) === narrowed.count, `forward twice: the filter is back ("${s}")`);
    check(await page.inputValue(`#gk-facets select[name="${narrowed.facet}"]`) === narrowed.value, 'forward: the filter list shows it');
    check((await hrefs(page)).join() === narrowed.hits.join(), 'forward: the same results');
    await w.samePage('back and forward');
    // Clearing restores the full result.
    s = await answer(page, () => page.click('#gk-clear'));
    check(total(s) === n, 'clearing the filters restores the results');
  }

  // Sort by date, then page through (links, in place; focus moves to the results).
  s = await answer(page, () => page.selectOption('#gk-sort', 'date'));
  check(params(page).sort === 'date', 'sorting by date is recorded in the URL');
  const sorted = (await dates(page)).filter(Boolean);
  check(sorted.join() === [...sorted].sort().reverse().join(), 'sorted by date, newest first');
  check(w.workers === 0, `one search worker for the whole visit (${w.workers} more started)`);
  await w.samePage('sorting');

  // 4. Without words: every document, newest first; then filters alone.
  const docs = await catalogue();
  const bare = await context.newPage();
  bare.on('pageerror', (e) => errors.push(String(e)));
  // (Opened as shared from a messaging app, which adds its own parameters.)
  await bare.goto(`${siteUrl}search/?from=singlemessage&isappinstalled=0`);
  s = await waitForAnswer(bare, 0);
  check(new URL(bare.url()).search === '', `parameters that are no filter leave the address bar (${bare.url()})`);
  check(total(s) >= docs.length && s.includes('按发布日期'), `the bare search page lists every document (${total(s)} ≥ ${docs.length} in catalogue.json: "${s}")`);
  // Newest first; column pages (指南 …, searchable too) are not in catalogue.json, so the
  // documents among the first page must be its newest ones.
  const bareDates = (await dates(bare)).filter(Boolean);
  check(bareDates.join() === [...bareDates].sort().reverse().join(), `newest first (${bareDates.join(' ')})`);
  const listedDocs = (await hrefs(bare)).map((h) => docs.find((d) => d.path === h)).filter(Boolean).map((d) => d.published);
  const newest = docs.map((d) => d.published).sort().reverse().slice(0, listedDocs.length);
  check(listedDocs.length > 0 && listedDocs.join() === newest.join(), `the documents listed are the newest of catalogue.json (${listedDocs.join(' ')})`);
  check(await bare.evaluate(() => {
    const sort = document.getElementById('gk-sort');
    return sort.value === 'date' && sort.options[0].disabled;
  }), 'without words the order is by date (relevance needs words)');
  await shoot(bare, 'no-query');
  const bw = await watch(bare);
  // The pager: links with the page in the URL, answered in place.
  if (total(s) > 10) {
    const firstPage = await hrefs(bare);
    const next = bare.locator('#gk-pager a[rel="next"]');
    check((await next.getAttribute('href')) === `${searchPath}?page=2`, `the next-page link is a real URL (${await next.getAttribute('href')})`);
    await next.focus();
    s = await answer(bare, () => bare.keyboard.press('Enter'));
    check(params(bare).page === '2' && (await hrefs(bare)).join() !== firstPage.join(), `the next page (by keyboard) shows other documents ("${s}")`);
    check(await bare.evaluate(() => document.activeElement && document.activeElement.id === 'gk-results-heading'), 'focus moves to the results after paging');
    check((await bare.locator('#gk-pager [aria-current="page"]').textContent()) === '2', 'the pager marks page 2 as current');
    await bw.samePage('paging');
    requestLog.push(['next page (no words)', bw.requests.length, 0]);
    s = await answer(bare, () => bare.goBack());
    check((await hrefs(bare)).join() === firstPage.join(), 'back: page 1 again');
    if (await bare.locator('#gk-jump-n').count()) {
      const last = Math.ceil(total(s) / 10);
      await bare.fill('#gk-jump-n', String(last));
      s = await answer(bare, () => bare.press('#gk-jump-n', 'Enter'));
      check(params(bare).page === String(last) && s.includes(`第 ${(last - 1) * 10 + 1}–${total(s)} 条`), `跳到第 ${last} 页 shows the last page ("${s}")`);
      await bw.samePage('跳到第 N 页');
    }
  }
  // The largest group of documents sharing 有效性, 文件类型, 发布机构 and 发布年份, counted from
  // catalogue.json; chosen in the page one filter at a time.
  const groups = new Map();
  for (const d of docs) {
    if (!d.validity || !d.year) continue;
    for (const issuer of d.issuers) {
      const key = JSON.stringify([d.validity, d.kind, issuer, d.year]);
      groups.set(key, (groups.get(key) || 0) + 1);
    }
  }
  const best = [...groups].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  check(!!best, 'the site has documents with 有效性, 文件类型, 发布机构 and 发布年份');
  if (best) {
    const [validity, kind, issuer, year] = JSON.parse(best[0]);
    const want = docs.filter((d) => d.validity === validity && d.kind === kind && d.issuers.includes(issuer) && d.year === year);
    bw.reset();
    await answer(bare, () => bare.click('#gk-filter-panel summary'));
    for (const [facet, value] of [['validity', validity], ['kind', kind], ['issuer', issuer], ['year', year]]) {
      s = await answer(bare, () => bare.selectOption(`#gk-facets select[name="${facet}"]`, value));
    }
    const label = `${validity} ${kind} of ${issuer} in ${year}`;
    check(total(s) === want.length, `filters alone: ${label} → ${total(s)} documents, catalogue.json has ${want.length} ("${s}")`);
    const shown = await hrefs(bare);
    const wantNewest = want.map((d) => d.published).sort().reverse().slice(0, 10);
    check((await dates(bare)).join() === wantNewest.join(), 'filters alone: newest first');
    check(shown.every((h) => want.some((d) => d.path === h)), 'filters alone: every document listed is one of them');
    check(params(bare).q === undefined && params(bare).validity === validity && params(bare).year === year, `filters alone: the URL holds the filters (${bare.url()})`);
    await bw.samePage('filters without words');
    await shoot(bare, 'filters');
    await axe(bare, 'filters without words');
    // The URL the form itself sends (every field, empty ones too), opened afresh: the same list,
    // and the address bar tidied to the URL above.
    const formUrl = await bare.evaluate(() => {
      const f = document.getElementById('gk-form');
      return f.action + '?' + new URLSearchParams(new FormData(f)).toString();
    });
    const shared = await context.newPage();
    await shared.goto(formUrl);
    s = await waitForAnswer(shared, 0);
    check(total(s) === want.length && (await hrefs(shared)).join() === shown.join(), `the form's own URL opened afresh shows the same list (${formUrl}: "${s}")`);
    check(await shared.locator('#gk-filter-panel').evaluate((d) => d.open), '…with the filter panel open, as the address holds filters');
    check(shared.url() === bare.url(), `…and the address bar holds the same URL as the page's (${shared.url()})`);
    for (const [facet, value] of [['validity', validity], ['kind', kind], ['issuer', issuer], ['year', year]]) {
      check(await shared.inputValue(`#gk-facets select[name="${facet}"]`) === value, `…with ${facet} chosen`);
    }
    await shared.setViewportSize({ width: 375, height: 800 });
    await noSideScroll(shared, 'filters without words');
    await shoot(shared, 'filters');
    await shared.close();
  }
  await bare.close();

  // The filter lists follow the engine's facets: an engine answering with two more (the
  // second-level 主题分类, and one the page has no label for) gets two more lists, no page change.
  {
    const more = await context.newPage();
    more.on('pageerror', (e) => errors.push(String(e)));
    await more.route('**/search/worker.js', async (route) => {
      const res = await route.fetch();
      const extra = `const gkPost = self.postMessage.bind(self);
self.postMessage = (m) => {
  if (m && m.results && m.results.facets) {
    m.results.facets.category_sub = [['一级甲\\\\二级乙', 2]];
    m.results.facets.zz_new = [['新值', 1]];
  }
  gkPost(m);
};
`;
      await route.fulfill({ response: res, body: extra + (await res.text()) });
    });
    await more.goto(searchUrl);
    await waitForAnswer(more, 0);
    await answer(more, () => more.click('#gk-filter-panel summary'));
    const lists = await more.locator('#gk-facets select').evaluateAll((ss) => ss.map((x) => [x.name, x.labels[0].textContent, x.options[1] && x.options[1].textContent]));
    const names = lists.map((l) => l[0]);
    check(names[0] === 'category' && names[1] === 'category_sub' && names[names.length - 1] === 'zz_new', `a new facet gets its list, labelled ones in the template's order (${names.join(', ')})`);
    const sub = lists.find((l) => l[0] === 'category_sub');
    check(sub && sub[1] === '主题分类（二级）' && sub[2] === '一级甲 › 二级乙（2）', `the second-level 主题分类 is labelled and its levels shown (${sub})`);
    check(lists.find((l) => l[0] === 'zz_new')[1] === 'zz_new', 'a facet the template does not name is shown under its key');
    await answer(more, () => more.selectOption('#gk-facets select[name="category_sub"]', '一级甲\\二级乙'));
    check(params(more).category_sub === '一级甲\\二级乙' && params(more).q === query, `choosing it is recorded in the URL (${more.url()})`);
    await more.close();
  }

  // An estimated count (what the engine answers for a phrase of very common words on a large
  // site, made here by a worker that marks answers asked without `exact` as estimated): "约",
  // the engine's note with a link, the pager over the documents listed; the link asks again
  // with exact=1 and shows the exact count.
  {
    const est = await context.newPage();
    est.on('pageerror', (e) => errors.push(String(e)));
    await est.route('**/search/worker.js', async (route) => {
      const res = await route.fetch();
      const extra = `let gkExact = false;
self.addEventListener('message', (e) => { if (e.data && e.data.query) gkExact = !!e.data.query.exact; });
const gkPost = self.postMessage.bind(self);
self.postMessage = (m) => {
  if (m && m.results && m.results.total > 0 && !gkExact) {
    m.results.listed = m.results.total;
    m.results.total = m.results.total * 10 + 3;
    m.results.estimated = true;
    m.results.complete_after = '2023-01-01';
    m.results.notices.push({ code: 'estimated', message: '结果较多，为加快检索，只完整查找了2023-01-01以后发布的文件。' });
  }
  gkPost(m);
};
`;
      await route.fulfill({ response: res, body: extra + (await res.text()) });
    });
    await est.goto(searchUrl);
    let t = await waitForAnswer(est, 0);
    check(t.startsWith(`找到约 ${n * 10 + 3} 条结果`), `an estimated count says 约 ("${t}")`);
    const link = est.locator('#gk-notices [data-code="estimated"] a.gk-exact');
    check((await link.count()) === 1, 'the note on the estimate has a link for the exact count');
    check(new URL(await link.getAttribute('href'), siteUrl).searchParams.get('exact') === '1', 'the link is a real URL with exact=1');
    t = await answer(est, () => link.click());
    check(total(t) === n && !t.includes('约') && params(est).exact === '1', `the link shows the exact count, recorded in the URL ("${t}")`);
    check((await est.locator('#gk-notices [data-code="estimated"]').count()) === 0, 'no note once the count is exact');
    await est.close();
  }

  // 5. No results, nothing searchable.
  s = await answer(page, async () => {
    await page.fill('#gk-q', '不可能出现的检索词组合甲乙丙');
    await page.press('#gk-q', 'Enter');
  });
  check(s.startsWith('没有找到'), `a query without matches says so ("${s}")`);
  s = await answer(page, async () => {
    await page.fill('#gk-q', '。。。');
    await page.press('#gk-q', 'Enter');
  });
  check(s.includes('没有可以查找的文字'), `punctuation only gets a clear message ("${s}")`);
  await page.setViewportSize({ width: 375, height: 800 });
  s = await answer(page, async () => {
    await page.fill('#gk-q', query);
    await page.press('#gk-q', 'Enter');
  });
  await noSideScroll(page, 'search results');
  await shoot(page, 'results');
  check(errors.length === 0, `no page errors (${errors.join('; ')})`);

  {
    const broken = await context.newPage();
    await broken.route('**/search/index/**', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await broken.goto(searchUrl);
    const t = await waitForAnswer(broken, 0);
    check(t.includes('暂时无法使用'), `a missing index says search is unavailable ("${t}")`);
    await broken.close();
  }

  // 6. Without JavaScript: a plain GET form.
  {
    const browser = context.browser() || (await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'],
    }));
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const p = await noJs.newPage();
    await p.goto(`${siteUrl}search/`);
    check(!(await p.locator('#gk-filters').isVisible()), 'without JavaScript: no empty filter lists');
    await p.fill('#gk-q', query);
    await Promise.all([p.waitForURL(/\/search\/\?q=/), p.press('#gk-q', 'Enter')]);
    check(new URL(p.url()).search === `?q=${encodeURIComponent(query)}`, `without JavaScript: the form sends q alone (${p.url()})`);
    check(await p.locator('.gk-noscript').isVisible(), 'without JavaScript: the page says why and points to the catalogue');
    check((await p.locator(`.gk-noscript a[href="${new URL('ml/', siteUrl).pathname}"]`).count()) === 1, 'without JavaScript: a link to the catalogue');
    // axe needs the page's timers, which are off with JavaScript: it checks the same page as a
    // browser without JavaScript shows it (scripts removed, <noscript> content shown).
    const shown = await browser.newContext();
    const q = await shown.newPage();
    await q.route((u) => u.pathname === searchPath, async (route) => {
      const res = await route.fetch();
      const html = (await res.text()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '').replace(/<\/?noscript>/g, '');
      await route.fulfill({ response: res, body: html });
    });
    await q.goto(p.url());
    check(await q.locator('.gk-noscript').isVisible() && (await q.locator('script').count()) === 0, 'the page as shown without JavaScript');
    await axe(q, 'search page without JavaScript');
    await shown.close();
    for (const width of [1280, 375]) {
      await p.setViewportSize({ width, height: 800 });
      if (width === 375) await noSideScroll(p, 'without JavaScript');
      await p.screenshot({ path: path.join(shotDir, `search-nojs-${width}.png`), fullPage: true });
    }
    await noJs.close();
    if (!context.browser()) await browser.close();
  }

  // 8. Nothing left the origin.
  check(foreign.length === 0, `no request left ${origin} (${foreign.slice(0, 3).join(', ')})`);
  for (const [what, requests, engine] of requestLog) console.log(`# requests for ${what}: ${requests} (engine files ${engine})`);
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
