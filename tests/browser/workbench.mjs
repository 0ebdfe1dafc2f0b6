#!/usr/bin/env node
// The workbench of `gongkai serve` (issue 14) in a real browser.
//
//   node tests/browser/workbench.mjs http://127.0.0.1:PORT/ --root SITE --attachment FILE \
//        --import FILE.docx [--import ATTACHMENT …] [--catalogue ml/ztfl/zhzw/]
//
// 1. Create a document through the form, see the finding for its missing field, fix it with
//    the keyboard, publish it with the keyboard, and find it on its catalogue page and in search.
// 2. Edit a document whose keys are Chinese: the file's diff is the edited line only.
// 3. A cross-origin POST (a form and a fetch from another site) and a POST without the token
//    are refused; an upload with ../ in its name is refused and writes nothing.
// 4. Attachments: upload with the file picker, then remove with the keyboard.
// 5. Import a Word file with its attachment files: it opens in the form with what was found.
// 6. A file that does not load (a full-width colon) opens as its text with the finding, and is
//    repaired there.
// 7. axe-core (WCAG 2 A/AA) on every workbench page: 0 violations; every Tab stop shows focus.
//
// Exit code 0 when every check passes, 1 otherwise, 2 when the test cannot run.

import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { start } from "./common.mjs";

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : null;
};
const root = arg("--root");
const imports = process.argv.flatMap((a, i) => (a === "--import" ? [process.argv[i + 1]] : []));
const attachment = arg("--attachment");
const catalogue = arg("--catalogue") || "ml/ztfl/zhzw/";
if (!root || imports.length === 0 || !attachment) {
  console.error("usage: node workbench.mjs URL --root SITE --attachment FILE --import FILE.docx [--import FILE …]");
  process.exit(2);
}
const { base, shotDir, browser, fail, ok, check, url, finish, axe, tabTo: tabWithin } = await start("workbench.mjs");
/** The Tab walk of common.mjs, with room for the many stops of a form. */
const tabTo = (page, pred, what) => tabWithin(page, pred, what, 200);
const MARKER = "工作台浏览器测试ZQXWB7731";
const SEED = "content/2022/chengde-2022-zwgk-gongzuo-yaodian.md";

await finish(run, "workbench");

async function run() {
  // bypassCSP only lets the test inject axe-core; the pages themselves allow no inline script.
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "zh-CN", bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  page.on("pageerror", (e) => fail(`JavaScript error on ${page.url()}: ${e.message}`));
  page.on("dialog", (d) => d.accept());

  await listPage(page);
  const rel = await createFixPublish(page);
  await findPublished(page, context);
  await chineseKeys(page);
  await refusals(page, rel);
  await attachments(page, rel);
  await importWord(page);
  await repairBroken(page);
}

function read(rel) {
  return readFileSync(path.join(root, rel), "utf8");
}

async function listPage(page) {
  console.log("document list");
  await page.goto(url("_gongkai/"));
  check((await page.title()).includes("文件列表"), "the list page opens");
  const rows = await page.locator("table.list tbody tr").count();
  check(rows >= 15, `every document is listed (${rows} rows)`);
  const draftRow = page.locator("table.list tbody tr", { hasText: "caogao-tongzhi.md" });
  check((await draftRow.textContent()).includes("草稿"), "the draft is marked 草稿");
  await axe(page, "document list");
  // Keyboard: the skip link first, then a filter.
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => document.activeElement.textContent.trim());
  check(first === "跳到主要内容", `first Tab stop is the skip link (“${first}”)`);
  await page.keyboard.press("Enter");
  check(await page.evaluate(() => document.activeElement.id === "main"), "the skip link moves focus to main");
  await tabTo(page, (s) => s.id === "state", "the state filter");
  await page.keyboard.press("ArrowDown"); // 草稿
  await tabTo(page, (s) => s.tag === "button" && s.text === "筛选", "the filter button");
  await Promise.all([page.waitForURL(/state=draft/), page.keyboard.press("Enter")]);
  const drafts = await page.locator("table.list tbody tr").allTextContents();
  check(drafts.length >= 1 && drafts.every((t) => t.includes("草稿")), `filter by state shows drafts only (${drafts.length})`);
  await page.goto(url("_gongkai/?findings=errors"));
  const withErrors = await page.locator("table.list tbody tr").allTextContents();
  check(withErrors.every((t) => /\d+ 个错误/.test(t)), `filter “有错误” shows documents with errors only (${withErrors.length})`);
  await page.screenshot({ path: path.join(shotDir, "workbench-list.png"), fullPage: false });
}

