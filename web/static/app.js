// Tutor: progressive enhancement only. Pages work without this file.
(function () {
  "use strict";
  var root = document.documentElement;

  function setTheme(t) {
    root.setAttribute("data-theme", t);
    try { localStorage.setItem("tutor-theme", t); } catch (e) {}
  }
  var toggle = document.getElementById("theme-toggle");
  if (toggle) {
    var sync = function () { toggle.setAttribute("aria-pressed", String(root.getAttribute("data-theme") === "dark")); };
    sync();
    toggle.addEventListener("click", function () {
      setTheme(root.getAttribute("data-theme") === "dark" ? "light" : "dark");
      sync();
    });
  }

  // Keyboard shortcuts: j / ArrowRight next, k / ArrowLeft previous, Ctrl+Enter check.
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    var typing = t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.tagName === "SELECT" || t.isContentEditable);
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") {
      var check = document.getElementById("check-button");
      if (check) { ev.preventDefault(); check.click(); }
      return;
    }
    if (typing || ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var id = null;
    if (ev.key === "j" || ev.key === "ArrowRight") { id = "next-link"; }
    if (ev.key === "k" || ev.key === "ArrowLeft") { id = "prev-link"; }
    if (id) {
      var el = document.getElementById(id);
      if (el) { ev.preventDefault(); el.click(); }
    }
  });

  // Copy-the-prompt buttons: <button data-copy-target="id">.
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest("[data-copy-target]") : null;
    if (!btn) { return; }
    var src = document.getElementById(btn.getAttribute("data-copy-target"));
    if (!src) { return; }
    var text = src.value !== undefined ? src.value : src.textContent;
    var done = function () { btn.textContent = "Copied"; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { src.select && src.select(); });
    } else if (src.select) { src.select(); document.execCommand("copy"); done(); }
  });
})();
