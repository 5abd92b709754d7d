"""One script that puts fixed English texts of Streamlit's frontend into Japanese, inside
given parts of the page only (never the page's own content). The chrome (chrome.py) and the
file uploader (uploads.py) each pass their own rules."""

from __future__ import annotations

import json

_SCRIPT = """<script>
if (!window.%(guard)s) {
  window.%(guard)s = true;
  const scopes = %(scopes)s;
  const rules = [%(rules)s];
  const apply = (value) => {
    for (const [pattern, replace] of rules) {
      const m = value.match(pattern);
      if (m) return replace(m);
    }
    return null;
  };
  const translate = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const got = apply(node.nodeValue.trim());
      if (got !== null) node.nodeValue = got;
    }
    if (!%(attributes)s) return;
    root.querySelectorAll("[title], [aria-label]").forEach((el) => {
      for (const name of ["title", "aria-label"]) {
        const value = el.getAttribute(name);
        const got = value ? apply(value) : null;
        if (got !== null) el.setAttribute(name, got);
      }
    });
  };
  const run = () => scopes.forEach((s) => document.querySelectorAll(s).forEach(translate));
  new MutationObserver(run).observe(document.body, {subtree: true, childList: true, characterData: true});
  run();
}
</script>"""


def translation_script(guard: str, scopes: list[str], rules: str, attributes: bool = False) -> str:
    """The script for these CSS scopes; `rules` is the body of a JS array of [regex, (match) =>
    text] pairs; `attributes` also translates title and aria-label; `guard` keeps it to one run."""
    return _SCRIPT % {"guard": guard, "scopes": json.dumps(scopes), "rules": rules,
                      "attributes": "true" if attributes else "false"}
