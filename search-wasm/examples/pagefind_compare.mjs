// Side-by-side benchmark against pagefind on the same built site (not run by CI; see the README,
// "Benchmarks"). For each query it runs, cold (a fresh instance per query, nothing cached):
//   * pagefind's own pagefind.js in node, against a loopback static server that counts the bytes
//     it serves (entry, meta, wasm, index chunks, fragments of the top 10 results);
//   * gongkai's engine (engine.js + the wasm engine), counting the bytes of index data it fetches;
// and prints hits and KiB for both.
//
// usage: node pagefind_compare.mjs PUBLIC_DIR ENGINE_JS ENGINE_WASM QUERY...
//   PUBLIC_DIR  a site built by `gongkai build`, then indexed by
//               `npx pagefind --site PUBLIC_DIR --glob "xxgk/**/*.html"` (document pages only)
//   ENGINE_JS   themes/default/static/search/engine.js
//   ENGINE_WASM the engine (PUBLIC_DIR/search/gongkai-search.wasm)
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import vm from 'node:vm';
import { pathToFileURL } from 'node:url';

const [publicDir, enginePath, wasmPath, ...queries] = process.argv.slice(2);
if (!publicDir || !enginePath || !wasmPath || queries.length === 0) {
  console.error('usage: node pagefind_compare.mjs PUBLIC_DIR ENGINE_JS ENGINE_WASM QUERY...');
  process.exit(2);
}
const root = path.resolve(publicDir);

// A counting static server for pagefind's files.
let served = 0;
const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const file = path.join(root, rel);
  if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
  fs.readFile(file, (err, data) => {
    if (err) { res.writeHead(404).end(); return; }
    served += data.length;
    res.writeHead(200, { 'content-length': data.length }).end(data);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/pagefind/`;
const pagefindJs = pathToFileURL(path.join(root, 'pagefind/pagefind.js')).href;

// gongkai's engine, loaded as the browser worker loads it.
vm.runInThisContext(fs.readFileSync(enginePath, 'utf8'));
const wasm = fs.readFileSync(wasmPath);
const gkRoot = 'file:///gongkai/';
const fetchBytes = async (url) => (url.endsWith('.wasm')
  ? new Uint8Array(wasm)
  : new Uint8Array(fs.readFileSync(path.join(root, 'search', url.slice(gkRoot.length)))));

console.log('query              pagefind hits  pagefind KiB   gongkai hits  gongkai KiB (index)  gongkai KiB (+engine)');
let n = 0;
for (const q of queries) {
  // pagefind, cold: a new module instance per query.
  served = 0;
  const pf = await import(`${pagefindJs}?cold=${n++}`);
  await pf.options({ basePath: base });
  await pf.init();
  const r = await pf.search(q);
  await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
  const pfBytes = served + fs.statSync(path.join(root, 'pagefind/pagefind.js')).size;
  // gongkai, cold.
  const engine = new globalThis.GongkaiEngine({ indexUrl: gkRoot + 'index/', wasmUrl: gkRoot + 'gongkai-search.wasm', fetchBytes });
  await engine.load();
  const gk = await engine.search({ q });
  const total = gk.results.total;
  const gkIndex = (engine.bytesFetched - wasm.length) / 1024;
  console.log(`${q.padEnd(18)} ${String(r.results.length).padStart(13)} ${(pfBytes / 1024).toFixed(1).padStart(13)} ${String(total).padStart(14)} ${gkIndex.toFixed(1).padStart(20)} ${(engine.bytesFetched / 1024).toFixed(1).padStart(22)}`);
}
server.close();
