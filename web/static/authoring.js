// The "New exercise" form: show only the fields of the chosen kind (code, quiz or
// self-check) and, in a quiz question, the options or the accepted answers by its type.
// Hidden fields are disabled, so they are neither checked nor posted. Without JS the
// style sheet hides the same parts (:has) and the server uses the chosen kind's fields.
(function () {
  "use strict";

  function show(element, on) {
    element.hidden = !on;
    var fields = element.tagName === "FIELDSET" ? [element] : element.querySelectorAll("textarea, input, select");
    for (var i = 0; i < fields.length; i++) { fields[i].disabled = !on; }
  }

  function showKind(form) {
    var chosen = form.querySelector("input[name=kind]:checked");
    var kind = chosen ? chosen.value : "code";
    var parts = form.querySelectorAll("fieldset[data-kind]");
    for (var i = 0; i < parts.length; i++) { show(parts[i], parts[i].getAttribute("data-kind") === kind); }
  }

  function showType(question) {
    var short = question.querySelector("select.question-type").value === "short";
    show(question.querySelector(".options"), !short);
    show(question.querySelector(".answers"), short);
  }

  function init() {
    var form = document.getElementById("new-exercise-form");
    if (!form) { return; }
    var kinds = form.querySelectorAll("input[name=kind]"), i;
    for (i = 0; i < kinds.length; i++) { kinds[i].addEventListener("change", function () { showKind(form); }); }
    var questions = form.querySelectorAll("fieldset.question");
    for (i = 0; i < questions.length; i++) {
      (function (question) {
        question.querySelector("select.question-type").addEventListener("change", function () { showType(question); });
        showType(question);
      })(questions[i]);
    }
    showKind(form);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