async function createFixPublish(page) {
  console.log("create, review, fix, publish");
  await page.goto(url("_gongkai/new"));
  await axe(page, "new / import page");
  await tabTo(page, (s) => s.id === "n-title", "the title field");
  await page.keyboard.type(MARKER + "的通知");
  await Promise.all([page.waitForURL(/\/_gongkai\/edit\?path=/), page.keyboard.press("Enter")]);
  const rel = new URL(page.url()).searchParams.get("path");
  ok(`created ${rel}`);
  check(read(rel).includes("draft: true"), "the new file is a draft");
  const missing = await page.locator("#find-category").textContent();
  check(/P03/.test(missing) && missing.includes("category（主题分类）"), `the missing 主题分类 is shown at its field (“${missing.trim().slice(0, 60)}…”)`);
  check((await page.getAttribute("#f-category", "aria-describedby")).includes("find-category"), "the finding describes the field (aria-describedby)");
  await axe(page, "form of a new document");
  await page.screenshot({ path: path.join(shotDir, "workbench-form.png"), fullPage: false });

  // Publishing now is refused.
  const before = read(rel);
  await tabTo(page, (s) => s.tag === "button" && s.text === "发布", "the publish button");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => /不能发布/.test(document.getElementById("status").textContent));
  ok("publishing with an error is refused: " + (await page.locator("#status p").first().textContent()).slice(0, 40));
  check(read(rel) === before, "the refused publication wrote nothing");

  // Fix it with the keyboard: choose 综合政务.
  await page.focus("#f-title");
  await tabTo(page, (s) => s.id === "f-category", "the 主题分类 field");
  for (let i = 0; i < 40 && (await page.inputValue("#f-category")) !== "综合政务"; i++) await page.keyboard.press("ArrowDown");
  check((await page.inputValue("#f-category")) === "综合政务", "主题分类 chosen with the keyboard");
  await page.waitForFunction(() => document.getElementById("find-category").children.length === 0, null, { timeout: 20000 });
  ok("the finding goes once the field is filled (live review)");
  const summary = await page.locator("#review-summary").textContent();
  check(!/[1-9]\d* 个错误/.test(summary), `no error remains (“${summary}”)`);
  const preview = await page.evaluate(() => document.getElementById("preview").srcdoc);
  check(preview.includes(MARKER) && preview.includes("综合政务"), "the preview shows the page with the new 主题分类");

  // Publish with the keyboard.
  await page.focus("#f-body");
  await tabTo(page, (s) => s.tag === "button" && s.text === "发布", "the publish button");
  await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
  await page.waitForFunction(() => /已发布/.test(document.getElementById("status").textContent));
  const after = read(rel);
  check(!after.includes("draft") && after.includes('category: "综合政务"'), "the file is published: draft removed, 主题分类 written");
  check((await page.locator(".meta .state").textContent()).includes("已发布"), "the form shows the document as published");
  await axe(page, "form of a published document");
  return rel;
}

async function findPublished(page, context) {
  console.log("on the site");
  // The rebuild follows the save; the search index is made in the background. Each try is a
  // fresh tab, closed after: served pages keep a reload connection open, and a browser allows
  // only six connections to one host.
  const attempt = async (rel, test) => {
    const p = await context.newPage();
    try {
      const res = await p.goto(url(rel));
      return res.status() === 200 && (await test(p));
    } catch {
      return false;
    } finally {
      await p.close();
    }
  };
  let listed = false;
  for (let i = 0; i < 60 && !listed; i++) {
    listed = await attempt(catalogue, async (p) => (await p.content()).includes(MARKER));
    if (!listed) await page.waitForTimeout(1000);
  }
  check(listed, `the document is listed on its catalogue page ${catalogue}`);
  let found = false;
  for (let i = 0; i < 60 && !found; i++) {
    found = await attempt(`search/?q=${encodeURIComponent(MARKER)}`, async (p) => {
      await p.waitForFunction(() => Number(document.getElementById("gk-search").getAttribute("data-answers") || "0") > 0, null, { timeout: 10000 });
      return (await p.locator("#gk-results").textContent()).includes(MARKER);
    });
    if (!found) await page.waitForTimeout(1000);
  }
  check(found, "the document is found by the site's search");
}

