// Filters the scenarios by status, tag and name, and opens every failure at
// once; the page works without it (everything shown, nothing filtered).
(function () {
  "use strict";
  var scenarios = Array.prototype.slice.call(document.querySelectorAll("details.scenario"));
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button.filter"));
  var tagFilter = document.getElementById("tag-filter");
  var search = document.getElementById("search");
  var none = document.getElementById("none");
  var status = "all";

  function matches(s) {
    var byStatus = status === "all" || s.dataset.status === status || (status === "flaky" && s.dataset.flaky === "true");
    var tag = tagFilter.value;
    var byTag = !tag || JSON.parse(s.dataset.tags).indexOf(tag) >= 0;
    var text = search.value.trim().toLowerCase();
    var byText = !text || s.dataset.search.indexOf(text) >= 0;
    return byStatus && byTag && byText;
  }

  function apply() {
    var shown = 0;
    scenarios.forEach(function (s) {
      s.hidden = !matches(s);
      if (!s.hidden) shown += 1;
    });
    none.hidden = shown > 0;
  }

  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      status = button.dataset.filter;
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      apply();
    });
  });
  tagFilter.addEventListener("change", apply);
  search.addEventListener("input", apply);
  document.getElementById("expand").addEventListener("click", function () {
    scenarios.forEach(function (s) {
      if (s.hidden || (s.dataset.status !== "failed" && s.dataset.status !== "errored")) return;
      s.open = true;
      s.querySelectorAll("details.failure").forEach(function (f) { f.open = true; });
    });
  });
  // A link to #s3 opens that scenario.
  var target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && target.matches("details.scenario")) {
    target.open = true;
    target.scrollIntoView();
  }
})();
