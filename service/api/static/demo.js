/* Demo page: shows one article of the corpus (?doc=ID, default: the first), as text only. */
(function () {
  "use strict";

  var RETRY_MS = 1000;
  var WAIT_MS = 120000;

  function byId(id) {
    return document.getElementById(id);
  }

  function getJson(path) {
    return fetch(path, { credentials: "omit" }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          var message = data && data.error ? data.error.message : "HTTP " + response.status;
          var error = new Error(message);
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  /* The index may still be loading when the page opens (503): retry for a while. */
  function getWhenReady(path, started) {
    return getJson(path).catch(function (error) {
      if (error.status === 503 && Date.now() - started < WAIT_MS) {
        byId("title").textContent = "Waiting for the service to load the articles…";
        return new Promise(function (resolve) { setTimeout(resolve, RETRY_MS); }).then(function () {
          return getWhenReady(path, started);
        });
      }
      throw error;
    });
  }

  function render(doc) {
    var meta = doc.metadata || {};
    document.title = doc.title + " · citeqa demo";
    byId("kicker").textContent = [meta.publication, meta.section].filter(Boolean).join(" · ");
    byId("title").textContent = doc.title;
    byId("standfirst").textContent = meta.standfirst || "";
    byId("meta").textContent = doc.date ? "Published " + doc.date : "";
    var body = byId("body");
    body.replaceChildren();
    doc.text.split(/\n\s*\n/).forEach(function (paragraph) {
      if (!paragraph.trim()) return;
      var p = document.createElement("p");
      p.textContent = paragraph.trim();
      body.appendChild(p);
    });
    byId("article").setAttribute("aria-busy", "false");
  }

  function load() {
    var wanted = new URLSearchParams(window.location.search).get("doc");
    var started = Date.now();
    getWhenReady("/v1/documents", started)
      .then(function (list) {
        var docs = list.documents || [];
        var doc = wanted ? docs.find(function (d) { return d.doc_id === wanted; }) : docs[0];
        if (!doc) throw new Error(wanted ? "no document " + wanted + " in the index" : "the index holds no documents");
        return getWhenReady("/v1/documents/" + encodeURIComponent(doc.doc_id), started);
      })
      .then(render)
      .catch(function (error) {
        byId("title").textContent = "The article could not be loaded";
        byId("meta").textContent = error.message;
        byId("article").setAttribute("aria-busy", "false");
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", load);
  else load();
})();