async function chineseKeys(page) {
  console.log("a document with Chinese keys");
  const before = read(SEED);
  check(/^发布机构: "市政府办公室"$/m.test(before), "the seed document writes 发布机构 in Chinese");
  await page.goto(url(`_gongkai/edit?path=${encodeURIComponent(SEED)}`));
  await axe(page, "form of a published document with Chinese keys");
  await tabTo(page, (s) => s.id === "f-issuer", "the 发布机构 field");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("承德市人民政府办公室");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Control+S");
  await page.waitForFunction(() => /已保存/.test(document.getElementById("status").textContent));
  const after = read(SEED);
  const a = before.split("\n");
  const b = after.split("\n");
  const changed = a.map((l, i) => [l, b[i]]).filter(([x, y]) => x !== y);
  check(a.length === b.length && changed.length === 1, `one line differs (${changed.length}; ${a.length} → ${b.length} lines)`);
  check(changed.length === 1 && changed[0][0] === '发布机构: "市政府办公室"' && changed[0][1] === '发布机构: "承德市人民政府办公室"', `the line is the edited one, key kept in Chinese (${JSON.stringify(changed[0] || [])})`);
}

async function refusals(page, rel) {
  console.log("refusals");
  await page.goto(url(`_gongkai/edit?path=${encodeURIComponent(rel)}`));
  const version = await page.inputValue('input[name="version"]');
  const before = read(rel);
  // Same origin, no token.
  const noToken = await page.evaluate(async ([rel, version]) => {
    const body = new URLSearchParams({ path: rel, version, shown: "title", "f.title": "NO-TOKEN" });
    const r = await fetch("/_gongkai/save", { method: "POST", body });
    return r.status;
  }, [rel, version]);
  check(noToken === 403, `a POST without the token is refused (${noToken})`);
  // Another site: a page on another port posts a form and a fetch to the workbench.
  const target = new URL("_gongkai/save", base).href;
  const evil = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!DOCTYPE html><html><body>
      <form id="f" method="post" action="${target}"><input name="path" value="${rel}"><input name="version" value="${version}">
      <input name="shown" value="title"><input name="f.title" value="CROSS-FORM"><input name="token" value="guess"></form>
      <script>
        fetch(${JSON.stringify(target)}, { method: "POST", mode: "no-cors", body: new URLSearchParams({ path: ${JSON.stringify(rel)}, version: ${JSON.stringify(version)}, shown: "title", "f.title": "CROSS-FETCH" }) })
          .finally(() => document.getElementById("f").submit());
      </script></body></html>`);
  });
  await new Promise((r) => evil.listen(0, "127.0.0.1", r));
  const other = await page.context().newPage();
  const answered = [];
  other.on("response", (r) => { if (r.url() === target) answered.push(r.status()); });
  await other.goto(`http://127.0.0.1:${evil.address().port}/`);
  await other.waitForTimeout(1500);
  await other.close();
  evil.close();
  check(answered.length > 0 && answered.every((s) => s === 403), `cross-origin POSTs are answered 403 (${answered.join(", ")})`);
  check(read(rel) === before, "the cross-origin POSTs changed nothing");
  // An upload named ../…
  const traversal = await page.evaluate(async ([rel, version]) => {
    const token = document.querySelector('meta[name="gongkai-token"]').content;
    const r = await fetch(`/_gongkai/attachments/upload?path=${encodeURIComponent(rel)}&name=${encodeURIComponent("../../evil.pdf")}&version=${version}`, {
      method: "POST", body: new Blob(["%PDF-1.4"]), headers: { "X-Gongkai-Token": token },
    });
    return [r.status, await r.text()];
  }, [rel, version]);
  check(traversal[0] === 400 && traversal[1].includes("不能使用"), `an upload with ../ in its name is refused (${traversal[0]}: ${traversal[1].trim().slice(0, 50)})`);
  const everything = [];
  const walk = (d) => { for (const n of readdirSync(d)) { const p = path.join(d, n); if (statSync(p).isDirectory()) walk(p); else everything.push(p); } };
  walk(path.dirname(root));
  check(!everything.some((p) => p.includes("evil")), "no file was written for it");
  check(read(rel) === before, "the refused upload changed nothing");
}

