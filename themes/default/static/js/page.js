/* Page tools, first-party and tiny; every one also works without JavaScript.
   - The pager's "跳到第 N 页" form: goes straight to page N. Without JavaScript the form opens
     the list's page index (…/page/), where every page number is a link.
   - 打印本页: the button is shown only when this script runs (html.js), and prints. */
(function () {
  document.addEventListener("submit", function (ev) {
    var f = ev.target;
    if (!f.classList || !f.classList.contains("page-jump")) return;
    var total = parseInt(f.getAttribute("data-total"), 10);
    var n = parseInt(f.elements.n.value, 10);
    if (!(n >= 1 && n <= total)) return; // let the page index show every number
    ev.preventDefault();
    var home = f.getAttribute("data-home");
    location.href = n === 1 ? home : home + "page/" + n + "/";
  });
  document.addEventListener("click", function (ev) {
    if (ev.target.classList && ev.target.classList.contains("print-button")) window.print();
  });
})();
