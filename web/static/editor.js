// Tutor code editor: upgrades <div data-editor><textarea></textarea></div> to CodeMirror 6
// (web/static/codemirror.js: Python, YAML or Markdown highlighting by the box's
// data-language, indentation, keyboard access). Should that bundle not load, the textarea
// gets line numbers, Tab / Shift+Tab indentation and auto-indent on Enter. Without JS it
// stays a plain textarea.
(function () {
  "use strict";
  // YAML indents by two spaces (as the course files do), everything else by four.
  function unitOf(box) { return box.getAttribute("data-language") === "yaml" ? "  " : "    "; }

  function lineStart(text, pos) { return text.lastIndexOf("\n", pos - 1) + 1; }

  function replace(ta, start, end, text, selStart, selEnd) {
    ta.setRangeText(text, start, end, "end");
    ta.selectionStart = selStart; ta.selectionEnd = selEnd;
    ta.dispatchEvent(new Event("input"));
  }

  function indent(ta, unit, outdent) {
    var v = ta.value, s = ta.selectionStart, e = ta.selectionEnd, w = unit.length;
    if (!outdent && s === e) { replace(ta, s, e, unit, s + w, s + w); return; }
    var from = lineStart(v, s), block = v.slice(from, e), lines = block.split("\n"), removedFirst = 0;
    var out = lines.map(function (l, i) {
      if (!outdent) { return unit + l; }
      var n = (l.match(new RegExp("^ {1," + w + "}")) || [""])[0].length;
      if (i === 0) { removedFirst = n; }
      return l.slice(n);
    }).join("\n");
    var delta = out.length - block.length;
    replace(ta, from, e, out, Math.max(from, s + (outdent ? -removedFirst : w)), e + delta);
  }

  function newline(ta, unit) {
    var v = ta.value, s = ta.selectionStart, from = lineStart(v, s), line = v.slice(from, s);
    var pad = (line.match(/^[ \t]*/) || [""])[0];
    if (/:\s*$/.test(line)) { pad += unit; }
    replace(ta, s, ta.selectionEnd, "\n" + pad, s + 1 + pad.length, s + 1 + pad.length);
  }

  function enhance(box) {
    var ta = box.querySelector("textarea"), unit = unitOf(box);
    if (!ta) { return; }
    var gutter = document.createElement("div");
    gutter.className = "gutter"; gutter.setAttribute("aria-hidden", "true");
    box.insertBefore(gutter, ta);
    function numbers() {
      var n = ta.value.split("\n").length, s = "";
      for (var i = 1; i <= n; i++) { s += i + "\n"; }
      gutter.textContent = s;
      gutter.scrollTop = ta.scrollTop;
    }
    ta.addEventListener("input", numbers);
    ta.addEventListener("scroll", function () { gutter.scrollTop = ta.scrollTop; });
    ta.addEventListener("keydown", function (ev) {
      if (ev.key === "Tab" && !ev.ctrlKey && !ev.altKey && !ev.metaKey) {
        // Escape then Tab leaves the editor (keyboard users are never trapped).
        if (box.getAttribute("data-escaped") === "1") { box.removeAttribute("data-escaped"); return; }
        ev.preventDefault(); indent(ta, unit, ev.shiftKey);
      } else if (ev.key === "Escape") {
        box.setAttribute("data-escaped", "1");
      } else if (ev.key === "Enter" && !ev.ctrlKey && !ev.metaKey && !ev.shiftKey) {
        ev.preventDefault(); newline(ta, unit);
      } else { box.removeAttribute("data-escaped"); }
    });
    numbers();
  }

  // Move the cursor to line n, column col (both 1-based; col 0: the line's start) of the
  // editor in box, and scroll it into view.
  function goToLine(box, n, col) {
    var view = box.tutorView, ta = box.querySelector("textarea"), at = Math.max(0, (col || 1) - 1);
    if (view) {
      var doc = view.state.doc, line = doc.line(Math.max(1, Math.min(n, doc.lines)));
      view.dispatch({ selection: { anchor: line.from + Math.min(at, line.length) }, scrollIntoView: true });
      view.focus();
    } else if (ta) {
      var lines = ta.value.split("\n"), pos = 0, last = Math.min(n, lines.length) - 1;
      for (var i = 0; i < last; i++) { pos += lines[i].length + 1; }
      pos += Math.min(at, (lines[Math.max(0, last)] || "").length);
      ta.focus(); ta.setSelectionRange(pos, pos);
      ta.scrollTop = (ta.scrollHeight / Math.max(1, lines.length)) * (n - 3);
    }
    box.setAttribute("data-cursor-line", String(n));
  }

  // Problem links to the open file move the cursor instead of leaving the page (which
  // would drop the unsaved text).
  function linkProblems(box) {
    var links = document.querySelectorAll("a.problem-link[data-line]");
    for (var i = 0; i < links.length; i++) {
      links[i].addEventListener("click", function (ev) {
        ev.preventDefault();
        goToLine(box, parseInt(this.getAttribute("data-line"), 10) || 1,
          parseInt(this.getAttribute("data-column") || "0", 10));
      });
    }
    var start = parseInt(box.getAttribute("data-line") || "0", 10);
    if (start > 0) { goToLine(box, start, 0); }
  }

  function init() {
    var boxes = document.querySelectorAll("[data-editor]"), i;
    if (window.TutorEditor) {
      var views = window.TutorEditor.enhanceAll(document);
      for (i = 0; i < boxes.length; i++) { if (views[i]) { boxes[i].tutorView = views[i]; } }
    } else {
      for (i = 0; i < boxes.length; i++) { enhance(boxes[i]); }
    }
    if (boxes.length === 1) { linkProblems(boxes[0]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
