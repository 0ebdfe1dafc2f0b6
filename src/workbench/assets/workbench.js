// 公开工作台: live review, saving without leaving the page, attachments and import.
// Every request that changes something carries the token of this run (X-Gongkai-Token).
(function () {
  "use strict";
  var tokenMeta = document.querySelector('meta[name="gongkai-token"]');
  var token = tokenMeta ? tokenMeta.content : "";
  var P = "/_gongkai/";

  function send(url, body, contentType) {
    var headers = { "X-Gongkai-Token": token, "Accept": "application/json" };
    if (contentType) headers["Content-Type"] = contentType;
    return fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin" }).then(function (res) {
      var type = res.headers.get("Content-Type") || "";
      var read = type.indexOf("application/json") === 0 ? res.json() : res.text().then(function (t) { return { ok: false, message: t.trim() }; });
      return read.then(function (data) { data.status = res.status; if (!res.ok) data.ok = false; return data; });
    }, function () {
      return { ok: false, message: "无法连接工作台：gongkai serve 是否还在运行？(cannot reach the workbench)" };
    });
  }

  function formBody(form, extra) {
    var data = new URLSearchParams(new FormData(form));
    Object.keys(extra || {}).forEach(function (k) { data.set(k, extra[k]); });
    return data;
  }

  function say(text, problem) {
    var s = document.getElementById("status");
    if (!s) return;
    s.className = problem ? "problem" : "";
    s.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    s.appendChild(p);
  }

  var flash = sessionStorage.getItem("gongkai-flash");
  if (flash) {
    sessionStorage.removeItem("gongkai-flash");
    document.addEventListener("DOMContentLoaded", function () { say(flash, false); });
  }

  // ---- the document form ----
  var doc = document.getElementById("doc");
  if (doc) {
    var dirty = false;
    var seq = 0;
    var timer = null;
    var version = doc.querySelector('input[name="version"]');
    var pathValue = doc.querySelector('input[name="path"]').value;

    var kindSelect = document.getElementById("f-kind");
    function applyKind() {
      if (!kindSelect) return;
      var kind = kindSelect.value;
      doc.querySelectorAll("[data-kinds]").forEach(function (row) {
        var kinds = row.getAttribute("data-kinds").split(" ");
        var filled = Array.prototype.some.call(row.querySelectorAll("input, select, textarea"), function (c) {
          return c.type === "checkbox" ? c.checked : (c.value || "").trim() !== "";
        });
        row.hidden = kinds.indexOf(kind) < 0 && !filled;
      });
    }
    if (kindSelect) kindSelect.addEventListener("change", applyKind);

    function place(findings) {
      document.querySelectorAll("ul.findings").forEach(function (ul) { ul.innerHTML = ""; });
      document.querySelectorAll("[aria-invalid]").forEach(function (c) { c.removeAttribute("aria-invalid"); });
      findings.forEach(function (f) {
        var ul = document.getElementById("find-" + f.place) || document.getElementById("find-general");
        ul.insertAdjacentHTML("beforeend", f.html);
        if (f.severity === "error") {
          var row = document.getElementById("field-" + f.place);
          if (row) row.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (c) { c.setAttribute("aria-invalid", "true"); });
        }
      });
    }

    function review() {
      var mine = ++seq;
      send(P + "review", formBody(doc, { draft: doc.getAttribute("data-draft") }), "application/x-www-form-urlencoded").then(function (r) {
        if (mine !== seq) return;
        if (!r.ok) { say(r.message || "审查失败", true); return; }
        document.getElementById("review-summary").textContent = r.summary;
        place(r.findings);
        var frame = document.getElementById("preview");
        var note = document.getElementById("preview-note");
        if (r.page) {
          frame.srcdoc = r.page;
          frame.hidden = false;
          note.hidden = true;
        } else {
          frame.hidden = true;
          note.hidden = false;
          note.textContent = r.note || "";
        }
      });
    }

    function changed() {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(review, 500);
    }
    doc.addEventListener("input", changed);
    doc.addEventListener("change", changed);
    window.addEventListener("beforeunload", function (e) {
      if (dirty) { e.preventDefault(); e.returnValue = ""; }
    });

    doc.addEventListener("submit", function (e) {
      e.preventDefault();
      var action = e.submitter && e.submitter.value ? e.submitter.value : "save";
      var buttons = doc.querySelectorAll("button[type=submit]");
      buttons.forEach(function (b) { b.disabled = true; });
      say("正在保存……", false);
      send(P + "save", formBody(doc, { action: action }), "application/x-www-form-urlencoded").then(function (r) {
        buttons.forEach(function (b) { b.disabled = false; });
        if (r.ok) {
          version.value = r.version;
          dirty = false;
          if (action !== "save") {
            sessionStorage.setItem("gongkai-flash", r.message);
            location.reload();
            return;
          }
          say(r.message + "（" + new Date().toLocaleTimeString("zh-CN") + "）", false);
          review();
        } else {
          say(r.message || "保存失败", true);
          if (r.errors) {
            var s = document.getElementById("status");
            var ul = document.createElement("ul");
            ul.className = "findings";
            ul.innerHTML = r.errors.join("");
            s.appendChild(ul);
          }
          review();
        }
      });
    });

    document.addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && (e.key === "s" || e.key === "S")) {
        e.preventDefault();
        var save = doc.querySelector('button[value="save"]');
        if (doc.requestSubmit) doc.requestSubmit(save); else save.click();
      }
    });

    // Attachments: upload and remove change the file at once (its version follows).
    var list = document.getElementById("att-list");
    function addRow(entry, title, href) {
      var i = list.children.length;
      while (document.getElementById("att-" + i)) i++;
      var li = document.createElement("li");
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "f.attachments.path"; hidden.value = entry;
      var a = document.createElement("a");
      a.href = href; a.target = "_blank"; a.rel = "noopener"; a.textContent = entry;
      var label = document.createElement("label");
      label.htmlFor = "att-" + i; label.textContent = "链接文字";
      var input = document.createElement("input");
      input.type = "text"; input.id = "att-" + i; input.name = "f.attachments.title"; input.value = title;
      var btn = document.createElement("button");
      btn.type = "button"; btn.className = "remove"; btn.setAttribute("data-entry", entry);
      btn.innerHTML = '删除附件<span class="visually-hidden"></span>';
      btn.querySelector("span").textContent = " " + entry;
      li.append(hidden, a, " ", label, " ", input, " ", btn);
      list.appendChild(li);
    }
    function upload(files) {
      var chain = Promise.resolve();
      Array.prototype.forEach.call(files, function (file) {
        chain = chain.then(function () {
          say("正在上传 " + file.name + "……", false);
          var url = P + "attachments/upload?path=" + encodeURIComponent(pathValue) + "&name=" + encodeURIComponent(file.name) + "&version=" + encodeURIComponent(version.value);
          return send(url, file, "application/octet-stream").then(function (r) {
            if (r.ok) {
              version.value = r.version;
              addRow(r.entry, r.title, r.href);
              say(r.message, false);
              review();
            } else {
              say(file.name + "：" + (r.message || "上传失败"), true);
            }
          });
        });
      });
    }
    var picker = document.getElementById("att-upload");
    if (picker) picker.addEventListener("change", function () { upload(picker.files); picker.value = ""; });
    var drop = document.getElementById("att-drop");
    if (drop) dropTarget(drop, upload);
    if (list) list.addEventListener("click", function (e) {
      var btn = e.target.closest("button.remove");
      if (!btn) return;
      var entry = btn.getAttribute("data-entry");
      if (!confirm("删除附件 " + entry + "？本文件附件文件夹中的这个文件也会被删除。")) return;
      var body = new URLSearchParams({ token: token, path: pathValue, version: version.value, entry: entry });
      send(P + "attachments/remove", body, "application/x-www-form-urlencoded").then(function (r) {
        if (r.ok) {
          version.value = r.version;
          var li = btn.closest("li");
          li.parentNode.removeChild(li);
          say(r.message, false);
          if (picker) picker.focus();
          review();
        } else {
          say(r.message || "删除失败", true);
        }
      });
    });
    applyKind();
  }

  function dropTarget(zone, take) {
    zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      zone.classList.remove("over");
      if (e.dataTransfer && e.dataTransfer.files.length) take(e.dataTransfer.files);
    });
  }

  // ---- import of Word files ----
  var imp = document.getElementById("import");
  if (imp) {
    var chosen = [];
    var shown = document.getElementById("import-list");
    var status = document.getElementById("import-status");
    var limit = Number(imp.getAttribute("data-limit")) || Infinity;
    function tell(text, problem) {
      status.textContent = "";
      var p = document.createElement("p");
      p.textContent = text;
      if (problem) p.className = "alert";
      status.appendChild(p);
    }
    function take(files) {
      Array.prototype.forEach.call(files, function (f) {
        if (f.size > limit) { tell(f.name + " 太大，超过上限 " + Math.round(limit / 1048576) + " MB", true); return; }
        chosen = chosen.filter(function (c) { return c.name !== f.name; });
        chosen.push(f);
      });
      shown.innerHTML = "";
      chosen.forEach(function (f) {
        var li = document.createElement("li");
        li.textContent = f.name;
        shown.appendChild(li);
      });
    }
    var input = document.getElementById("import-files");
    input.addEventListener("change", function () { take(input.files); input.value = ""; });
    dropTarget(document.getElementById("dropzone"), take);
    imp.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!chosen.some(function (f) { return /\.docx$/i.test(f.name); })) {
        tell("请先选择 Word 公文（.docx）；附件和它一起选择。", true);
        return;
      }
      var bytes = new Uint8Array(12);
      crypto.getRandomValues(bytes);
      var batch = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      var go = document.getElementById("import-go");
      go.disabled = true;
      var chain = Promise.resolve(true);
      chosen.forEach(function (f) {
        chain = chain.then(function (ok) {
          if (!ok) return false;
          tell("正在上传 " + f.name + "……", false);
          return send(P + "import/file?batch=" + batch + "&name=" + encodeURIComponent(f.name), f, "application/octet-stream").then(function (r) {
            if (!r.ok) tell(f.name + "：" + (r.message || "上传失败"), true);
            return r.ok;
          });
        });
      });
      chain.then(function (ok) {
        if (!ok) { go.disabled = false; return; }
        tell("正在导入……", false);
        var body = formBody(imp, { token: token, batch: batch });
        return send(P + "import", body, "application/x-www-form-urlencoded").then(function (r) {
          go.disabled = false;
          var created = r.created || [];
          if (created.length === 1 && (!r.errors || r.errors.length === 0)) {
            location.href = created[0].url;
            return;
          }
          status.textContent = "";
          if (r.message) tell(r.message, true);
          var ul = document.createElement("ul");
          created.forEach(function (c) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = c.url; a.textContent = "已导入：" + c.path + "（打开表单）";
            li.appendChild(a); ul.appendChild(li);
          });
          (r.errors || []).forEach(function (m) {
            var li = document.createElement("li");
            li.className = "sev-error"; li.textContent = "未导入：" + m;
            ul.appendChild(li);
          });
          status.appendChild(ul);
          chosen = [];
          shown.innerHTML = "";
        });
      });
    });
  }
})();
