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

  function startEditor() {
    var host = document.getElementById("yasgui");
    if (!host || !window.Yasgui) return;
    var Yasgui = window.Yasgui;
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
