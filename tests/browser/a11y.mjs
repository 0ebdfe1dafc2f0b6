#!/usr/bin/env node
// Accessibility test of a built gongkai site in a real browser (SPEC §5.2: GB/T 37668-2019
// level 2 ≈ WCAG 2.x AA, and the 适老化 duties).
//
//   node tests/browser/a11y.mjs http://127.0.0.1:8000/
//
// 1. axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the column home, a catalogue page, a
//    document, the search page with results, the 年报 column and a 年报 document, the 网站地图,
//    网站声明, 联系我们 and 404 pages, at 1280 px and 375 px wide, and on the 关怀版 of a document.
// 2. Keyboard only: skip link, visible focus on every stop, Tab from the top of a document to
//    the search box and run a search; open a 目录 filter and follow pagination with the keyboard.
// 3. 关怀版: the top-bar toggle turns it on, it is remembered on the next page, it turns off;
//    without JavaScript the toggle link still shows the page in that style.
// 4. Text at 200 %: no horizontal scrolling of the page (tables may scroll in their own box).
// 5. Print: a document prints without navigation, with its 信息索引 box; saved as a PDF.
// Screenshots of home, catalogue, document and search at 1280 and 375 px go to
// $SCREENSHOT_DIR (default: <repo>/target/browser-screenshots/).
//
// Exit code 0 when every check passes, 1 otherwise, 2 when the test cannot run.

import path from "node:path";
import { start } from "./common.mjs";

const { base, shotDir, browser, fail, ok, check, url, finish, axe, tabTo } = await start("a11y.mjs", [
  "--disable-quic", "--disable-component-update", "--disable-sync",
]);
const SEARCH_TERM = "政务公开";
// Where the search page shows its hits (the search helper's markup; any of these).
const RESULT_SELECTOR = "#gk-results li, #search-results li, #search-results article, .search-results li, [data-search-results] li";

await finish(run, "accessibility");

// ---------------------------------------------------------------------------------------------

async function newPage(width = 1280, opts = {}) {
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    locale: "zh-CN",
    ...opts,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on("pageerror", (e) => fail(`JavaScript error on ${page.url()}: ${e.message}`));
  return page;
}

async function goto(page, rel) {
  const res = await page.goto(url(rel), { waitUntil: "load" });
  if (!res || res.status() !== 200) fail(`${rel}: HTTP ${res ? res.status() : "no response"}`);
  return res;
}

/** The href (relative to base) of the first link matching `selector` on page `rel`. */
async function firstLink(page, rel, selector) {
  await goto(page, rel);
  const href = await page.$eval(selector, (a) => a.href).catch(() => null);
  if (!href) throw new Error(`no link ${selector} on ${rel}`);
  return new URL(href).pathname.slice(new URL(base).pathname.length);
}

async function waitForSearchResults(page) {
  // The results list appears when the search engine has run; if the page has no results
  // container at all (engine not built), axe runs on the page as it is.
  try {
    await page.waitForSelector(RESULT_SELECTOR, { timeout: 10000 });
    return true;
  } catch {
    return false;
  }
}

async function run() {
  const page = await newPage(1280);

  // Discover pages from the site itself, so the test follows the sample content.
  console.log("pages");
  const docRel = await firstLink(page, "ml/", "table.catalogue tbody a");
  const reportRel = await firstLink(page, "zfxxgknb/", "table.catalogue tbody a");
  // 政务公开事项标准目录 (issue 18): the index, a 领域's ten-column table, an item's documents.
  const areaRel = await firstLink(page, "bzml/", "table.standard-index tbody a");
  const entryRel = await firstLink(page, areaRel, "table.standard tbody th.second a");
  const pages = [
    ["home", ""],
    ["catalogue", "ml/"],
    ["document", docRel],
    ["search", `search/?q=${encodeURIComponent(SEARCH_TERM)}`],
    ["年报 column", "zfxxgknb/"],
    ["依申请公开", "ysqgk/"],
    ["empty 条例 item", "fdzdgknr/jgzn/"],
    ["年报 document", reportRel],
    ["标准目录", "bzml/"],
    ["标准目录领域", areaRel],
    ["标准目录事项", entryRel],
    ["网站地图", "wzdt/"],
    ["网站声明", "wzsm/"],
    ["联系我们", "lxwm/"],
    ["404", "404.html"],
  ];
  ok(`document page: ${docRel}; 年报: ${reportRel}`);

  // 1. axe at two widths, screenshots of the main pages.
  console.log("axe-core (WCAG 2 A/AA)");
  const axeCounts = {};
  for (const width of [1280, 375]) {
    const p = width === 1280 ? page : await newPage(width);
    for (const [label, rel] of pages) {
      await goto(p, rel);
      if (label === "search") {
        const shown = await waitForSearchResults(p);
        if (width === 1280) ok(`search results ${shown ? "shown" : "not shown (no results list on the page)"}`);
      }
      axeCounts[`${label} @${width}`] = await axe(p, `${label} @${width}px`);
      if (["home", "catalogue", "document", "search", "标准目录领域"].includes(label)) {
        await p.screenshot({ path: path.join(shotDir, `${label}-${width}.png`), fullPage: true });
      }
    }
    if (p !== page) await p.context().close();
  }

  await metadata(page, docRel);
  await keyboard(docRel);
  await care(docRel);
  await zoom(docRel);
  await print(docRel);
  console.log(`screenshots and PDF in ${shotDir}`);
}

