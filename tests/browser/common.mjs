// What every browser test script shares: its arguments, chromium, the screenshot folder, and
// the ok/FAIL report. `const t = await start("a11y.mjs")` … `await t.finish()` exits 0 when every
// check passed, 1 otherwise; a script that cannot run exits 2.
import { chromium } from "playwright-core";
import { mkdirSync, existsSync } from "node:fs";
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
  return {
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
