#!/usr/bin/env node
// What citizens see (issue 16), in a real browser, on a built sample site with several 目录 pages:
//
//   node tests/browser/citizen.mjs http://127.0.0.1:8000/
//
// - No horizontal scrolling at 375 px on home, 目录 pages, a facet page, a document, in the 关怀版.
// - 目录 tables: 文号, dates and 索引号 never wrap; at 375 px each row is a card, title first;
//   in the 关怀版 at 1280 px the table fits (no clipped columns).
// - Header and navigation take under 150 px at 375 px; the navigation folds behind "栏目导航",
//   which opens it without JavaScript.
// - Pager: 首页/上一页/window/下一页/尾页 and a "跳到第 N 页" form that jumps with JavaScript and
//   lands on the page index (every page number a link) without it.
// - Labels: no "目录目录", no "有效目录"; the breadcrumb of a facet page names the facet.
// - Shareable addresses: every link of the column is short ASCII (no %E4… strings); an old
//   Chinese catalogue address still opens, on the new page, with and without JavaScript.
// - A column that tells the truth: an empty 条例 item says 本栏目暂无信息 (or the office's own
//   sentence); the 依申请公开 page says how to apply and has the form; the 指南 too.
// - The logo and the footer badges are the site's own files, with text alternatives; no page
//   asks another server for anything.
// Screenshots go to $SCREENSHOT_DIR (default <repo>/target/browser-screenshots/), citizen-*.png.
// Exit code 0 when every check passes, 1 otherwise, 2 when the test cannot run.

import path from "node:path";
import { start } from "./common.mjs";

const { browser, shotDir, fail, check, url, base, finish } = await start("citizen.mjs");
const rel = (href) => new URL(href).pathname.slice(new URL(base).pathname.length);
await finish(run, "citizen");

async function newPage(width, { care = false, js = true } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "zh-CN", javaScriptEnabled: js });
  if (care) await context.addInitScript(() => localStorage.setItem("gongkai-care", "1"));
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on("pageerror", (e) => fail(`JavaScript error on ${page.url()}: ${e.message}`));
  return page;
}

async function goto(page, r) {
  const res = await page.goto(url(r), { waitUntil: "load" });
  if (!res || res.status() !== 200) fail(`${r}: HTTP ${res ? res.status() : "no response"}`);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(shotDir, `citizen-${name}.png`), fullPage: true });
}

/** Facts about the page's layout and text, measured in the browser. */
function layout(page) {
  return page.evaluate(() => {
    const lines = (el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      return new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
    };
    const cells = (sel) => [...document.querySelectorAll(sel)].filter((c) => c.textContent.trim() && c.offsetParent);
    const wrapped = cells(".catalogue .doc-no-cell, .catalogue .published, .catalogue .written, .catalogue .index-no")
      .filter((c) => lines(c) > 1)
      .map((c) => c.textContent.trim());
    const row = document.querySelector(".catalogue tbody tr");
    let card = null;
    if (row) {
      const title = row.querySelector(".title-cell").getBoundingClientRect();
      const no = row.querySelector(".doc-no-cell:not(:empty), .published").getBoundingClientRect();
      const head = document.querySelector(".catalogue thead").getBoundingClientRect();
      card = { titleFirst: title.bottom <= no.top + 1, headHidden: head.right <= 0 };
    }
    const table = document.querySelector(".table-scroll");
    return {
      scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      tableClipped: table ? table.scrollWidth - table.clientWidth : 0,
      header: Math.round(document.querySelector(".site-header").getBoundingClientRect().bottom),
      navShown: !!document.querySelector(".main-nav").offsetParent,
      wrapped,
      card,
      text: document.body.innerText,
      crumbs: [...document.querySelectorAll(".breadcrumbs li")].map((l) => l.textContent.trim()),
    };
  });
}

