// llmkg serve: draws the pictures (vega-embed) and starts the SPARQL editor
// (YASGUI). Loaded from this server only; no inline script (see the CSP).
"use strict";

(function () {
  function drawPictures() {
    document.querySelectorAll("[data-vega]").forEach(function (el) {
      var spec = JSON.parse(document.getElementById(el.dataset.vega).textContent);
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
    host.dataset.ready = "true";
  }

  drawPictures();
  startEditor();
})();
