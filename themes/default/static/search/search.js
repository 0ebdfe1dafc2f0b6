/*
 * gongkai search page (main thread): reads the query and filters from the URL, asks the Web
 * Worker (worker.js, started lazily) to search, and renders the count, filters with counts,
 * highlighted results and paging. The URL always reflects the search, so results can be linked.
 *
 * Plain Chinese messages for: no wasm/Worker support, empty query, no results, timeout, and an
 * index or engine that cannot be loaded. Results HTML (title_html, snippet_html) is escaped by the
 * engine; every other value is inserted as text.
 */
(function () {
  'use strict';

  var root = document.getElementById('gk-search');
  if (!root) return;

  var FACETS = ['category', 'issuer', 'year', 'kind', 'validity'];
  var PAGE_SIZE = 10;
  var TIMEOUT_MS = 30000;
  var MSG = {
    unsupported: '您的浏览器不支持本站的检索功能（需要 WebAssembly 和 Web Worker）。请使用较新版本的浏览器，或通过政府信息公开目录查找文件。',
    prompt: '请输入要查找的字词，例如“政务公开”。',
    searching: '正在检索……',
    unavailable: '检索功能暂时无法使用，请稍后再试，或通过政府信息公开目录查找文件。',
    timeout: '检索用时过长，已停止。请稍后再试，或换一个检索词。',
    tips: '建议：检查是否有错别字；换用更短或更常用的词；减少筛选条件。',
  };

  function $(id) { return document.getElementById(id); }
  var base = root.getAttribute('data-search-base') || './';
  var form = $('gk-form');
  var input = $('gk-q');
  var status = $('gk-status');
  var notices = $('gk-notices');
  var list = $('gk-results');
  var heading = $('gk-results-heading');
  var filters = $('gk-filters');
  var sortSelect = $('gk-sort');
  var pager = $('gk-pager');
  var selects = {};
  FACETS.forEach(function (f) { selects[f] = $('gk-f-' + f); });

  var supported = typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function' &&
    typeof Worker === 'function' && typeof Promise === 'function' && typeof TextDecoder === 'function' &&
    typeof URLSearchParams === 'function';

  var state = readState();
  input.value = state.q;

  if (!supported) {
    status.textContent = MSG.unsupported;
    return;
  }

  var worker = null;
  var seq = 0;
  var timer = null;
  var moveFocus = false;

  function readState() {
    var p = new URLSearchParams(window.location.search);
    var s = { q: p.get('q') || '', sort: p.get('sort') === 'date' ? 'date' : 'relevance', page: 1 };
    var page = parseInt(p.get('page') || '1', 10);
    s.page = page > 0 && page < 100000 ? page : 1;
    FACETS.forEach(function (f) { s[f] = p.get(f) || ''; });
    return s;
  }

  function stateUrl() {
    var p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    FACETS.forEach(function (f) { if (state[f]) p.set(f, state[f]); });
    if (state.sort === 'date') p.set('sort', 'date');
    if (state.page > 1) p.set('page', String(state.page));
    var qs = p.toString();
    return window.location.pathname + (qs ? '?' + qs : '');
  }

  function hasFilter() {
    return FACETS.some(function (f) { return !!state[f]; });
  }

  function startWorker() {
    if (worker) return;
    try {
      worker = new Worker(base + 'worker.js');
    } catch (e) {
      worker = null;
      return;
    }
    worker.onmessage = onMessage;
    worker.onerror = function (e) {
      if (e && e.preventDefault) e.preventDefault();
      fail(MSG.unavailable);
      stopWorker();
    };
  }

  function stopWorker() {
    if (worker) worker.terminate();
    worker = null;
  }

  function clearResults() {
    list.textContent = '';
    notices.textContent = '';
    pager.hidden = true;
  }

  /** Marks every answer on the page (data-answers counts them), for tests and assistive tools. */
  function answered() {
    root.setAttribute('data-answers', String(Number(root.getAttribute('data-answers') || '0') + 1));
  }

  function fail(message) {
    answered();
    clearTimeout(timer);
    list.removeAttribute('aria-busy');
    clearResults();
    status.textContent = message;
  }

  function search(push) {
    if (push) window.history.pushState(null, '', stateUrl());
    sortSelect.value = state.sort;
    if (!state.q.trim() && !hasFilter()) {
      clearResults();
      filters.hidden = true;
      status.textContent = MSG.prompt;
      answered();
      return;
    }
    startWorker();
    if (!worker) {
      fail(MSG.unsupported);
      return;
    }
    seq += 1;
    var query = {
      q: state.q,
      sort: state.sort,
      limit: PAGE_SIZE,
      offset: (state.page - 1) * PAGE_SIZE,
    };
    FACETS.forEach(function (f) { query[f] = state[f] || null; });
    status.textContent = MSG.searching;
    list.setAttribute('aria-busy', 'true');
    clearTimeout(timer);
    timer = setTimeout(function () {
      stopWorker();
      fail(MSG.timeout);
    }, TIMEOUT_MS);
    worker.postMessage({ type: 'search', id: seq, query: query });
  }

  function onMessage(event) {
    var msg = event.data;
    if (!msg || msg.id !== seq) return;
    clearTimeout(timer);
    list.removeAttribute('aria-busy');
    if (msg.type === 'error') {
      if (window.console) window.console.warn('gongkai search:', msg.code, msg.message);
      fail(MSG.unavailable);
      return;
    }
    render(msg.results);
  }

  function text(tag, className, value) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    e.textContent = value;
    return e;
  }

  function safeHref(url) {
    return typeof url === 'string' && (/^\/(?!\/)/.test(url) || /^https?:\/\//i.test(url)) ? url : '#';
  }

  function renderFacets(facets) {
    FACETS.forEach(function (f) {
      var select = selects[f];
      var values = (facets && facets[f]) || [];
      select.textContent = '';
      select.appendChild(new Option('全部', ''));
      var seen = false;
      values.forEach(function (pair) {
        var option = new Option(pair[0] + '（' + pair[1] + '）', pair[0]);
        if (pair[0] === state[f]) { option.selected = true; seen = true; }
        select.appendChild(option);
      });
      if (state[f] && !seen) {
        var missing = new Option(state[f] + '（0）', state[f]);
        missing.selected = true;
        select.appendChild(missing);
      }
    });
    filters.hidden = false;
  }

  function render(r) {
    answered();
    clearResults();
    (r.notices || []).forEach(function (n) {
      if (r.searched) notices.appendChild(text('p', 'gk-notice', n.message));
    });
    if (!r.searched) {
      filters.hidden = true;
      status.textContent = (r.notices && r.notices[0] && r.notices[0].message) || MSG.prompt;
      return;
    }
    renderFacets(r.facets);
    if (r.total === 0) {
      var what = state.q.trim() ? '与“' + state.q.trim() + '”相关的' : '符合条件的';
      status.textContent = '没有找到' + what + '文件。';
      notices.appendChild(text('p', 'gk-notice', MSG.tips));
      return;
    }
    var first = (state.page - 1) * PAGE_SIZE + 1;
    var last = first + r.hits.length - 1;
    status.textContent = '找到 ' + r.total + ' 条结果' +
      (r.hits.length ? '，当前显示第 ' + first + '–' + last + ' 条。' : '。');
    r.hits.forEach(function (hit) {
      var li = document.createElement('li');
      li.className = 'gk-hit';
      var h3 = document.createElement('h3');
      var a = document.createElement('a');
      a.setAttribute('href', safeHref(hit.url));
      a.innerHTML = hit.title_html;
      h3.appendChild(a);
      li.appendChild(h3);
      var meta = [];
      if (hit.issuer && hit.issuer.length) meta.push(hit.issuer.join('、'));
      if (hit.published) meta.push(hit.published);
      if (hit.doc_no) meta.push(hit.doc_no);
      if (hit.validity) meta.push(hit.validity);
      if (meta.length) li.appendChild(text('p', 'gk-meta', meta.join(' · ')));
      if (hit.snippet_html) {
        var p = document.createElement('p');
        p.className = 'gk-snippet';
        p.innerHTML = hit.snippet_html;
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    var pages = Math.max(1, Math.ceil(r.total / PAGE_SIZE));
    pager.hidden = pages <= 1;
    $('gk-prev').disabled = state.page <= 1;
    $('gk-next').disabled = state.page >= pages;
    $('gk-page').textContent = '第 ' + state.page + ' / ' + pages + ' 页';
    if (moveFocus) heading.focus();
    moveFocus = false;
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    state.q = input.value.trim();
    state.page = 1;
    search(true);
  });
  input.addEventListener('focus', startWorker);
  FACETS.forEach(function (f) {
    selects[f].addEventListener('change', function () {
      state[f] = selects[f].value;
      state.page = 1;
      search(true);
    });
  });
  sortSelect.addEventListener('change', function () {
    state.sort = sortSelect.value === 'date' ? 'date' : 'relevance';
    state.page = 1;
    search(true);
  });
  $('gk-clear').addEventListener('click', function () {
    FACETS.forEach(function (f) { state[f] = ''; });
    state.page = 1;
    search(true);
  });
  $('gk-prev').addEventListener('click', function () {
    if (state.page > 1) { state.page -= 1; moveFocus = true; search(true); }
  });
  $('gk-next').addEventListener('click', function () {
    state.page += 1;
    moveFocus = true;
    search(true);
  });
  window.addEventListener('popstate', function () {
    state = readState();
    input.value = state.q;
    search(false);
  });

  search(false);
})();
