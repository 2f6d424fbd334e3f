// The article editor (kb_editor.html): a live preview while typing, and "add a row" buttons
// for the lists. The form works without this file; every button also posts it.
(function () {
  "use strict";
  const form = document.getElementById("editor");
  const preview = document.getElementById("preview");
  if (!form || !preview) return;

  let timer = null;
  let sent = 0;
  function refresh() {
    const body = new URLSearchParams(new FormData(form));
    body.set("action", "preview");
    const mine = ++sent;
    fetch(form.dataset.preview, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (res) { return res.ok ? res.text() : null; })
      .then(function (html) {
        // An older answer that arrives late must not replace a newer one.
        if (html !== null && mine === sent) preview.innerHTML = html;
      })
      .catch(function () { /* the preview button still works */ });
  }
  form.addEventListener("input", function (event) {
    if (event.target.name === "probe_message" || event.target.name === "comment") return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 500);
  });

  document.querySelectorAll("button.add-row").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      const list = form.querySelector('ol.rows[data-name="' + button.dataset.list + '"]');
      const last = list && list.lastElementChild;
      if (!last) return;
      const row = last.cloneNode(true);
      const n = list.children.length + 1;
      row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      row.querySelectorAll(".visually-hidden").forEach(function (span) {
        span.textContent = span.textContent.replace(/\d+/, String(n));
      });
      list.appendChild(row);
      const first = row.querySelector("input");
      if (first) first.focus();
    });
  });
})();
