// Runs queries through the real wasm engine and the real engine.js loader, in node, reading the
// index from disk the way the browser fetches it (one file per request, bytes counted).
//
// Used by tests/wasm_parity.rs (the shipped wasm opens the index the current build wrote, and
// answers exactly like the native reader) and by the benchmark (bytes per cold query).
//
// usage: node run_queries.mjs ENGINE_JS WASM SEARCH_DIR QUERIES_JSON [--cold]
//   QUERIES_JSON: a JSON array of SearchQuery objects.
//   --cold: a fresh engine per query (what a citizen's first search costs).
// Prints one JSON line per query: {"results":…,"stats":{…},"wasm_bytes":N} or {"error":…}.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const [enginePath, wasmPath, searchDir, queriesPath, ...flags] = process.argv.slice(2);
const cold = flags.includes('--cold');
vm.runInThisContext(fs.readFileSync(enginePath, 'utf8'), { filename: enginePath });
const GongkaiEngine = globalThis.GongkaiEngine;

const root = 'file:///gongkai/';
async function fetchBytes(url) {
  if (url === root + 'gongkai-search.wasm') return new Uint8Array(fs.readFileSync(wasmPath));
  if (!url.startsWith(root)) throw GongkaiEngine.EngineError('network', 'outside the site: ' + url);
  const rel = url.slice(root.length);
  try {
    return new Uint8Array(fs.readFileSync(path.join(searchDir, rel)));
  } catch (e) {
    throw GongkaiEngine.EngineError('network', 'cannot read ' + rel);
  }
}

function newEngine() {
  return new GongkaiEngine({ indexUrl: root + 'index/', wasmUrl: root + 'gongkai-search.wasm', fetchBytes });
}

const queries = JSON.parse(fs.readFileSync(queriesPath, 'utf8'));
const wasmSize = fs.statSync(wasmPath).size;
let engine = null;
for (const q of queries) {
  try {
    let loadBytes = 0, loadRequests = 0, loadMs = 0;
    if (cold || !engine) {
      engine = newEngine();
      const t0 = performance.now();
      await engine.load();
      loadMs = performance.now() - t0;
      loadBytes = engine.bytesFetched - wasmSize;
      loadRequests = engine.requests - 1;
    }
    const t0 = performance.now();
    const out = await engine.search(q);
    const ms = performance.now() - t0;
    const s = out.stats;
    console.log(JSON.stringify({
      results: out.results,
      stats: { bytes: s.bytes + loadBytes, requests: s.requests + loadRequests, rounds: s.rounds, ms, load_ms: loadMs },
      wasm_bytes: wasmSize,
    }));
  } catch (e) {
    console.log(JSON.stringify({ error: e.code || 'exception', message: String(e.message || e) }));
    engine = null;
  }
}