async function run() {
  // Pages to visit, found from the site itself.
  const p = await newPage(1280);
  await goto(p, "ml/");
  const docRel = rel(await p.$eval("table.catalogue tbody a", (a) => a.href));
  const facetRel = rel(await p.$eval(".facets details[open] a", (a) => a.href));
  const facetName = await p.$eval(".facets details[open] summary", (s) => s.textContent.trim());
  const total = await p.$eval(".page-jump", (f) => +f.dataset.total);
  check(total >= 3, `信息公开目录 has ${total} pages (≥ 3 to test the pager)`);
  await goto(p, "fdzdgknr/fgwj/yfzsx/");
  const endedRel = await p.$eval("table.catalogue tbody a", (a) => a.href).then(rel).catch(() => null);
  await goto(p, "");
  const icon = await p.$eval('link[rel="icon"]', (l) => l.href).catch(() => null);
  const iconRes = icon ? await p.request.get(icon) : null;
  check(iconRes && iconRes.status() === 200 && /svg/.test(iconRes.headers()["content-type"] || ""), `favicon served (${icon})`);
  await p.context().close();

  const visits = [
    ["home", ""],
    ["catalogue", "ml/"],
    ["catalogue-page-2", "ml/page/2/"],
    ["facet", facetRel],
    ["document", docRel],
    ...(endedRel ? [["ended-document", endedRel]] : []),
    ["statutory", "fdzdgknr/"],
    ["apply", "ysqgk/"],
    ["empty-item", "fdzdgknr/jgzn/"],
    // Issue 18: the 标准目录 table (14 columns) must read at 375 px: one card per 二级事项.
    ["standard-area", "bzml/zdjsxm/"],
    ["standard-index", "bzml/"],
  ];
  console.log("layout and labels");
  for (const [width, care] of [[1280, false], [375, false], [1280, true], [375, true]]) {
    const page = await newPage(width, { care });
    const tag = `${width}${care ? "-care" : ""}`;
    for (const [name, r] of visits) {
      await goto(page, r);
      const l = await layout(page);
      check(l.scroll <= 0, `${name} @${tag}: no horizontal scroll (${l.scroll} px over)`);
      check(l.tableClipped <= 0, `${name} @${tag}: the 目录 table is not clipped (${l.tableClipped} px)`);
      check(l.wrapped.length === 0, `${name} @${tag}: 文号, dates and 索引号 on one line ${l.wrapped.length ? JSON.stringify(l.wrapped) : ""}`);
      check(!/目录目录|有效目录/.test(l.text), `${name} @${tag}: no "目录目录" or "有效目录"`);
      if (width === 375 && l.card) {
        check(l.card.titleFirst && l.card.headHidden, `${name} @${tag}: rows shown as cards, title first`);
      }
      if (width === 375 && !care) {
        check(l.header < 150, `${name} @${tag}: header and navigation end at ${l.header} px (< 150)`);
        check(!l.navShown, `${name} @${tag}: navigation folded`);
      }
      if (name === "standard-area" && width === 375) {
        const s = await page.evaluate(() => ({
          headHidden: document.querySelector(".standard thead").getBoundingClientRect().right <= 0,
          rows: [...document.querySelectorAll(".standard tbody tr")].map((r) => r.getBoundingClientRect().width),
          vw: document.documentElement.clientWidth,
          label: getComputedStyle(document.querySelector('.standard td[data-label="公开时限"]'), "::before").content,
        }));
        check(s.headHidden && s.rows.length > 0 && s.rows.every((w) => w <= s.vw), `standard-area @${tag}: each 二级事项 is a card within the screen (${s.rows.length} cards)`);
        check(/公开时限：/.test(s.label), `standard-area @${tag}: a cell names its column on the card (${s.label})`);
      }
      if (name === "facet") {
        check(l.crumbs.includes(facetName), `facet page breadcrumb names ${facetName}: ${l.crumbs.join(" › ")}`);
      }
      await shot(page, `${name}-${tag}`);
    }
    await page.context().close();
  }

  console.log("navigation on phones without JavaScript");
  const nojs = await newPage(375, { js: false });
  await goto(nojs, "ml/");
  await nojs.click(".nav-label");
  check(await nojs.$eval(".main-nav", (n) => !!n.offsetParent), "栏目导航 opens the navigation without JavaScript");
  await shot(nojs, "nav-open-375");

  console.log("pager");
  await goto(nojs, "ml/page/2/");
  const links = await nojs.$$eval(".pager ul li", (ls) => ls.map((l) => l.textContent.trim()));
  check(links[0] === "首页" && links[1] === "上一页", `pager starts 首页 上一页: ${links.join(" ")}`);
  check(links.at(-1) === "尾页" && links.at(-2) === "下一页", "pager ends 下一页 尾页");
  check(links.includes("2") && links.includes("1") && links.includes("3"), "pager shows the current page ±2");
  await nojs.fill("#page-jump-n", "3");
  await Promise.all([nojs.waitForNavigation(), nojs.click(".page-jump button")]);
  check(rel(nojs.url()).startsWith("ml/page/"), `without JavaScript 跳转 opens the page index (${rel(nojs.url())})`);
  const indexLinks = await nojs.$$eval(".page-index a", (as) => as.map((a) => a.textContent.trim()));
  check(indexLinks.length === total && indexLinks.at(-1) === String(total), `page index links every page (${indexLinks.length})`);
  await nojs.click(`.page-index a >> text="3"`);
  check(rel(nojs.url()) === "ml/page/3/", "the page index opens page 3");
  await nojs.context().close();

  console.log("document page");
  const d = await newPage(1280, { js: false });
  await goto(d, "xxgk/13502/2022-26273.html");
  const signoff = await d.$$eval(".body p.signoff", (ps) => ps.map((p) => [p.textContent, getComputedStyle(p).textAlign]));
  check(signoff.length === 2 && signoff.every(([, a]) => a === "right"), `落款 right-aligned: ${JSON.stringify(signoff)}`);
  const empty = await d.$$eval(".info-box dd", (dds) => dds.filter((x) => !x.textContent.trim()).length);
  check(empty === 0, "no empty 信息索引 cell");
  const size = () => d.$eval(".body p", (p) => parseFloat(getComputedStyle(p).fontSize));
  const normal = await size();
  await d.click('a[href="#zh-da"]');
  const large = await size();
  await d.click('a[href="#zh-xiao"]');
  const small = await size();
  check(large > normal && small < normal, `字号 大/中/小 without JavaScript: ${large} > ${normal} > ${small} px`);
  check(!(await d.$eval(".print-button", (b) => !!b.offsetParent)), "no 打印 button without JavaScript");
  if (endedRel) {
    await goto(d, endedRel);
    const facts = await d.evaluate(() => ({
      validity: [...document.querySelectorAll(".info-box div")].find((x) => x.querySelector("dt").textContent === "有 效 性")?.querySelector("dd").textContent,
      labels: [...document.querySelectorAll(".info-box dt")].map((x) => x.textContent),
      bannerAbove: document.querySelector(".banner").getBoundingClientRect().bottom <= document.querySelector(".doc-title").getBoundingClientRect().top,
    }));
    check(facts.bannerAbove, "the validity banner is above the title");
    if (facts.validity === "失效") {
      check(facts.labels.includes("失效日期") && !facts.labels.includes("废止日期"), `a 失效 document says 失效日期: ${facts.labels.join(" ")}`);
    }
    await shot(d, "ended-document-nojs-1280");
  }
  await d.context().close();

  console.log("shareable addresses");
  const a = await newPage(1280);
  const origin = new URL(base).origin;
  const foreign = [];
  a.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) foreign.push(r.url());
  });
  for (const r of ["", "ml/", facetRel, docRel, "fdzdgknr/", "wzdt/", "ysqgk/"]) {
    await goto(a, r);
    const bad = await a.$$eval("a[href]", (as) =>
      as.map((x) => x.getAttribute("href")).filter((h) => h.startsWith("/") && (/[^\x00-\x7f]/.test(h) || /%[0-9a-f]{2}/i.test(h))),
    );
    check(bad.length === 0, `${r || "home"}: every link of the column is short ASCII ${bad.length ? JSON.stringify(bad.slice(0, 3)) : ""}`);
  }
  check(/^ml\/[a-z0-9-]+\/[a-z0-9-]+\/$/.test(facetRel), `a facet value's address is short: ${facetRel}`);
  for (const js of [true, false]) {
    const old = await newPage(375, { js });
    await old.goto(url("ml/主题分类/综合政务/"));
    await old.waitForURL((u) => u.pathname.endsWith("/ml/ztfl/zhzw/"), { timeout: 10000 }).catch(() => {});
    check(rel(old.url()) === "ml/ztfl/zhzw/", `the old address ml/主题分类/综合政务/ opens ml/ztfl/zhzw/ ${js ? "with" : "without"} JavaScript (${rel(old.url())})`);
    check((await old.$$("table.catalogue tbody tr")).length > 0, "…and lists its documents");
    if (!js) await shot(old, "old-address-landed-375");
    await old.context().close();
  }

  console.log("a column that tells the truth");
  await goto(a, "fdzdgknr/jgzn/");
  check((await a.$eval("main .empty", (e) => e.textContent.trim())) === "本栏目暂无信息。", "an empty 条例 item says 本栏目暂无信息。");
  await goto(a, "fdzdgknr/gwyzk/");
  const own = await a.$eval("main .empty", (e) => e.textContent.trim());
  check(own.startsWith("本机关公务员招考信息由"), `an item the office explained shows its sentence: ${own}`);
  await goto(a, "fdzdgknr/");
  const notes = await a.$$eval("main li a", (ls) => ls.map((l) => l.textContent));
  check(notes.some((t) => t.includes("机构职能") && t.includes("暂无信息")) && !notes.some((t) => /(^|[^0-9])0 条/.test(t)), `the hub says 暂无信息, not 0 条: ${notes.slice(0, 3).join(" | ")}`);
  await goto(a, "ysqgk/");
  const apply = await a.evaluate(() => ({
    headings: [...document.querySelectorAll("main h2")].map((h) => h.textContent),
    nav: [...document.querySelectorAll(".main-nav a")].map((x) => x.textContent),
    form: document.querySelectorAll("main table th").length,
  }));
  check(apply.nav.includes("依申请公开"), "依申请公开 is in the navigation");
  check(["申请方式", "受理机构", "申请表"].every((w) => apply.headings.some((h) => h.includes(w))), `依申请公开 page: ${apply.headings.join(" / ")}`);
  await goto(a, "zfxxgkzn/");
  const guide = await a.$eval("main", (m) => m.innerText);
  check(/申请方式/.test(guide) && /信函申请/.test(guide) && /在线申请/.test(guide), "the 指南 says how to apply");

  console.log("logo and badges");
  await goto(a, "");
  const imgs = await a.evaluate(() =>
    [...document.querySelectorAll(".site-name img, .site-footer img")].map((i) => ({ cls: i.className || i.parentElement.className, src: i.src, alt: i.getAttribute("alt"), ok: i.complete && i.naturalWidth > 0 })),
  );
  check(imgs.length === 3 && imgs.every((i) => i.ok && i.src.startsWith(origin)), `logo, 党政机关网站标识 and 公安备案 icon load from the site: ${JSON.stringify(imgs)}`);
  check(imgs.every((i) => i.alt !== null) && imgs.some((i) => i.alt === "党政机关网站标识"), "each image has a text alternative");
  for (const width of [1280, 375]) {
    await a.setViewportSize({ width, height: 900 });
    await a.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await a.screenshot({ path: path.join(shotDir, `citizen-footer-${width}.png`) });
  }
  check(foreign.length === 0, `no request to another server ${foreign.length ? JSON.stringify(foreign.slice(0, 3)) : ""}`);
  await a.context().close();

  const js = await newPage(1280);
  await goto(js, "ml/");
  await js.fill("#page-jump-n", "3");
  await Promise.all([js.waitForNavigation(), js.click(".page-jump button")]);
  check(rel(js.url()) === "ml/page/3/", `with JavaScript 跳转 goes straight to page 3 (${rel(js.url())})`);
  await goto(js, docRel);
  check(await js.$eval(".print-button", (b) => !!b.offsetParent), "打印本页 shown with JavaScript");
  await js.context().close();
}