async function attachments(page, rel) {
  console.log("attachments");
  await page.goto(url(`_gongkai/edit?path=${encodeURIComponent(rel)}`));
  const name = path.basename(attachment);
  await page.setInputFiles("#att-upload", attachment);
  await page.waitForFunction((n) => [...document.querySelectorAll('#att-list input[type="hidden"]')].some((i) => i.value.endsWith("/" + n)), name);
  const dir = rel.replace(/\.md$/, "");
  let stored = false;
  try { stored = statSync(path.join(root, dir, name)).size === statSync(attachment).size; } catch {}
  check(stored, `the upload is stored as ${dir}/${name}, name kept`);
  check(read(rel).includes(`path: "${path.basename(dir)}/${name}"`), "it is listed in attachments");
  await axe(page, "form with an attachment");
  // Remove it with the keyboard.
  await page.focus('#att-list input[type="text"]');
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll("#att-list li").length === 0);
  let gone = false;
  try { statSync(path.join(root, dir, name)); } catch { gone = true; }
  check(gone && !read(rel).includes("attachments"), "removing it deletes the file and the entry");
}

async function importWord(page) {
  console.log("import a Word file");
  await page.goto(url("_gongkai/new"));
  await page.setInputFiles("#import-files", imports);
  check((await page.locator("#import-list li").count()) === imports.length, `the chosen files are listed (${imports.length})`);
  await tabTo(page, (s) => s.id === "import-go", "the import button");
  await Promise.all([page.waitForURL(/\/_gongkai\/edit\?path=/, { timeout: 60000 }), page.keyboard.press("Enter")]);
  const rel = new URL(page.url()).searchParams.get("path");
  const notes = await page.locator(".notes").textContent();
  check(notes.includes("已从") && notes.includes("导入"), `the form says what the import found (“${notes.trim().slice(0, 60)}…”)`);
  const text = read(rel);
  check(text.includes("draft: true") && text.includes("gongkai import"), `the imported file ${rel} is a draft`);
  for (const extra of imports.slice(1)) {
    const name = path.basename(extra);
    let copied = false;
    try { copied = statSync(path.join(root, rel.replace(/\.md$/, ""), name)).isFile(); } catch {}
    check(copied && text.includes(name), `the attachment ${name} dropped with it is copied and listed`);
  }
  const title = await page.inputValue("#f-title");
  check(title.length > 4, `its title is in the form (“${title}”)`);
  await axe(page, "form of an imported document");
  await page.screenshot({ path: path.join(shotDir, "workbench-import.png"), fullPage: false });
}

async function repairBroken(page) {
  console.log("a file that does not load");
  const rel = "content/2026/broken.md";
  writeFileSync(path.join(root, rel), '---\ntitle: "坏文件"\n发布机构："市政府办公室"\ndraft: true\n---\n\n正文\n');
  await page.goto(url(`_gongkai/edit?path=${encodeURIComponent(rel)}`));
  const finding = await page.locator("#find-general").textContent();
  check(finding.includes("E003") && finding.includes("全角冒号"), `the parse error is shown in the CLI's words (“${finding.trim().slice(0, 50)}…”)`);
  await axe(page, "repair page of a file that does not load");
  const text = await page.inputValue("#f-raw");
  await page.fill("#f-raw", text.replace("发布机构：", "发布机构: "));
  await tabTo(page, (s) => s.tag === "button" && s.text === "保存", "the save button");
  await Promise.all([page.waitForURL(/saved=1/), page.keyboard.press("Enter")]);
  check(read(rel).includes('发布机构: "市政府办公室"'), "the repaired text is saved");
  check((await page.locator("#f-issuer").count()) === 1, "the file now opens as a form");
}
