// What every browser test script shares: its arguments, chromium, the screenshot folder, and
// the ok/FAIL report, axe-core and the Tab walk. `const t = await start("a11y.mjs")` …
// `await t.finish()` exits 0 when every check passed, 1 otherwise; a script that cannot run exits 2.
import { chromium } from "playwright-core";
import { mkdirSync, existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));

export async function start(script, args = []) {
  const base = process.argv[2];
  if (!base || !/^https?:\/\/.+\/$/.test(base)) {
    console.error(`usage: node ${script} <base-url ending in />`);
    process.exit(2);
  }
  const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
  if (!existsSync(chromiumPath)) {
    console.error(`chromium not found at ${chromiumPath} (set CHROMIUM)`);
    process.exit(2);
  }
  const shotDir = process.env.SCREENSHOT_DIR || path.resolve(here, "../../target/browser-screenshots");
  mkdirSync(shotDir, { recursive: true });
  const failures = [];
  const fail = (msg) => {
    failures.push(msg);
    console.log(`  FAIL ${msg}`);
  };
  const ok = (msg) => console.log(`  ok   ${msg}`);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", ...args],
  });
  const axeSource = readFileSync(path.join(here, "node_modules/axe-core/axe.min.js"), "utf8");
  /** Runs axe-core (WCAG 2.0/2.1/2.2 A and AA) on the page; reports and returns the violations. */
  async function axe(page, label) {
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
      ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    );
    const v = result.violations;
    const nodes = v.reduce((n, x) => n + x.nodes.length, 0);
    if (v.length === 0) {
      ok(`axe ${label}: 0 violations`);
    } else {
      fail(`axe ${label}: ${v.length} violation(s), ${nodes} element(s)`);
      for (const x of v) {
        console.log(`       [${x.impact}] ${x.id}: ${x.help}`);
        for (const n of x.nodes.slice(0, 5)) {
          console.log(`         ${n.target.join(" ")}  ${n.failureSummary.split("\n").slice(1, 2).join("").trim()}`);
        }
      }
    }
    return v.length;
  }
  /** Presses Tab until `pred(activeElement)` holds; checks every stop shows a visible focus. */
  async function tabTo(page, pred, what, max = 60) {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press("Tab");
      const st = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const cs = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return {
          tag: el.tagName.toLowerCase(),
          id: el.id,
          type: el.type || "",
          value: el.value || "",
          text: (el.textContent || "").trim().slice(0, 40),
          href: el.getAttribute("href") || "",
          cls: el.className || "",
          rel: el.getAttribute("rel") || "",
          visibleFocus: (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== "none",
          onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth,
        };
      });
      if (!st) continue;
      if (!st.visibleFocus || !st.onScreen) fail(`focus not visible on <${st.tag}${st.id ? ` id=${st.id}` : ""}> “${st.text}”`);
      if (pred(st)) return st;
    }
    fail(`keyboard: could not reach ${what} with Tab`);
    return null;
  }
  return {
    axe,
    tabTo,
    base,
    here,
    shotDir,
    browser,
    failures,
    fail,
    ok,
    check: (cond, msg) => (cond ? ok(msg) : fail(msg)),
    url: (rel) => new URL(rel, base).href,
    /** Runs `body`, closes the browser, prints the summary and exits. */
    async finish(body, what) {
      try {
        await body();
      } catch (e) {
        fail(`test crashed: ${e.stack || e}`);
      } finally {
        await browser.close();
      }
      console.log(failures.length === 0 ? `\nall ${what} checks passed` : `\n${failures.length} check(s) failed:`);
      for (const f of failures) console.log(`  - ${f}`);
      process.exit(failures.length === 0 ? 0 : 1);
    },
  };
}
