// The wasm engine's size (raw, gzip -9, brotli 11) and query latency in node/V8, with the chunks a
// query needs already loaded (the second and later runs of a query), plus the cold query's bytes
// (engine excluded; must equal the native figure).
// usage: node bench_wasm.mjs ENGINE_JS WASM SEARCH_DIR QUERY...
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';

const [enginePath, wasmPath, searchDir, ...queries] = process.argv.slice(2);
vm.runInThisContext(fs.readFileSync(enginePath, 'utf8'));
const wasm = fs.readFileSync(wasmPath);
const gz = zlib.gzipSync(wasm, { level: 9 }).length;
const br = zlib.brotliCompressSync(wasm, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
console.log(`wasm engine:      ${wasm.length} B raw, ${gz} B gzip -9, ${br} B brotli 11`);
const root = 'file:///gongkai/';
const fetchBytes = async (url) => url.endsWith('.wasm') ? new Uint8Array(wasm) : new Uint8Array(fs.readFileSync(path.join(searchDir, url.slice(root.length))));
console.log('query              cold KiB (index)   wasm p50 ms   wasm p95 ms');
for (const q of queries) {
  const engine = new globalThis.GongkaiEngine({ indexUrl: root + 'index/', wasmUrl: root + 'gongkai-search.wasm', fetchBytes });
  await engine.load();
  await engine.search({ q });
  const cold = (engine.bytesFetched - wasm.length) / 1024;
  const times = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await engine.search({ q });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`${q.padEnd(18)} ${cold.toFixed(1).padStart(16)} ${times[15].toFixed(2).padStart(13)} ${times[28].toFixed(2).padStart(13)}`);
}
