// Operator entry (登记诉求): while the operator types, shows open appeals that look like the one being entered,
// so a duplicate is noticed before it is registered. Without this script the form's "查找相似诉求" button does
// the same on the server.
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");
  if (!form) return;
  var panel = document.getElementById("similar-appeals");
  var fields = ["title", "content", "enterprise_code"].map(function (name) { return form.elements[name]; });
  var timer = null;
  var lastQuery = null;

  function render(matches) {
    panel.replaceChildren();
    if (!matches.length) { panel.hidden = true; return; }
    var heading = document.createElement("h2");
    heading.textContent = "相似的在办诉求（可能重复，登记后可在办理页并单）";
    var list = document.createElement("ul");
    matches.forEach(function (match) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "/appeals/" + encodeURIComponent(match.id);
      link.textContent = match.number + " " + match.title;
      var note = document.createElement("span");
      note.className = "muted";
      note.textContent = match.explanation;
      item.append(link, note);
      list.append(item);
    });
    panel.append(heading, list);
    panel.hidden = false;
  }

  function refresh() {
    var params = new URLSearchParams();
    fields.forEach(function (field) { if (field && field.value.trim()) params.set(field.name, field.value.trim()); });
    var query = params.toString();
    if (query === lastQuery) return;
    lastQuery = query;
    if (!params.has("title") && !params.has("content")) { render([]); return; }
    fetch(form.dataset.similarUrl + "?" + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (matches) { if (query === lastQuery) render(matches); })
      .catch(function () { /* suggestions are a help, never a blocker */ });
  }

  fields.forEach(function (field) {
    if (field) field.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 300); });
  });
})();