// Footer identifiers and meta tags (SPEC §5.1).
async function metadata(page, docRel) {
  console.log("footer and meta tags");
  await goto(page, docRel);
  const meta = await page.evaluate(() =>
    Object.fromEntries([...document.querySelectorAll("meta[name]")].map((m) => [m.name, m.content])),
  );
  for (const k of ["SiteName", "SiteDomain", "SiteIDCode", "ArticleTitle", "PubDate", "ContentSource"]) {
    check(meta[k], `document has <meta name="${k}"> (${meta[k] || "missing"})`);
  }
  check(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(meta.PubDate || ""), "PubDate is YYYY-MM-DD HH:MM");
  const footer = await page.$eval("footer", (f) => ({
    text: f.innerText,
    links: [...f.querySelectorAll("a")].map((a) => [a.textContent.trim(), a.href]),
  }));
  for (const t of ["网站地图", "网站声明", "联系我们"]) {
    check(footer.links.some(([x]) => x === t), `footer links to ${t}`);
  }
  for (const t of ["主办单位", "网站标识码"]) check(footer.text.includes(t), `footer shows ${t}`);
  check(footer.links.some(([x, h]) => /ICP备/.test(x) && h.startsWith("https://beian.miit.gov.cn")), "ICP备案号 links to beian.miit.gov.cn");
  check(footer.links.some(([x, h]) => /公网安备/.test(x) && h.startsWith("https://beian.mps.gov.cn")), "公安备案号 links to beian.mps.gov.cn");
  await goto(page, "ml/");
  const col = await page.evaluate(() => ({
    name: document.querySelector('meta[name="ColumnName"]')?.content,
    type: document.querySelector('meta[name="ColumnType"]')?.content,
  }));
  check(col.name && col.type, `column page has ColumnName/ColumnType (${col.name} / ${col.type})`);
  check((await page.getAttribute("html", "lang")) === "zh-CN", 'lang="zh-CN"');
}

async function keyboard(docRel) {
  console.log("keyboard only");
  const page = await newPage(1280);
  await goto(page, docRel);
  // Skip link: first Tab stop, visible, and moves focus to <main>.
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    return { cls: el.className, text: el.textContent.trim(), visible: r.left >= 0 && r.top >= 0 && r.width > 0 };
  });
  check(first.cls.includes("skip-link") && first.visible, `first Tab stop is the visible skip link (“${first.text}”)`);
  await page.keyboard.press("Enter");
  check(await page.evaluate(() => document.activeElement?.id === "main"), "skip link moves focus to <main>");

  // From the top of the document page to the search box, then search.
  await goto(page, docRel);
  const box = await tabTo(page, (s) => s.tag === "input" && s.id === "site-q", "the search box");
  if (box) {
    ok("Tab reaches the search box");
    await page.keyboard.type(SEARCH_TERM);
    await Promise.all([page.waitForURL(/\/search\/\?q=/), page.keyboard.press("Enter")]);
    const q = new URL(page.url()).searchParams.get("q");
    check(q === SEARCH_TERM, `Enter runs the search (${page.url()})`);
    const shown = await waitForSearchResults(page);
    if (shown) {
      ok("search results are shown");
      // The first hit is reachable with the keyboard.
      const hit = await tabTo(page, (s) => s.tag === "a" && s.href.includes(".html"), "a search result", 120);
      if (hit) ok(`Tab reaches a result link (“${hit.text}”)`);
    } else {
      ok("search page loaded (no results list to check yet)");
    }
  }

  // 目录 filters (details/summary) and pagination with the keyboard.
  await goto(page, "ml/");
  const summary = await tabTo(page, (s) => s.tag === "summary", "a 目录 filter");
  if (summary) {
    const before = await page.evaluate(() => document.activeElement.parentElement.open);
    await page.keyboard.press("Enter");
    const after = await page.evaluate(() => document.activeElement.parentElement.open);
    check(before !== after, `Enter opens/closes the filter “${summary.text}”`);
  }
  await goto(page, "ml/");
  const hasPager = await page.$(".pager a[rel=next]");
  if (hasPager) {
    const next = await tabTo(page, (s) => s.rel === "next", "the 下一页 link", 200);
    if (next) {
      await Promise.all([page.waitForURL(/page\/2\/$/), page.keyboard.press("Enter")]);
      ok(`Enter on 下一页 opens ${page.url()}`);
      await axe(page, "catalogue page 2 @1280px");
    }
  } else {
    fail("catalogue has no pagination to test (build the site with a small page_size)");
  }
  await page.context().close();
}

