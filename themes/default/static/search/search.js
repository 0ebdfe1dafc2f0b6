/*
 * gongkai search page (main thread). The page never reloads to search: a query typed into the
 * form (or the header's search box), a filter, the order and the result pages are all answered
 * in place by the Web Worker (worker.js), started once when the page opens and reused, so every
 * query after the first meets a loaded engine and its cached index chunks.
 *
 * The address bar always says what is shown: each new search is a history entry
 * (history.pushState) with the URL the form itself would produce (q, one parameter per filter,
 * sort, page; empty ones left out), so a result can be linked and reloaded, and back/forward
 * restore the query, the filters and the results (popstate). Opened without words the page lists
 * every document newest first; the filters then narrow that list.
 *
 * The filter lists are made from the facets the engine returns (one <select> per facet, in the
 * engine's order), so a facet added to the engine appears without a change here; their labels
 * come from the template (data-facet-labels). They sit in a panel (<details>) that is closed
 * until the citizen opens it, or the address holds a filter: the engine counts documents per
 * filter value (which reads whole columns of the index) only for queries asked while it is open;
 * opening it asks the shown query again, with the counts.
 *
 * A phrase of very common words on a large site is read newest documents first (the engine's
 * positions budget): the count then says "约 N 条", the engine's note says down to which date
 * every match is listed, the pager pages through those, and a link (exact=1 in the URL) asks
 * again with the exact count and every result.
 *
 * Plain Chinese messages for: no wasm/Worker support, no results, timeout, and an index or engine
 * that cannot be loaded. Results HTML (title_html, snippet_html) is escaped by the engine; every
 * other value is inserted as text. The count of each answer is announced (role=status).
 */
