// Tutor's code editor: CodeMirror 6 over a <textarea> (the exercise page's code, the
// course editor's files). Built into web/static/codemirror.js by scripts/build-assets;
// without JavaScript the plain textarea stays and the form posts as it is.
import { basicSetup } from "codemirror";
import { indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { yaml } from "@codemirror/lang-yaml";
import { markdownLanguage } from "@codemirror/lang-markdown";
import {
  HighlightStyle,
  defaultHighlightStyle,
  indentUnit,
  syntaxHighlighting,
} from "@codemirror/language";
import { Compartment, EditorState } from "@codemirror/state";
import { oneDark } from "@codemirror/theme-one-dark";
import { EditorView, keymap } from "@codemirror/view";

function labelOf(textarea) {
  const label = textarea.id && document.querySelector(`label[for="${textarea.id}"]`);
  return textarea.getAttribute("aria-label") || (label && label.textContent.trim()) || "Code editor";
}

// The page's theme (html[data-theme], switched by the "Dark mode" button) picks the editor's.
const dark = () => document.documentElement.dataset.theme === "dark";

// CodeMirror's light highlighting with the two colours that fail WCAG AA contrast on the
// page's code background darkened: special strings (an f-string's prefix, escapes) and
// invalid code. axe checks the exercise pages in the browser tests.
const READABLE = { "#e40": "#b33900", "#f00": "#c00" };
const light = syntaxHighlighting(
  HighlightStyle.define(
    defaultHighlightStyle.specs.map((spec) =>
      READABLE[spec.color] ? { ...spec, color: READABLE[spec.color] } : spec,
    ),
  ),
);

// The box's data-language (the course editor sets it from the file's extension: see
// web/editor.py's language_of) picks the highlighting; without one the text is Python (the
// exercise page's code). Markdown is the language alone, without lang-markdown's HTML,
// CSS and JavaScript support for embedded code, which would add a third to the bundle.
// YAML indents by two spaces, as the course files do; the others by four.
const LANGUAGES = {
  python: { support: python, indent: "    " },
  yaml: { support: yaml, indent: "  " },
  markdown: { support: () => markdownLanguage, indent: "    " },
  text: { support: () => [], indent: "    " },
};
const languageOf = (box) => LANGUAGES[box.dataset.language] || LANGUAGES.python;

// Upgrade one <div data-editor><textarea>…</textarea></div>. The textarea stays in the
// form (hidden) and always holds the editor's text, so submitting works as before and
// other scripts (drafts, Run, Check) keep reading and writing textarea.value.
export function enhance(box) {
  const textarea = box.querySelector("textarea");
  if (!textarea || box.dataset.enhanced === "codemirror") return null;
  const theme = new Compartment();
  const language = languageOf(box);
  const view = new EditorView({
    parent: box,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        basicSetup,
        keymap.of([indentWithTab]), // Esc then Tab leaves the editor (keyboard users)
        indentUnit.of(language.indent),
        EditorState.tabSize.of(language.indent.length),
        language.support(),
        theme.of(dark() ? oneDark : light),
        // tabindex: the scrolling area holds a focusable element for every tool (axe)
        EditorView.contentAttributes.of({ "aria-label": labelOf(textarea), tabindex: "0" }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          textarea.value = update.state.doc.toString();
          textarea.dispatchEvent(new Event("input", { bubbles: true }));
        }),
      ],
    }),
  });
  // Someone else changed the textarea (a reset, a restored draft): show it in the editor.
  textarea.addEventListener("tutor:set", () => {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: textarea.value } });
  });
  new MutationObserver(() => {
    view.dispatch({ effects: theme.reconfigure(dark() ? oneDark : light) });
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  textarea.hidden = true;
  box.dataset.enhanced = "codemirror";
  box.classList.add("cm-ready");
  return view;
}

export function enhanceAll(root = document) {
  return Array.from(root.querySelectorAll("[data-editor]")).map(enhance);
}
