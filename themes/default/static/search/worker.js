/*
 * gongkai search Web Worker: runs the wasm engine off the page's main thread, so a slow query or
 * a failing engine can never freeze the page. Started lazily by search.js.
 *
 * Messages in:  {type: "search", id, query}
 * Messages out: {type: "result", id, results, stats} | {type: "error", id, code, message}
 * Only the newest query matters: an older one still fetching chunks is abandoned.
 */
/* global GongkaiEngine */
'use strict';
importScripts('engine.js');

var engine = null;
var loading = null;
var latest = 0;
var queue = Promise.resolve();

function getEngine() {
  if (engine && engine.exports) return Promise.resolve(engine);
  if (!loading) {
    var e = new GongkaiEngine({
      indexUrl: new URL('index/', self.location.href).href,
      wasmUrl: new URL('gongkai-search.wasm', self.location.href).href,
    });
    loading = e.load().then(
      function () { engine = e; loading = null; return e; },
      function (err) { loading = null; throw err; }
    );
  }
  return loading;
}

function run(msg) {
  if (msg.id !== latest) return Promise.resolve();
  return getEngine()
    .then(function (e) {
      return e.search(msg.query, function () { return msg.id !== latest; });
    })
    .then(function (out) {
      if (out) self.postMessage({ type: 'result', id: msg.id, results: out.results, stats: out.stats });
    })
    .catch(function (err) {
      // A trapped engine retires itself; the next query loads a fresh one.
      if (err && err.code === 'engine') engine = null;
      self.postMessage({
        type: 'error',
        id: msg.id,
        code: (err && err.code) || 'engine',
        message: String((err && err.message) || err),
      });
    });
}

self.onmessage = function (event) {
  var msg = event.data;
  if (!msg || msg.type !== 'search') return;
  latest = msg.id;
  queue = queue.then(function () { return run(msg); });
};
