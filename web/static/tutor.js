// Tutor box and exercise Help: stream the tutor's reply into the page (NDJSON over fetch)
// instead of loading a new page. Without JS the forms post normally: the server keeps the
// reply in the conversation and sends the browser back to the page, which shows it.
// Events: "delta" (text as it arrives, shown as plain text), "html" (one thing shown,
// rendered on the server; "ends" replaces the deltas of the output it ends), "restart"
// (the tutor answers again: the deltas so far are dropped).
(function () {
  "use strict";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function show(box, ev, live) {
    if (ev.kind === "delta") {
      if (!live.pre) { live.pre = el("div", "tutor-live"); live.pre.style.whiteSpace = "pre-wrap"; box.appendChild(live.pre); }
      live.pre.textContent += ev.text;
    } else if (ev.kind === "restart") {
      if (live.pre) { live.pre.remove(); live.pre = null; }
    } else if (ev.kind === "html") {
      var part = el("div", "tutor-part");
      part.innerHTML = ev.html;  // rendered on the server: markdown-it with raw HTML disabled, escaped templates
      if (ev.ends && live.pre) { box.replaceChild(part, live.pre); live.pre = null; } else { box.appendChild(part); }
    }
  }

  async function stream(url, data, out, said) {
    if (said) {
      var msg = el("div", "msg msg-learner");
      msg.appendChild(el("p", "who", "You asked")); msg.appendChild(el("p", "", said));
      out.appendChild(msg);
    }
    var box = el("div", said ? "msg msg-tutor" : "tutor-text");
    out.appendChild(box);
    var status = el("p", "checking", "The tutor is writing…");
    status.setAttribute("role", "status");
    out.appendChild(status);
    var live = {};
    try {
      var resp = await fetch(url, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "Accept": "application/x-ndjson",
                   "X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content }
      });
      if (!resp.ok || !resp.body) { status.textContent = "The tutor could not answer (" + resp.status + "). Try again."; return; }
      var reader = resp.body.getReader(), decoder = new TextDecoder(), buf = "";
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) { break; }
        buf += decoder.decode(chunk.value, { stream: true });
        var lines = buf.split("\n"); buf = lines.pop();
        lines.forEach(function (line) { if (line.trim()) { show(box, JSON.parse(line), live); } });
      }
      status.remove();
    } catch (err) {
      status.textContent = "The connection to the tutor failed. Try again.";
    }
  }

  function labelOf(form, action) {
    var b = form.querySelector('button[value="' + action + '"]');
    return b ? b.textContent.trim() : action;
  }

  function initTutor(form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var action = ev.submitter && ev.submitter.value ? ev.submitter.value : "ask";
      var q = form.querySelector("textarea[name=question]");
      if (action === "ask" && q && !q.value.trim()) { q.focus(); return; }
      var data = new FormData(form);
      data.set("action", action);
      var out = document.getElementById("tutor-output") || form.parentNode;
      if (action === "lesson") {
        form.style.display = "none";
        out = el("div", "tutor-lesson"); form.parentNode.appendChild(out);
        stream(form.getAttribute("action"), data, out, "");
        return;
      }
      // getAttribute: the form's buttons are named "action", which shadows form.action
      stream(form.getAttribute("action"), data, out, action === "ask" ? q.value.trim() : labelOf(form, action));
      if (q && action === "ask") { q.value = ""; }
    });
    if (form.hasAttribute("data-autostart")) { form.requestSubmit(form.querySelector('button[value="lesson"]')); }
  }

  // Help on an exercise: the button belongs to the code form (form="code-form") and posts
  // the editor's code to its formaction; the reply streams into #help-output.
  function initHelp(button) {
    button.addEventListener("click", function (ev) {
      ev.preventDefault();
      var form = button.form;
      var data = new FormData(form);
      var q = document.getElementById("help-question");
      var said = "Help" + (q && q.value.trim() ? ": " + q.value.trim() : "");
      stream(button.getAttribute("formaction"), data, document.getElementById("help-output"), said);
      if (q) { q.value = ""; }
    });
  }

  function init() {
    document.querySelectorAll("form[data-tutor-form]").forEach(initTutor);
    document.querySelectorAll("button[data-help]").forEach(initHelp);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