async function care(docRel) {
  console.log("关怀版");
  const page = await newPage(1280);
  await goto(page, docRel);
  const fontSize = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector(".body") || document.body).fontSize));
  const normal = await fontSize();
  const toggle = await tabTo(page, (s) => s.cls.includes("care-toggle"), "the 关怀版 toggle");
  if (toggle) {
    await page.keyboard.press("Enter");
    await page.waitForTimeout(100);
    const on = await page.evaluate(() => document.documentElement.classList.contains("care"));
    const big = await fontSize();
    check(on && big >= normal * 1.2, `toggle turns 关怀版 on (text ${normal}px → ${big}px)`);
    await page.screenshot({ path: path.join(shotDir, "document-care-1280.png"), fullPage: true });
    await axe(page, "关怀版 document @1280px");
    await goto(page, "");
    check(await page.evaluate(() => document.documentElement.classList.contains("care")), "关怀版 is remembered on the next page");
    await axe(page, "关怀版 home @1280px");
    await page.click(".care-toggle");
    await page.waitForTimeout(100);
    check(!(await page.evaluate(() => document.documentElement.classList.contains("care"))), "toggle turns 关怀版 off");
    await goto(page, docRel);
    check(!(await page.evaluate(() => document.documentElement.classList.contains("care"))), "standard version is remembered");
  }
  await page.context().close();

  // Without JavaScript, the toggle is a plain link to the same page in the 关怀版 style.
  const nojs = await newPage(1280, { javaScriptEnabled: false });
  await goto(nojs, docRel);
  const href = await nojs.getAttribute(".care-toggle", "href");
  await nojs.click(".care-toggle");
  await nojs.waitForTimeout(100);
  const size = await nojs.evaluate(() => parseFloat(getComputedStyle(document.querySelector(".body") || document.body).fontSize));
  check(size >= normal * 1.2, `without JavaScript the link (${href}) shows the 关怀版 (text ${size}px)`);
  await nojs.context().close();
}

async function zoom(docRel) {
  console.log("text at 200 %");
  for (const width of [1280, 375]) {
    const page = await newPage(width);
    for (const rel of ["", "ml/", docRel]) {
      await goto(page, rel);
      await page.evaluate(() => (document.documentElement.style.fontSize = "200%"));
      const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      check(over <= 1, `/${rel} @${width}px with text at 200 %: no page-wide horizontal scroll (${over}px)`);
    }
    await page.context().close();
  }
}

async function print(docRel) {
  console.log("print");
  const page = await newPage(1280);
  await goto(page, docRel);
  await page.emulateMedia({ media: "print" });
  const vis = await page.evaluate(() => {
    const shown = (sel) => {
      const el = document.querySelector(sel);
      return !!el && getComputedStyle(el).display !== "none" && el.getBoundingClientRect().height > 0;
    };
    return {
      header: shown(".site-header"), footer: shown(".site-footer"), crumbs: shown(".breadcrumbs"),
      info: shown(".info-box"), title: shown(".doc-title"), body: shown(".body"),
    };
  });
  check(!vis.header && !vis.footer && !vis.crumbs, "print: no header, navigation, breadcrumbs or footer");
  check(vis.info && vis.title && vis.body, "print: 信息索引 box, title and text are printed");
  await page.screenshot({ path: path.join(shotDir, "document-print.png"), fullPage: true });
  await page.pdf({ path: path.join(shotDir, "document.pdf"), format: "A4", printBackground: false });
  ok("document.pdf written");
  await page.context().close();
}