(function () {
  'use strict';

  var root = document.getElementById('gk-search');
  if (!root) return;

  var PAGE_SIZE = 10;
  var TIMEOUT_MS = 30000;
  /** "正在检索" only shows for an answer slower than this, so a fast one does not flicker. */
  var BUSY_DELAY_MS = 300;
  /** Answers kept for back/forward. */
  var CACHE_SIZE = 40;
  /** URL parameters that are not filters. */
  var RESERVED = { q: 1, sort: 1, page: 1, limit: 1, offset: 1, exact: 1 };
  var MSG = {
    unsupported: '您的浏览器不支持本站的检索功能（需要 WebAssembly 和 Web Worker）。请使用较新版本的浏览器，或通过政府信息公开目录查找文件。',
    searching: '正在检索……',
    unavailable: '检索功能暂时无法使用，请稍后再试，或通过政府信息公开目录查找文件。',
    timeout: '检索用时过长，已停止。请稍后再试，或换一个检索词。',
    tips: '建议：检查是否有错别字；换用更短或更常用的词；减少筛选条件。',
  };

  function $(id) { return document.getElementById(id); }
  var base = root.getAttribute('data-search-base') || './';
  var labels = {};
  try { labels = JSON.parse(root.getAttribute('data-facet-labels') || '{}') || {}; } catch (e) { labels = {}; }
  var form = $('gk-form');
  var input = $('gk-q');
  var status = $('gk-status');
  var notices = $('gk-notices');
  var list = $('gk-results');
  var heading = $('gk-results-heading');
  var filters = $('gk-filters');
  var facetBox = $('gk-facets');
  var panel = $('gk-filter-panel');
  var sortSelect = $('gk-sort');
  var pager = $('gk-pager');
  var baseTitle = document.title;

  var supported = typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function' &&
    typeof Worker === 'function' && typeof Promise === 'function' && typeof TextDecoder === 'function' &&
    typeof URLSearchParams === 'function' && !!(window.history && window.history.pushState);

  /** Facet keys the engine answered with (null until its first answer). */
  var facetKeys = null;
  var state = readState(window.location.search);
  input.value = state.q;

  if (!supported) {
    status.textContent = MSG.unsupported;
    return;
  }

  var worker = null;
  var seq = 0;
  var timer = null;
  var busyTimer = null;
  var pending = null;
  var cache = [];

  /** {q, sort, page, filters: {key: value}} from a query string. */
  function readState(search) {
    var p = new URLSearchParams(search);
    var s = { q: (p.get('q') || '').trim(), sort: p.get('sort') === 'date' ? 'date' : 'relevance', page: 1, filters: {}, exact: p.get('exact') === '1' };
    var page = parseInt(p.get('page') || '1', 10);
    s.page = page > 0 && page < 100000 ? page : 1;
    p.forEach(function (value, key) {
      value = value.trim();
      if (!RESERVED[key] && value && (!facetKeys || facetKeys.indexOf(key) >= 0)) s.filters[key] = value;
    });
    return s;
  }

  function hasFilter(s) {
    return Object.keys(s.filters).length > 0;
  }

  /** The order used: by date when there are no words (relevance needs words). */
  function effectiveSort(s) {
    return s.q ? s.sort : 'date';
  }

  /** The URL the form would produce for `s`, without empty fields. */
  function stateUrl(s, page) {
    var p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    Object.keys(s.filters).forEach(function (k) { p.set(k, s.filters[k]); });
    if (s.q && s.sort === 'date') p.set('sort', 'date');
    if (s.exact) p.set('exact', '1');
    page = page || s.page;
    if (page > 1) p.set('page', String(page));
    var qs = p.toString();
    return window.location.pathname + (qs ? '?' + qs : '');
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
    pager.textContent = '';
    pager.hidden = true;
  }

  /** Counts every answer on the page (data-answers), for tests and assistive tools. */
  function answered() {
    root.setAttribute('data-answers', String(Number(root.getAttribute('data-answers') || '0') + 1));
  }

  /**
   * Puts `message` in the status region (role=status, read out by screen readers). The same
   * words twice in a row (another page of the same count, the same answer again) get a
   * no-break space more or less, so that the region changes and is read out again.
   */
  function announce(message) {
    if (status.textContent.replace(/\u00a0$/, '') === message && message) {
      message = /\u00a0$/.test(status.textContent) ? message : message + '\u00a0';
    }
    status.textContent = message;
  }

  function settle() {
    clearTimeout(timer);
    clearTimeout(busyTimer);
    list.removeAttribute('aria-busy');
  }

  function fail(message) {
    settle();
    pending = null;
    clearResults();
    announce(message);
    answered();
  }

  function engineQuery(s) {
    var query = { q: s.q, sort: effectiveSort(s), limit: PAGE_SIZE, offset: (s.page - 1) * PAGE_SIZE };
    if (panel.open) query.facets = true;
    if (s.exact) query.exact = true;
    Object.keys(s.filters).forEach(function (k) { query[k] = s.filters[k]; });
    return query;
  }

  function cached(key) {
    for (var i = 0; i < cache.length; i++) if (cache[i].key === key) return cache[i].results;
    return null;
  }

  function remember(key, results) {
    cache = cache.filter(function (c) { return c.key !== key; });
    cache.push({ key: key, results: results });
    if (cache.length > CACHE_SIZE) cache.shift();
  }

  /**
   * Shows the results for `state`. how: "push" (a new search: a history entry), "replace" (the
   * same entry, e.g. the page's first answer) or "none" (back/forward: the URL is already there).
   * focus: move the focus to the results when they arrive (paging).
   */
  function search(how, focus) {
    var url = stateUrl(state);
    if (how === 'push' && url !== window.location.pathname + window.location.search) {
      window.history.pushState(null, '', url);
    } else if (how !== 'none' && url !== window.location.pathname + window.location.search) {
      window.history.replaceState(null, '', url);
    }
    // A filter in the address shows the panel that holds it (and so asks for the counts); a
    // parameter that names no facet (e.g. from=singlemessage, added by a messaging app) does not.
    var known = facetKeys || Object.keys(labels);
    if (Object.keys(state.filters).some(function (k) { return known.indexOf(k) >= 0; })) panel.open = true;
    syncControls();
    document.title = state.q ? state.q + ' - ' + baseTitle : baseTitle;
    var query = engineQuery(state);
    var key = JSON.stringify(query);
    seq += 1;
    // Back/forward shows the answer it showed before, at once; a new search asks the engine.
    var hit = how === 'none' ? cached(key) : null;
    if (hit) {
      settle();
      pending = null;
      render(hit, focus, !!query.facets);
      return;
    }
    startWorker();
    if (!worker) {
      fail(MSG.unsupported);
      return;
    }
    pending = { id: seq, key: key, focus: focus, counted: !!query.facets };
    list.setAttribute('aria-busy', 'true');
    clearTimeout(busyTimer);
    busyTimer = setTimeout(function () { status.textContent = MSG.searching; }, BUSY_DELAY_MS);
    clearTimeout(timer);
    timer = setTimeout(function () {
      stopWorker();
      fail(MSG.timeout);
    }, TIMEOUT_MS);
    worker.postMessage({ type: 'search', id: seq, query: query });
  }

  function onMessage(event) {
    var msg = event.data;
    if (!msg || !pending || msg.id !== pending.id) return;
    var p = pending;
    pending = null;
    settle();
    if (msg.type === 'error') {
      if (window.console) window.console.warn('gongkai search:', msg.code, msg.message);
      fail(MSG.unavailable);
      return;
    }
    if (msg.results && msg.results.searched) remember(p.key, msg.results);
    render(msg.results, p.focus, p.counted);
  }

  /** Whether the results shown come with counts per filter value. */
  var counted = false;

  // Opening the panel asks the shown query again, with the counts (the address stays).
  panel.addEventListener('toggle', function () {
    if (panel.open && !counted && !(pending && pending.counted)) search('none', false);
  });

  function text(tag, className, value) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    e.textContent = value;
    return e;
  }

  function safeHref(url) {
    return typeof url === 'string' && (/^\/(?!\/)/.test(url) || /^https?:\/\//i.test(url)) ? url : '#';
  }

  /** The search box, the filters and the order show `state`. */
  function syncControls() {
    if (document.activeElement !== input || input.value.trim() !== state.q) input.value = state.q;
    var words = !!state.q;
    sortSelect.options[0].disabled = !words;
    sortSelect.value = effectiveSort(state);
    var selects = facetBox.querySelectorAll('select');
    for (var i = 0; i < selects.length; i++) {
      selects[i].value = state.filters[selects[i].name] || '';
    }
  }

  /** The <select> of each facet shown, by key; kept across answers so focus stays put. */
  var facetSelects = {};

  /** One <select name=KEY> per facet the engine returned: those the labels name in their order,
   *  then any other in the engine's. A facet without values (and not chosen) is not shown. */
  function renderFacets(facets) {
    var given = Object.keys(facets || {});
    facetKeys = Object.keys(labels).filter(function (k) { return given.indexOf(k) >= 0; })
      .concat(given.filter(function (k) { return !Object.prototype.hasOwnProperty.call(labels, k); }));
    var previous = null;
    Object.keys(facetSelects).forEach(function (key) {
      if (facetKeys.indexOf(key) < 0) {
        facetBox.removeChild(facetSelects[key].parentNode);
        delete facetSelects[key];
      }
    });
    facetKeys.forEach(function (key) {
      var values = facets[key] || [];
      var chosen = state.filters[key] || '';
      var select = facetSelects[key];
      if (!values.length && !chosen) {
        if (select) facetBox.removeChild(select.parentNode);
        delete facetSelects[key];
        return;
      }
      if (!select) select = facetSelects[key] = makeSelect(key);
      var wrap = select.parentNode;
      // Insert only when out of place: moving the focused list would drop the focus.
      var expected = previous ? previous.nextSibling : facetBox.firstChild;
      if (expected !== wrap) facetBox.insertBefore(wrap, expected);
      previous = wrap;
      select.options.length = 0;
      select.appendChild(new Option('全部', ''));
      var seen = false;
      values.forEach(function (pair) {
        var option = new Option(shown(pair[0]) + '（' + pair[1] + '）', pair[0]);
        if (pair[0] === chosen) { option.selected = true; seen = true; }
        select.appendChild(option);
      });
      if (chosen && !seen) {
        var missing = new Option(shown(chosen) + '（0）', chosen);
        missing.selected = true;
        select.appendChild(missing);
      }
      select.value = chosen;
    });
  }

  /** A facet value as shown: levels of a two-level value (`一级\二级`) joined by " › ". */
  function shown(value) {
    return String(value).split('\\').join(' › ');
  }

  function makeSelect(key) {
    var id = 'gk-f-' + key.replace(/[^A-Za-z0-9_-]/g, '_');
    var wrap = document.createElement('div');
    wrap.className = 'gk-filter';
    var label = text('label', '', labels[key] || key);
    label.setAttribute('for', id);
    var select = document.createElement('select');
    select.id = id;
    select.name = key;
    select.addEventListener('change', onFilterChange);
    wrap.appendChild(label);
    wrap.appendChild(select);
    return select;
  }

  function renderHits(hits) {
    hits.forEach(function (hit) {
      var li = document.createElement('li');
      li.className = 'gk-hit';
      var h3 = document.createElement('h3');
      var a = document.createElement('a');
      a.setAttribute('href', safeHref(hit.url));
      a.innerHTML = hit.title_html;
      h3.appendChild(a);
      li.appendChild(h3);
      // 文号 and dates are never cut across lines (issue 16 item 1); the parts wrap between them.
      var meta = [];
      if (hit.issuer && hit.issuer.length) meta.push(text('span', '', hit.issuer.join('、')));
      if (hit.published) meta.push(text('span', 'gk-token', hit.published));
      if (hit.doc_no) meta.push(text('span', 'gk-token', hit.doc_no));
      if (hit.validity) meta.push(text('span', 'gk-token', hit.validity));
      if (meta.length) {
        var line = document.createElement('p');
        line.className = 'gk-meta';
        meta.forEach(function (part, i) {
          if (i) line.appendChild(document.createTextNode(' · '));
          line.appendChild(part);
        });
        li.appendChild(line);
      }
      if (hit.snippet_html) {
        var p = document.createElement('p');
        p.className = 'gk-snippet';
        p.innerHTML = hit.snippet_html;
        li.appendChild(p);
      }
      list.appendChild(li);
    });
  }

  /** Page links as on the catalogue pages: 首页 上一页 … n-2 … n+2 … 下一页 尾页, and 跳到第 N 页. */
  function renderPager(total, estimated) {
    var pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (pages <= 1) return;
    var cur = Math.min(state.page, pages);
    pager.appendChild(text('p', '', (estimated ? '已列出最新的 ' : '共 ') + total + ' 条，第 ' + state.page + ' / ' + pages + ' 页'));
    var ul = document.createElement('ul');
    function link(n, label, cls, rel) {
      var li = document.createElement('li');
      var a = text('a', cls || '', label);
      a.setAttribute('href', stateUrl(state, n));
      a.setAttribute('data-page', String(n));
      if (rel) a.setAttribute('rel', rel);
      if (label !== String(n)) a.setAttribute('aria-label', label + '（第 ' + n + ' 页）');
      else a.setAttribute('aria-label', '第 ' + n + ' 页');
      li.appendChild(a);
      ul.appendChild(li);
    }
    function gap() {
      var li = document.createElement('li');
      var s = text('span', 'gap', '…');
      s.setAttribute('aria-hidden', 'true');
      li.appendChild(s);
      ul.appendChild(li);
    }
    if (state.page > 1) {
      link(1, '首页', 'pager-first');
      link(Math.min(state.page - 1, pages), '上一页', 'gk-prev', 'prev');
    }
    var from = Math.max(1, cur - 2);
    var to = Math.min(pages, cur + 2);
    if (from > 1) gap();
    for (var n = from; n <= to; n++) {
      if (n === state.page) {
        var li = document.createElement('li');
        var span = text('span', '', String(n));
        span.setAttribute('aria-current', 'page');
        li.appendChild(span);
        ul.appendChild(li);
      } else {
        link(n, String(n));
      }
    }
    if (to < pages) gap();
    if (state.page < pages) {
      link(state.page + 1, '下一页', 'gk-next', 'next');
      link(pages, '尾页', 'pager-last');
    }
    pager.appendChild(ul);
    if (pages > 5) {
      var jump = document.createElement('form');
      jump.className = 'gk-jump';
      jump.setAttribute('action', window.location.pathname);
      var jl = text('label', '', '跳到第');
      jl.setAttribute('for', 'gk-jump-n');
      var box = document.createElement('input');
      box.id = 'gk-jump-n';
      box.type = 'number';
      box.setAttribute('inputmode', 'numeric');
      box.min = '1';
      box.max = String(pages);
      box.value = String(cur);
      var button = text('button', '', '跳转');
      button.type = 'submit';
      jump.appendChild(jl);
      jump.appendChild(box);
      jump.appendChild(text('span', '', '页'));
      jump.appendChild(button);
      jump.addEventListener('submit', function (e) {
        e.preventDefault();
        var n = parseInt(box.value, 10);
        if (n >= 1 && n <= pages) goToPage(n);
        else box.value = String(cur);
      });
      pager.appendChild(jump);
    }
    pager.hidden = false;
  }

  function render(r, focus, withCounts) {
    clearResults();
    if (!r.searched) {
      // Words with nothing searchable in them (punctuation only): the engine says why.
      announce((r.notices && r.notices[0] && r.notices[0].message) || MSG.unavailable);
      answered();
      return;
    }
    (r.notices || []).forEach(function (n) {
      notices.appendChild(text('p', 'gk-notice', n.message)).setAttribute('data-code', n.code);
    });
    // An answer without counts leaves the lists as they are (the panel is closed; opening it
    // asks again), but says which facets the engine has.
    counted = !!withCounts;
    if (counted) renderFacets(r.facets);
    else facetKeys = Object.keys(r.facets || {});
    filters.disabled = false;
    filters.hidden = false;
    $('gk-help-browse').hidden = false;
    // Parameters that name no facet (e.g. from=singlemessage added by a messaging app) are no
    // filter: they leave the address bar.
    var dropped = Object.keys(state.filters).filter(function (k) { return facetKeys.indexOf(k) < 0; });
    if (dropped.length) {
      dropped.forEach(function (k) { delete state.filters[k]; });
      window.history.replaceState(null, '', stateUrl(state));
    }
    syncControls();
    if (r.total === 0) {
      var what = state.q ? '与“' + state.q + '”相关的' : '符合条件的';
      announce('没有找到' + what + '文件。');
      notices.appendChild(text('p', 'gk-notice', MSG.tips));
      answered();
      return;
    }
    var first = (state.page - 1) * PAGE_SIZE + 1;
    var last = first + r.hits.length - 1;
    // An estimated count (a phrase of very common words, read newest documents first): "约",
    // the engine's note on what was read, and a link that asks again with the exact count.
    var count = (r.estimated ? '约 ' : ' ') + r.total + ' 条';
    var lead = state.q ? '找到' + count + '结果' :
      (hasFilter(state) ? '符合条件的文件共' + count : '全部文件共' + count) + '，按发布日期排列（新的在前）';
    var listed = r.estimated ? r.listed : r.total;
    var pages = Math.max(1, Math.ceil(listed / PAGE_SIZE));
    if (r.estimated) {
      var note = notices.querySelector('[data-code="estimated"]') || notices.appendChild(text('p', 'gk-notice', ''));
      note.appendChild(document.createTextNode(' '));
      var exact = text('a', 'gk-exact', '统计精确数量并列出全部结果');
      exact.setAttribute('href', stateUrl({ q: state.q, sort: state.sort, filters: state.filters, exact: true, page: 1 }, 1));
      exact.addEventListener('click', function (e) {
        if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        state.exact = true;
        state.page = 1;
        search('push', false);
      });
      note.appendChild(exact);
    }
    announce(lead + (r.hits.length ? '，当前显示第 ' + first + '–' + last + ' 条。' :
      '。第 ' + state.page + ' 页没有结果（共 ' + pages + ' 页）。'));
    renderHits(r.hits);
    renderPager(listed, r.estimated);
    if (focus) heading.focus();
    answered();
  }

  /** A new search from the form's current values (words, filters, order), page 1. */
  function submitForm() {
    state = {
      q: input.value.trim(),
      // Without words the order shown is always by date; the citizen's choice waits for words.
      sort: sortSelect.options[0].disabled ? state.sort : (sortSelect.value === 'date' ? 'date' : 'relevance'),
      page: 1,
      filters: {},
    };
    var selects = facetBox.querySelectorAll('select');
    for (var i = 0; i < selects.length; i++) {
      if (selects[i].value) state.filters[selects[i].name] = selects[i].value;
    }
    search('push', false);
  }

  function onFilterChange() {
    submitForm();
  }

  function goToPage(n) {
    state.page = n;
    search('push', true);
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    submitForm();
  });
  sortSelect.addEventListener('change', function () {
    state.sort = sortSelect.value === 'date' ? 'date' : 'relevance';
    submitForm();
  });
  $('gk-clear').addEventListener('click', function () {
    state.filters = {};
    var selects = facetBox.querySelectorAll('select');
    for (var i = 0; i < selects.length; i++) selects[i].value = '';
    submitForm();
  });
  pager.addEventListener('click', function (e) {
    var a = e.target.closest ? e.target.closest('a[data-page]') : null;
    // A new tab or window (middle click, Ctrl/Cmd/Shift-click) opens the link as it is.
    if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    goToPage(parseInt(a.getAttribute('data-page'), 10));
  });
  // The header's search box, on this page, searches in place too.
  var header = document.querySelector('form.site-search');
  if (header && new URL(header.action, window.location.href).pathname === window.location.pathname) {
    header.addEventListener('submit', function (e) {
      var box = header.querySelector('input[name="q"]');
      if (!box) return;
      e.preventDefault();
      input.value = box.value;
      submitForm();
    });
  }
  window.addEventListener('popstate', function () {
    state = readState(window.location.search);
    search('none', false);
  });

  search('replace', false);
})();
