// Tutor box: streams the tutor's reply into the page (NDJSON over fetch) instead of
// loading a new page. Without JS the form posts normally and a reply page is shown.
(function () {
  "use strict";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function show(out, ev, live) {
    if (ev.kind === "delta") {
      if (!live.pre) { live.pre = el("div", "tutor-live"); live.pre.style.whiteSpace = "pre-wrap"; out.appendChild(live.pre); }
      live.pre.textContent += ev.text;
    } else if (ev.kind === "html") {
      var box = el("div", "tutor-text");
      box.innerHTML = ev.html;  // rendered on the server by markdown-it with raw HTML disabled
      if (live.pre) { out.replaceChild(box, live.pre); live.pre = null; } else { out.appendChild(box); }
    } else if (ev.kind === "say") {
      var p = el("p", "say"); p.appendChild(el("strong", "", ev.text)); out.appendChild(p);
    } else if (ev.kind === "notice") {
      out.appendChild(el("p", "notice", ev.text));
    } else if (ev.kind === "error") {
      var e = el("p", "form-error", ev.message); e.setAttribute("role", "alert"); out.appendChild(e);
    } else if (ev.kind === "passages" && ev.items.length) {
      out.appendChild(el("h3", "", "From the course"));
      var ul = el("ul");
      ev.items.forEach(function (it) { var li = el("li"); li.appendChild(el("strong", "", it.title + ": ")); li.appendChild(document.createTextNode(it.text)); ul.appendChild(li); });
      out.appendChild(ul);
    } else if (ev.kind === "prompt") {
      live.n = (live.n || 0) + 1;
      var id = "tutor-prompt-" + Date.now() + "-" + live.n;
      var label = el("label", "", "Prompt to paste into any assistant"); label.htmlFor = id;
      var ta = el("textarea", "code"); ta.id = id; ta.rows = 10; ta.readOnly = true; ta.value = ev.text;
      var btn = el("button", "", "Copy the prompt"); btn.type = "button"; btn.setAttribute("data-copy-target", id);
      out.appendChild(label); out.appendChild(ta); var p2 = el("p"); p2.appendChild(btn); out.appendChild(p2);
    }
  }

  async function submit(form, action) {
    var out = document.getElementById("tutor-output") || form.parentNode;
    var data = new FormData(form);
    data.set("action", action);
    var status = el("p", "checking", "The tutor is writing…");
    status.setAttribute("role", "status");
    out.appendChild(status);
    var live = {};
    try {
      // getAttribute: the form's buttons are named "action", which shadows form.action
      var resp = await fetch(form.getAttribute("action"), {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "Accept": "application/x-ndjson",
                   "X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content }
      });
      if (!resp.ok || !resp.body) { status.textContent = "The tutor could not answer (" + resp.status + ")."; return; }
      var reader = resp.body.getReader(), decoder = new TextDecoder(), buf = "";
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) { break; }
        buf += decoder.decode(chunk.value, { stream: true });
        var lines = buf.split("\n"); buf = lines.pop();
        lines.forEach(function (line) { if (line.trim()) { show(out, JSON.parse(line), live); } });
      }
      status.remove();
    } catch (err) {
      status.textContent = "The connection to the tutor failed. Try again.";
    }
  }

  function init() {
    document.querySelectorAll("form[data-tutor-form]").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var action = ev.submitter && ev.submitter.value ? ev.submitter.value : "ask";
        var q = form.querySelector("textarea[name=question]");
        if (action === "ask" && q && !q.value.trim()) { q.focus(); return; }
        submit(form, action);
        if (q && action === "ask") { q.value = ""; }
      });
      if (form.hasAttribute("data-autostart")) { form.style.display = "none"; submit(form, "lesson"); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
