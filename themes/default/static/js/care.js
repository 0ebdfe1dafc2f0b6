/* 关怀版 / 长者模式 (SPEC §5.2): larger text, high contrast, wider spacing, a large pointer.
   First-party and tiny: no plug-in, no pop-up, no cookie. The choice is kept in localStorage
   ("gongkai-care") so it holds on every page. Without JavaScript the top-bar link "#care" still
   shows the current page in the 关怀版 style (CSS :target), and the styles follow the system
   "more contrast" setting. This file runs in <head>, before the page is drawn. */
(function () {
  var KEY = "gongkai-care";
  var root = document.documentElement;
  var store = {
    get: function () { try { return localStorage.getItem(KEY); } catch (e) { return null; } },
    set: function (v) { try { localStorage.setItem(KEY, v); } catch (e) { /* private mode */ } }
  };
  root.className += " js";
  if (location.hash === "#care") store.set("1");
  var on = store.get() === "1";
  if (on) root.className += " care";

  function label(a) {
    a.textContent = on ? "退出关怀版" : "关怀版";
    a.setAttribute("aria-pressed", on ? "true" : "false");
  }
  function toggle(ev) {
    ev.preventDefault();
    on = !on;
    store.set(on ? "1" : "0");
    if (on) root.classList.add("care"); else root.classList.remove("care");
    if (location.hash === "#care" && history.replaceState) {
      history.replaceState(null, "", location.pathname + location.search);
    }
    var all = document.querySelectorAll(".care-toggle");
    for (var i = 0; i < all.length; i++) label(all[i]);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var all = document.querySelectorAll(".care-toggle");
    for (var i = 0; i < all.length; i++) {
      var a = all[i];
      a.setAttribute("role", "button");
      label(a);
      a.addEventListener("click", toggle);
      a.addEventListener("keydown", function (ev) {
        if (ev.key === " " || ev.key === "Spacebar") toggle(ev);
      });
    }
  });
})();
