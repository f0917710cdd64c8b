// Tutor: drafts of the exercise page's code, saved on the server as the learner types
// (debounced), and "Save draft" without a page load. Without JS the "Save draft" button
// posts the form and the page comes back with the draft.
(function () {
  "use strict";
  var form = document.getElementById("code-form");
  var source = document.getElementById("source");
  var status = document.getElementById("draft-status");
  var button = document.getElementById("draft-button");
  if (!form || !source || !form.getAttribute("data-draft-url") || !window.fetch) { return; }
  if (button && button.disabled) { return; }  // not logged in: nothing to keep
  var url = form.getAttribute("data-draft-url");
  var DELAY = 1500, timer = null, saved = source.value, inFlight = false, again = false;

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    timer = null;
    if (source.value === saved) { return; }
    if (inFlight) { again = true; return; }
    inFlight = true;
    var text = source.value, body = new FormData();
    body.append("source", text);
    var token = form.querySelector("input[name=csrf_token]");
    say("Saving draft…");
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Tutor-Draft": "1", "X-CSRF-Token": token ? token.value : "" }
    }).then(function (r) {
      if (r.ok) { saved = text; say(source.value === text ? "Draft saved." : ""); return; }
      var wait = r.headers.get("Retry-After");
      say("Draft not saved" + (wait ? ": trying again in " + wait + " s." : "."));
      if (wait) { schedule(1000 * Number(wait)); }
    }, function () { say("Draft not saved: offline?"); })
      .then(function () {
        inFlight = false;
        if (again) { again = false; schedule(DELAY); }
      });
  }

  function schedule(ms) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, ms);
  }

  // A stale "Draft saved." would be wrong while there is unsaved typing: clear it.
  source.addEventListener("input", function () { say(""); schedule(DELAY); });
  if (button) {
    button.addEventListener("click", function (ev) { ev.preventDefault(); save(); if (source.value === saved) { say("Draft saved."); } });
  }
  // Leaving the page with unsaved typing: send it now (keepalive outlives the page).
  window.addEventListener("pagehide", function () {
    if (source.value === saved) { return; }
    var body = new FormData();
    body.append("source", source.value);
    var token = form.querySelector("input[name=csrf_token]");
    fetch(url, { method: "POST", body: body, keepalive: true, credentials: "same-origin",
      headers: { "X-Tutor-Draft": "1", "X-CSRF-Token": token ? token.value : "" } });
  });
})();
