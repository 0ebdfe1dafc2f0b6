/*
 * gongkai search: loader for the wasm engine (gongkai-search.wasm), shared by the Web Worker
 * (worker.js, via importScripts) and the node test (tests/browser, search-wasm/tests).
 *
 * Why it exists: the wasm module has no imports and a tiny C ABI (see search-wasm/src/wasm.rs);
 * this file copies bytes in and out of its memory and runs the fetch-and-retry loop:
 * search → the engine names the index chunk files it lacks → fetch exactly those → search again.
 * Only plain GETs of static files under the site's own search/ directory; no HTTP Range, no
 * external request.
 *
 * Errors are thrown as EngineError with a code: "network" (a file could not be fetched),
 * "corrupt" (the index or engine is damaged or mismatched), "engine" (the engine failed or
 * trapped). The page turns every code into a plain Chinese message.
 */
(function (root) {
  'use strict';

  var MAX_ROUNDS = 32;
  var PARALLEL_FETCHES = 6;

  function EngineError(code, message) {
    var e = new Error(message);
    e.name = 'EngineError';
    e.code = code;
    return e;
  }

  /** Default fetcher: GET `url` from the same origin → Uint8Array. */
  function fetchBytes(url, revalidate) {
    return fetch(url, { cache: revalidate ? 'no-cache' : 'default', credentials: 'same-origin' }).then(
      function (res) {
        if (!res.ok) throw EngineError('network', 'HTTP ' + res.status + ' for ' + url);
        return res.arrayBuffer().then(function (b) { return new Uint8Array(b); });
      },
      function (err) { throw EngineError('network', String(err && err.message || err) + ' for ' + url); }
    );
  }

  /**
   * options.indexUrl: URL of the index directory, ending in "/" (holds manifest.json).
   * options.wasmUrl: URL of gongkai-search.wasm.
   * options.fetchBytes(url, revalidate) → Promise<Uint8Array> (optional; node tests pass a file reader).
   */
  function GongkaiEngine(options) {
    this.indexUrl = options.indexUrl;
    this.wasmUrl = options.wasmUrl;
    this.fetchBytes = options.fetchBytes || fetchBytes;
    this.exports = null;
    this.bytesFetched = 0;
    this.requests = 0;
    this.encoder = new TextEncoder();
    this.decoder = new TextDecoder();
  }

  GongkaiEngine.prototype.get = function (url, revalidate) {
    var self = this;
    return this.fetchBytes(url, revalidate).then(function (bytes) {
      self.bytesFetched += bytes.length;
      self.requests += 1;
      return bytes;
    });
  };

  /** Downloads the engine, the manifest and the hotcache, and opens the index. */
  GongkaiEngine.prototype.load = async function () {
    var self = this;
    var wasmPromise = this.get(this.wasmUrl, true);
    wasmPromise.catch(function () { /* reported below, once awaited */ });
    var manifestBytes = await this.get(this.indexUrl + 'manifest.json', true);
    var manifest;
    try {
      manifest = JSON.parse(this.decoder.decode(manifestBytes));
    } catch (e) {
      throw EngineError('corrupt', 'manifest.json is not JSON');
    }
    if (!manifest || typeof manifest.hotcache !== 'string' || !/^[A-Za-z0-9._-]+$/.test(manifest.hotcache)) {
      throw EngineError('corrupt', 'manifest.json names no hotcache');
    }
    var hotBytes = await this.get(this.indexUrl + manifest.hotcache, false);
    var wasmBytes = await wasmPromise;
    var instance;
    try {
      instance = (await WebAssembly.instantiate(wasmBytes, {})).instance;
    } catch (e) {
      throw EngineError('corrupt', 'cannot start the engine: ' + e);
    }
    this.exports = instance.exports;
    var status = this.call(function (ex) {
      return ex.gk_open(self.put(manifestBytes), manifestBytes.length, self.put(hotBytes), hotBytes.length);
    });
    if (status !== 0) throw EngineError('corrupt', this.output().message);
  };

  /** Copies bytes into wasm memory (the callee takes ownership). */
  GongkaiEngine.prototype.put = function (bytes) {
    var ptr = this.exports.gk_alloc(bytes.length);
    new Uint8Array(this.exports.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  };

  GongkaiEngine.prototype.output = function () {
    var ex = this.exports;
    return JSON.parse(this.decoder.decode(new Uint8Array(ex.memory.buffer, ex.gk_out_ptr(), ex.gk_out_len())));
  };

  /** Calls into wasm; a trap (panic) becomes an "engine" error and retires this instance. */
  GongkaiEngine.prototype.call = function (fn) {
    var ex = this.exports;
    if (!ex) throw EngineError('engine', 'engine not loaded');
    try {
      return fn(ex);
    } catch (e) {
      var message = String(e);
      try {
        var len = ex.gk_panic_len();
        if (len > 0) message = this.decoder.decode(new Uint8Array(ex.memory.buffer, ex.gk_panic_ptr(), len).slice());
      } catch (ignored) { /* memory unusable */ }
      this.exports = null;
      throw EngineError('engine', message);
    }
  };

  GongkaiEngine.prototype.addChunks = async function (names) {
    var self = this;
    var queue = names.slice();
    async function worker() {
      while (queue.length > 0) {
        var name = queue.shift();
        if (!/^[A-Za-z0-9._-]+$/.test(name)) throw EngineError('corrupt', 'bad chunk name');
        var bytes = await self.get(self.indexUrl + name, false);
        var nameBytes = self.encoder.encode(name);
        var status = self.call(function (ex) {
          return ex.gk_add_chunk(self.put(nameBytes), nameBytes.length, self.put(bytes), bytes.length);
        });
        if (status !== 0) throw EngineError('corrupt', self.output().message);
      }
    }
    var workers = [];
    for (var i = 0; i < Math.min(PARALLEL_FETCHES, names.length); i++) workers.push(worker());
    await Promise.all(workers);
  };

  /**
   * Runs `query` ({q, category, issuer, year, kind, validity, sort, limit, offset}).
   * `isStale()` (optional) → true abandons the query between rounds (returns null).
   * Resolves to {results, stats: {bytes, requests, rounds}}.
   */
  GongkaiEngine.prototype.search = async function (query, isStale) {
    var self = this;
    var json = this.encoder.encode(JSON.stringify(query));
    var bytesBefore = this.bytesFetched;
    var requestsBefore = this.requests;
    for (var round = 0; round < MAX_ROUNDS; round++) {
      var out = this.call(function (ex) {
        ex.gk_search(self.put(json), json.length);
        return self.output();
      });
      if (out.status === 'ok') {
        return {
          results: out.results,
          stats: { bytes: this.bytesFetched - bytesBefore, requests: this.requests - requestsBefore, rounds: round },
        };
      }
      if (out.status !== 'need') throw EngineError('corrupt', out.message || 'engine error');
      if (isStale && isStale()) return null;
      await this.addChunks(out.chunks);
    }
    throw EngineError('corrupt', 'query still incomplete after ' + MAX_ROUNDS + ' rounds');
  };

  GongkaiEngine.EngineError = EngineError;
  root.GongkaiEngine = GongkaiEngine;
})(typeof self !== 'undefined' ? self : globalThis);
