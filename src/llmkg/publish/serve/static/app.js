// llmkg serve: draws the pictures (vega-embed) and starts the SPARQL editor
// (YASGUI). Loaded from this server only; no inline script (see the CSP).
"use strict";

(function () {
  function drawPictures() {
    document.querySelectorAll("[data-vega]").forEach(function (el) {
      var spec = JSON.parse(document.getElementById(el.dataset.vega).textContent);
      // as wide as the page allows (a phone too), not the width a file gets
      spec.width = "container";
      spec.autosize = { type: "fit-x", contains: "padding" };
      // ast: Vega's expression interpreter instead of generated code (no eval)
      window.vegaEmbed(el, spec, {
        ast: true,
        renderer: "svg",
        actions: { export: true, source: false, compiled: false, editor: false },
      }).then(function () {
        el.dataset.rendered = "true";
      }).catch(function (err) {
        el.dataset.rendered = "failed";
        el.textContent = "The picture could not be drawn: " + err.message;
        console.error(err);
      });
    });
  }

  var ID = "https://w3id.org/llmkg/id/";
  var MAX_DRAWN = 1000;

  // The results table of the editor, drawn with text nodes only: YASGUI's own
  // table runs every value through an HTML sanitizer, and Chromium reports
  // the event-handler attributes of a hostile catalog name parsed there as a
  // CSP violation (nothing runs, but the console fills with errors).
  function LlmkgTable(yasr) {
    this.yasr = yasr;
    this.priority = 20;
    this.label = "Table";
  }
  LlmkgTable.prototype.canHandleResults = function () {
    var results = this.yasr.results;
    return !!(results && results.getVariables && results.getVariables().length && results.getBindings());
  };
  LlmkgTable.prototype.getIcon = function () {
    var icon = document.createElement("span");
    icon.textContent = "\u25A6";
    return icon;
  };
  LlmkgTable.prototype.draw = function () {
    var variables = this.yasr.results.getVariables();
    var bindings = this.yasr.results.getBindings();
    var table = document.createElement("table");
    table.className = "results llmkg-results";
    var head = table.createTHead().insertRow();
    variables.forEach(function (v) {
      var th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    });
    var body = table.createTBody();
    bindings.slice(0, MAX_DRAWN).forEach(function (binding) {
      var row = body.insertRow();
      variables.forEach(function (v) { cell(row.insertCell(), binding[v]); });
    });
    if (bindings.length > MAX_DRAWN) {
      var note = document.createElement("p");
      note.className = "notice";
      note.textContent = "The first " + MAX_DRAWN + " of " + bindings.length + " rows are shown; download them all.";
      this.yasr.resultsEl.appendChild(note);
    }
    this.yasr.resultsEl.appendChild(table);
  };
  LlmkgTable.prototype.download = function (filename) {
    var results = this.yasr.results;
    return { getData: function () { return results.asCsv() || ""; }, contentType: "text/csv",
             title: "Download CSV", filename: (filename || "results") + ".csv" };
  };

  function cell(td, term) {
    if (!term) return;
    if (term.type === "uri") {
      var href = term.value.indexOf(ID) === 0 ? "/id/" + term.value.slice(ID.length)
        : /^https?:\/\//.test(term.value) ? term.value : null;
      var node = document.createElement(href ? "a" : "span");
      if (href) node.href = href;
      node.textContent = term.value;
      td.appendChild(node);
      return;
    }
    td.appendChild(document.createTextNode(term.value));
    var suffix = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? term.datatype.replace(/^.*[#/]/, "") : "";
    if (suffix) {
      var small = document.createElement("span");
      small.className = "datatype";
      small.textContent = suffix;
      td.appendChild(small);
    }
  }

  // A prefix llmkg's tables show (llmkg:, rdfs:, model: ...) gets its PREFIX
  // line as soon as it is typed, as `llmkg query -e` declares it.
  var OPAQUE = /<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*/g;
  var PREFIXED = /(?:^|[^\w.:?$\-])([A-Za-z][\w.\-]*):/g;
  function declareKnownPrefixes(yasqe) {
    var source = document.getElementById("known-prefixes");
    if (!yasqe || !source) return;
    var known = JSON.parse(source.textContent);
    function declare() {
      var text = yasqe.getValue().replace(OPAQUE, " ").replace(/PREFIX\s+[\w.\-]*:/gi, " ");
      var declared = yasqe.getPrefixesFromQuery(), missing = {}, any = false, match;
      PREFIXED.lastIndex = 0;
      while ((match = PREFIXED.exec(text)) !== null) {
        var name = match[1];
        if (known[name] && !(name in declared) && !(name in missing)) { missing[name] = known[name]; any = true; }
      }
      if (any) yasqe.addPrefixes(missing);
    }
    yasqe.on("change", declare);
    declare();
  }

  function startEditor() {
    var host = document.getElementById("yasgui");
    if (!host || !window.Yasgui) return;
    var Yasgui = window.Yasgui;
    Yasgui.Yasr.registerPlugin("llmkgTable", LlmkgTable);
    Yasgui.Yasr.defaults.plugins.table = { enabled: false };
    // only the completer that needs no other server (prefix.cc, LOV are remote)
    Yasgui.Yasqe.defaults.autocompleters = ["variables"];
    var endpoint = new URL("/sparql", window.location.href).href;
    var yasgui = new Yasgui(host, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: false,
      persistenceId: null,
      populateFromUrl: false,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
      yasqe: { value: JSON.parse(document.getElementById("default-query").textContent),
               autocompleters: ["variables"] },
      yasr: { pluginOrder: ["llmkgTable", "response"], defaultPlugin: "llmkgTable" },
    });
    var notice = document.getElementById("limit-notice");
    function watch(tab) {
      tab.getYasqe().on("queryResponse", function (_yasqe, response) {
        var limit = response && response.headers && response.headers.get ? response.headers.get("Llmkg-Limit") : null;
        notice.hidden = !limit;
        notice.textContent = limit || "";
      });
    }
    watch(yasgui.getTab());
    yasgui.on("tabAdd", function (_yasgui, tabId) { watch(yasgui.getTab(tabId)); });
    declareKnownPrefixes(yasgui.getTab().getYasqe());
    yasgui.on("tabAdd", function (_yasgui, tabId) { declareKnownPrefixes(yasgui.getTab(tabId).getYasqe()); });
    host.dataset.ready = "true";
  }

  // Index tables: a click on a column sorts by it (again: the other way),
  // typing in the filter keeps the rows that contain the text.
  function sortable(table) {
    var body = table.tBodies[0];
    table.querySelectorAll("button.sort").forEach(function (button) {
      button.addEventListener("click", function () {
        var column = Number(button.dataset.column);
        var th = button.parentNode;
        var up = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].dataset.sort, y = b.cells[column].dataset.sort;
          if (x === y) return 0;
          if (!x) return 1;   // empty cells last, either way
          if (!y) return -1;
          return (x < y ? -1 : 1) * (up ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function filterable(input) {
    var table = document.getElementById(input.dataset.filter);
    var shown = document.querySelector("[data-shown='" + input.dataset.filter + "']");
    input.addEventListener("input", function () {
      var text = input.value.trim().toLowerCase(), count = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var keep = !text || row.textContent.toLowerCase().indexOf(text) >= 0;
        row.hidden = !keep;
        if (keep) count += 1;
      });
      shown.textContent = count + " rows";
    });
  }

  // The search box offers names as one types (/search?format=json).
  function completeNames() {
    var input = document.querySelector("form.search input[name=q]");
    var list = document.getElementById("completions");
    if (!input || !list || !window.fetch) return;
    var timer = null, asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2 || text === asked) return;
      timer = setTimeout(function () {
        asked = text;
        fetch("/search?format=json&q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (hits) {
            list.textContent = "";
            hits.forEach(function (hit) {
              var option = document.createElement("option");
              option.value = hit.label;
              list.appendChild(option);
            });
            input.dataset.completions = String(hits.length);
          }).catch(function () {});
      }, 150);
    });
  }

  // The saved-query cards: show those with a tag, or all.
  function tagFilter() {
    var bar = document.querySelector(".tag-filter");
    if (!bar) return;
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-tag]");
      if (!button) return;
      var tag = button.dataset.tag;
      bar.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      document.querySelectorAll(".cards .card").forEach(function (card) {
        card.hidden = tag !== "" && (" " + card.dataset.tags + " ").indexOf(" " + tag + " ") < 0;
      });
    });
  }

  document.querySelectorAll("table.sortable").forEach(sortable);
  document.querySelectorAll("input[data-filter]").forEach(filterable);
  completeNames();
  tagFilter();
  drawPictures();
  startEditor();
})();
