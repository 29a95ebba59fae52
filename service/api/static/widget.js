/*
 * citeqa chat widget: one script tag, no build step.
 *
 *   <script src="https://HOST/widget.js" data-api="https://HOST" defer></script>
 *
 * (http:// for a local `citeqa serve`, which speaks plain HTTP.)
 * Optional attributes: data-title, data-placeholder, data-position ("floating", the default:
 * a launcher button in the corner; or "inline": the panel is placed in the page), data-target
 * (CSS selector of the container for "inline"; default: right after the script tag).
 *
 * Safety: everything that comes from the API or the corpus is put in the page as text
 * (textContent / text nodes), never parsed as HTML. Links are only made for http(s) URLs.
 * Styles live in a Shadow DOM and are loaded from HOST/assets/widget.css (no inline styles).
 */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector('script[src$="widget.js"]');
  if (!script) return;

  var TIMEOUT_MS = 30000;
  var PROBE_MS = 5000;
  var MAX_CHARS = 1000; /* the API's longest question */
  var CONTEXT_CHARS = 320;
  var SNIPPET_CHARS = 220;
  var instances = 0;

  function scriptOrigin() {
    try {
      return new URL(script.src, document.baseURI).origin;
    } catch (e) {
      return window.location.origin;
    }
  }

  function readConfig() {
    var data = script.dataset;
    var api = (data.api || scriptOrigin()).replace(/\/+$/, "");
    return {
      api: api,
      assets: scriptOrigin(),
      title: data.title || "Ask the articles",
      placeholder: data.placeholder || "Ask a question about the articles",
      position: data.position === "inline" ? "inline" : "floating",
      target: data.target || null,
    };
  }

  /* Build an element. attrs are set with setAttribute (never event handlers or HTML);
     children are nodes or strings (strings become text nodes). */
  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (/^on/i.test(name)) throw new Error("event handler attributes are not allowed");
      el.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return el;
  }

  /* A quote that is one row of a Markdown table: "| cell | cell |". */
  var TABLE_ROW = /^\s*\|.*\|\s*$/;

  function tableCells(row) {
    return row.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map(function (cell) { return cell.trim(); });
  }

  /* rows ({cells, citation}) as a table; the first row's cells are column headings when more rows follow.
     Each row's citation chip ends its last cell, where its marker stood in the answer. */
  function renderRows(rows, chip) {
    var width = Math.max.apply(null, rows.map(function (row) { return row.cells.length; }));
    var body = h("tbody");
    var table = h("table", { class: "answer-table" });
    rows.forEach(function (row, i) {
      var heading = i === 0 && rows.length > 1;
      var cells = row.cells.slice();
      while (cells.length < width) cells.push("");
      var tr = h("tr", {}, cells.map(function (cell, j) {
        var content = [cell];
        if (j === cells.length - 1) content.push(" ", chip(row.citation, String(row.citation.id), "inline"));
        return heading ? h("th", { scope: "col" }, content) : h("td", {}, content);
      }));
      if (heading) table.appendChild(h("thead", {}, [tr]));
      else body.appendChild(tr);
    });
    table.appendChild(body);
    return table;
  }

  function safeHttpUrl(value) {
    if (typeof value !== "string" || !value) return null;
    try {
      var url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /* The API counts offsets in code points (Python); JavaScript strings index UTF-16 units. */
  function unitOffset(text, codePoints) {
    var units = 0;
    for (var i = 0; i < codePoints && units < text.length; i++) {
      var c = text.charCodeAt(units);
      units += c >= 0xd800 && c <= 0xdbff && units + 1 < text.length ? 2 : 1;
    }
    return units;
  }

  function locateQuote(text, citation) {
    var start = unitOffset(text, citation.start);
    var end = start + unitOffset(text.slice(start), citation.end - citation.start);
    if (text.slice(start, end) === citation.quote) return { start: start, end: end };
    var found = text.indexOf(citation.quote);
    return found >= 0 ? { start: found, end: found + citation.quote.length } : null;
  }

  function clip(text, limit) {
    return text.length <= limit ? text : text.slice(0, limit).replace(/\s+\S*$/, "") + " …";
  }

  /* An error the widget can explain: kind is "unreachable", "timeout", "not-ready", "busy" (429), "server"
     (5xx), "refused" (any other 4xx: the same question would be refused again, so no Retry) or "not-allowed"
     (the service is up but its CORS settings do not let this page's origin read its answers: no Retry). */
  function WidgetError(kind, message) {
    this.kind = kind;
    this.message = message;
  }

  var TRANSIENT = { unreachable: true, timeout: true, "not-ready": true, busy: true, server: true };

  function Widget(config) {
    this.config = config;
    this.id = "citeqa-" + ++instances;
    this.busy = false;
    this.documents = {};
    this.evidenceCount = 0;
    /* The conversation so far, oldest first, sent as `history` so that a follow-up ("When did he build
       it?") is resolved against the turns before it. Only answered or not-covered turns count. */
    this.history = [];
    /* The last question that got no answer ({question, bubble}): asked again, it keeps its one bubble. */
    this.failed = null;
  }

  var HISTORY_TURNS = 5;

  Widget.prototype.mount = function () {
    var cfg = this.config;
    this.host = h("div", { class: "citeqa-widget", "data-citeqa": cfg.position });
    var root = this.host.attachShadow({ mode: "open" });
    var sheet = h("link", { rel: "stylesheet", href: cfg.assets + "/assets/widget.css" });
    root.appendChild(sheet);
    var ids = {
      panel: this.id + "-panel",
      title: this.id + "-title",
      input: this.id + "-q",
      hint: this.id + "-hint",
      limit: this.id + "-limit",
    };

    this.thread = h("div", { class: "thread", role: "log", "aria-live": "polite", "aria-label": "Conversation" }, [
      h("p", { class: "intro" }, [
        "Answers are quoted from the articles. Activate a numbered source to see the quote in its context.",
      ]),
    ]);
    this.status = h("p", { class: "status", role: "status" });
    /* No maxlength: it cuts a long paste silently. enforceLimit cuts it too, and says so in this.limit. */
    this.input = h("textarea", {
      id: ids.input,
      rows: "2",
      placeholder: cfg.placeholder,
      "aria-describedby": ids.hint + " " + ids.limit,
      autocomplete: "off",
    });
    this.limit = h("p", { id: ids.limit, class: "limit", "aria-live": "polite" });
    this.send = h("button", { type: "submit", class: "send" }, ["Send"]);
    this.form = h("form", { class: "composer", novalidate: true }, [
      h("label", { for: ids.input, class: "label" }, ["Your question"]),
      this.input,
      this.limit,
      h("div", { class: "row" }, [h("p", { id: ids.hint, class: "hint" }, ["Enter sends · Shift+Enter: new line"]), this.send]),
    ]);
    var header = h("div", { class: "header" }, [h("h2", { id: ids.title, class: "title" }, [cfg.title])]);
    this.panel = h("section", { id: ids.panel, class: "panel", role: "region", "aria-labelledby": ids.title }, [
      header,
      this.thread,
      this.status,
      this.form,
    ]);
    var frame = h("div", { class: "root " + cfg.position });
    if (cfg.position === "floating") {
      this.close = h("button", { type: "button", class: "close", "aria-label": "Close " + cfg.title }, ["×"]);
      header.appendChild(this.close);
      this.launcher = h("button", { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": ids.panel }, [
        h("span", { class: "launcher-icon", "aria-hidden": "true" }, ["?"]),
        cfg.title,
      ]);
      this.panel.hidden = true;
      frame.appendChild(this.panel);
      frame.appendChild(this.launcher);
    } else {
      frame.appendChild(this.panel);
    }
    /* Shown once its stylesheet is in (or failed), so the page never flashes an unstyled panel. */
    frame.hidden = true;
    function show() { frame.hidden = false; }
    sheet.addEventListener("load", show);
    sheet.addEventListener("error", show);
    root.appendChild(frame);
    this.bind();
    this.place();
  };

  Widget.prototype.place = function () {
    var cfg = this.config;
    if (cfg.position === "inline") {
      var target = null;
      try {
        target = cfg.target ? document.querySelector(cfg.target) : null;
      } catch (e) {
        target = null; /* an invalid selector: fall back to the script's place */
      }
      if (target) target.appendChild(this.host);
      else if (script.parentNode && script.parentNode !== document.head) script.parentNode.insertBefore(this.host, script.nextSibling);
      else document.body.appendChild(this.host);
    } else {
      document.body.appendChild(this.host);
    }
  };

  Widget.prototype.bind = function () {
    var self = this;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submit();
    });
    this.input.addEventListener("input", function (event) {
      if (!event.isComposing) self.enforceLimit();
    });
    this.input.addEventListener("compositionend", function () {
      self.enforceLimit();
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        self.submit();
      }
    });
    if (this.launcher) {
      this.launcher.addEventListener("click", function () {
        self.toggle(self.panel.hidden);
      });
      this.close.addEventListener("click", function () {
        self.toggle(false);
      });
      this.panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") self.toggle(false);
      });
    }
  };

  Widget.prototype.toggle = function (open) {
    this.panel.hidden = !open;
    this.launcher.setAttribute("aria-expanded", open ? "true" : "false");
    this.launcher.hidden = open;
    if (open) this.input.focus();
    else this.launcher.focus();
  };

  Widget.prototype.setBusy = function (busy) {
    this.busy = busy;
    this.thread.setAttribute("aria-busy", busy ? "true" : "false");
    this.send.disabled = busy;
    this.send.textContent = busy ? "Sending…" : "Send";
    this.status.textContent = busy ? "Looking in the articles…" : "";
    this.status.classList.toggle("busy", busy);
  };

  Widget.prototype.submit = function () {
    var question = this.input.value.trim();
    if (this.busy) return;
    if (!question) {
      this.status.textContent = "Type a question first.";
      this.input.focus();
      return;
    }
    this.ask(question);
  };

  /* The API takes questions of up to MAX_CHARS characters. Past it, the end of what was just typed or
     pasted is cut (as maxlength would) and the reader is told so, politely, next to the box. */
  Widget.prototype.enforceLimit = function () {
    var value = this.input.value;
    if (!value) this.limit.textContent = "";
    if (value.length <= MAX_CHARS) return;
    var excess = value.length - MAX_CHARS;
    var caret = this.input.selectionEnd >= excess ? this.input.selectionEnd : value.length;
    var cut = caret - excess;
    if (/[\ud800-\udbff]/.test(value.charAt(cut - 1))) cut -= 1; /* never half a character */
    this.input.value = value.slice(0, cut) + value.slice(caret);
    this.input.setSelectionRange(cut, cut);
    var note = "Questions are limited to " + MAX_CHARS + " characters; yours was cut to fit.";
    if (this.limit.textContent !== note) this.limit.textContent = note;
  };

  Widget.prototype.ask = function (question) {
    var self = this;
    this.clearErrors();
    var bubble = this.questionBubble(question);
    this.input.value = "";
    this.limit.textContent = "";
    this.setBusy(true);
    var body = { question: question, k: 5 };
    if (this.history.length) body.history = this.history.slice(-HISTORY_TURNS);
    this.request("POST", "/v1/ask", body)
      .then(function (answer) {
        self.setBusy(false);
        self.history.push({ question: question, answer: answer.answerable ? String(answer.answer).slice(0, 4000) : "" });
        self.append(answer.answerable ? self.renderAnswer(answer) : self.renderNotCovered(answer), bubble);
      })
      .catch(function (error) {
        self.setBusy(false);
        if (!self.input.value) self.input.value = question;
        bubble.classList.add("failed");
        self.failed = { question: question, bubble: bubble };
        self.append(self.renderError(error, question), bubble);
      });
  };

  /* The question's bubble in the thread. A question that failed and is asked again (Retry, or sent
     again) keeps its bubble; one replaced by another question is removed, as it has no answer. */
  Widget.prototype.questionBubble = function (question) {
    var failed = this.failed;
    this.failed = null;
    if (failed && failed.question === question) {
      failed.bubble.classList.remove("failed");
      this.reveal(failed.bubble);
      return failed.bubble;
    }
    if (failed) failed.bubble.remove();
    var bubble = h("div", { class: "msg user" }, [h("span", { class: "sr-only" }, ["You asked: "]), question]);
    this.append(bubble);
    return bubble;
  };

  Widget.prototype.request = function (method, path, body) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    var init = {
      method: method,
      mode: "cors",
      credentials: "omit",
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
      signal: controller ? controller.signal : undefined,
    };
    var api = this.config.api;
    return fetch(api + path, init)
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          throw new WidgetError("timeout", "The service took too long to answer. Try again in a moment.");
        }
        return refusalCause(api).then(function (cause) {
          throw cause;
        });
      })
      .then(function (response) {
        return response.json().then(
          function (data) { return { response: response, data: data }; },
          function () { return { response: response, data: null }; }
        );
      })
      .then(function (result) {
        if (timer) clearTimeout(timer);
        var status = result.response.status;
        if (result.response.ok && result.data) return result.data;
        var detail = result.data && result.data.error && typeof result.data.error.message === "string"
          ? result.data.error.message : "HTTP " + status;
        if (status === 503) throw new WidgetError("not-ready", "The service is not ready yet (" + detail + "). Try again in a moment.");
        if (status === 429) throw new WidgetError("busy", detail);
        if (status === 408) throw new WidgetError("timeout", "The service took too long to answer. Try again in a moment.");
        if (status >= 400 && status < 500) throw new WidgetError("refused", detail);
        throw new WidgetError("server", "The service failed (" + detail + "). Try again later.");
      });
  };

  /* A fetch that fails outright is a network error or, from another origin, a CORS refusal; JavaScript is not
     told which. A no-cors request gets through CORS (its response stays unreadable): if it does, the service
     is up and did not allow this page's origin. From the service's own origin CORS plays no part. */
  function refusalCause(api) {
    var origin = window.location.origin;
    var unreachable = new WidgetError("unreachable", "Could not reach the service at " + api + ". It may be down or restarting.");
    var cross = true;
    try {
      cross = new URL(api).origin !== origin;
    } catch (e) {
      cross = false;
    }
    if (!cross) return Promise.resolve(unreachable);
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    if (controller) setTimeout(function () { controller.abort(); }, PROBE_MS);
    var probe = { mode: "no-cors", credentials: "omit", cache: "no-store", signal: controller ? controller.signal : undefined };
    return fetch(api + "/healthz", probe).then(
      function () {
        return new WidgetError(
          "not-allowed",
          "The service at " + api + " is up but does not let this site (" + origin + ") read its answers."
        );
      },
      function () { return unreachable; }
    );
  }

  /* Add node to the thread and reveal it; with from (the question a reply answers), reveal both. */
  Widget.prototype.append = function (node, from) {
    this.thread.appendChild(node);
    this.reveal(node, from);
  };

  /* Scroll the thread (only the thread, never the host page) as little as needed to show node, or from
     and node together. When that is taller than the thread, from's top (a question above its answer) or
     node's top comes first; a question taller than half the thread leaves the rest to its answer. */
  Widget.prototype.reveal = function (node, from) {
    var top = from ? Math.max(from.offsetTop, node.offsetTop - this.thread.clientHeight / 2) - 8 : node.offsetTop - 8;
    var bottom = node.offsetTop + node.offsetHeight + 8;
    var scroll = this.thread.scrollTop;
    if (bottom > scroll + this.thread.clientHeight) scroll = bottom - this.thread.clientHeight;
    if (top < scroll) scroll = top;
    this.thread.scrollTop = Math.max(0, scroll);
  };

  Widget.prototype.clearErrors = function () {
    var errors = this.thread.querySelectorAll(".msg.error");
    for (var i = 0; i < errors.length; i++) errors[i].remove();
  };

  Widget.prototype.renderError = function (error, question) {
    var self = this;
    var kind = error instanceof WidgetError ? error.kind : "server";
    var message = error instanceof WidgetError ? error.message : "Something went wrong in the widget.";
    var headings = {
      unreachable: "Service unreachable",
      timeout: "No answer in time",
      "not-ready": "Service not ready",
      busy: "Too many questions",
      refused: "Request refused",
      "not-allowed": "This site is not allowed",
      server: "Service error",
    };
    var parts = [
      h("p", { class: "error-title" }, [headings[kind] || headings.server]),
      h("p", { class: "error-message" }, [message]),
    ];
    if (TRANSIENT[kind]) {
      var retry = h("button", { type: "button", class: "retry" }, ["Retry"]);
      retry.addEventListener("click", function () {
        self.input.value = "";
        self.ask(question);
      });
      parts.push(h("p", { class: "error-hint" }, ["Your question is still in the box below."]), retry);
    } else if (kind === "not-allowed") {
      parts.push(h("p", { class: "error-hint" }, [
        "Site owner: add " + window.location.origin + " to the service's CITEQA_CORS_ORIGINS setting.",
      ]));
    } else {
      parts.push(h("p", { class: "error-hint" }, ["Your question is still in the box below: change it, then send it."]));
    }
    return h("div", { class: "msg error", role: "alert", "data-kind": kind }, parts);
  };

  Widget.prototype.renderAnswer = function (answer) {
    var self = this;
    var byId = {};
    (answer.citations || []).forEach(function (c) { byId[c.id] = c; });
    var evidence = h("div", { class: "evidence", hidden: true });
    var chips = [];
    function chip(citation, label, extraClass) {
      var button = h("button", {
        type: "button",
        class: "chip " + (extraClass || ""),
        "aria-expanded": "false",
        "aria-label": "Source " + citation.id + ": " + citation.title,
        "data-citation": String(citation.id),
      }, [label]);
      button.addEventListener("click", function () {
        self.showEvidence(evidence, citation, button, chips);
      });
      chips.push(button);
      return button;
    }
    /* Each quote of the answer with the citation marker after it; quotes of table rows ("| Band D | £2,180 |")
       are shown as a table, its first row (the header the answer step quotes first) as column headings. */
    var text = h("div", { class: "answer-text" });
    var rows = [];
    function flushRows() {
      if (rows.length) text.appendChild(renderRows(rows, chip));
      rows = [];
    }
    var parts = String(answer.answer).split(/(\[\d+\])/);
    parts.forEach(function (part, i) {
      var match = /^\[(\d+)\]$/.exec(part);
      var cited = match && byId[match[1]];
      if (match && rows.length && rows[rows.length - 1].citation === undefined && cited) {
        rows[rows.length - 1].citation = cited;
        return;
      }
      var next = /^\[(\d+)\]$/.exec(parts[i + 1] || "");
      if (!match && TABLE_ROW.test(part) && next && byId[next[1]]) {
        rows.push({ cells: tableCells(part), citation: undefined });
        return;
      }
      flushRows();
      if (cited) text.appendChild(chip(cited, match[1], "inline"));
      else if (part) text.appendChild(document.createTextNode(part));
    });
    flushRows();
    var sources = h("ol", { class: "sources", "aria-label": "Sources" });
    (answer.citations || []).forEach(function (c) {
      sources.appendChild(h("li", {}, [chip(c, String(c.id), "numbered"), h("span", { class: "source-title" }, [c.title])]));
    });
    evidence.id = this.id + "-evidence-" + ++this.evidenceCount;
    chips.forEach(function (b) { b.setAttribute("aria-controls", evidence.id); });
    return h("article", { class: "msg bot answer", "aria-label": "Answer" }, [text, sources, evidence]);
  };

  Widget.prototype.showEvidence = function (evidence, citation, button, chips) {
    var open = button.getAttribute("aria-expanded") === "true";
    chips.forEach(function (b) { b.setAttribute("aria-expanded", "false"); });
    evidence.replaceChildren();
    if (open) {
      evidence.hidden = true;
      return;
    }
    chips.forEach(function (b) {
      if (b.getAttribute("data-citation") === String(citation.id)) b.setAttribute("aria-expanded", "true");
    });
    evidence.hidden = false;
    var self = this;
    /* The quote alone first; replaced by the passage around it, the quote highlighted, once the
       article is in. If the article cannot be had, the quote stays with the reason. */
    var quote = h("blockquote", { class: "quote" }, [citation.quote]);
    var context = h("div", { class: "context" }, [quote, h("p", { class: "loading" }, ["Loading the passage in its article…"])]);
    var url = safeHttpUrl(citation.url);
    evidence.appendChild(h("p", { class: "evidence-label" }, ["Source " + citation.id + " · quoted in context"]));
    evidence.appendChild(h("p", { class: "doc-title" }, [citation.title]));
    evidence.appendChild(context);
    if (url) {
      evidence.appendChild(h("a", { class: "source-link", href: url, target: "_blank", rel: "noopener noreferrer" }, ["Open the article"]));
    }
    this.reveal(evidence);
    this.fetchDocument(citation.doc_id).then(
      function (doc) {
        var passage = renderContext(doc, citation);
        context.replaceChildren(passage || quote, passage ? "" : notice("The quote was not found in the current version of the article."));
        self.reveal(evidence);
      },
      function (error) {
        context.replaceChildren(quote, notice("Could not load the article: " + error.message));
      }
    );
  };

  function notice(text) {
    return h("p", { class: "context-error" }, [text]);
  }

  function renderContext(doc, citation) {
    var text = String(doc.text);
    var span = locateQuote(text, citation);
    if (!span) return null;
    /* The quote's paragraph, cut at word boundaries to CONTEXT_CHARS on each side. */
    var paraStart = span.start > 0 ? text.lastIndexOf("\n", span.start - 1) + 1 : 0;
    var paraEnd = text.indexOf("\n", span.end);
    if (paraEnd < 0) paraEnd = text.length;
    var from = paraStart;
    if (span.start - paraStart > CONTEXT_CHARS) {
      var space = text.indexOf(" ", span.start - CONTEXT_CHARS);
      from = space >= 0 && space < span.start ? space + 1 : span.start - CONTEXT_CHARS;
    }
    var to = paraEnd;
    if (paraEnd - span.end > CONTEXT_CHARS) {
      var last = text.lastIndexOf(" ", span.end + CONTEXT_CHARS);
      to = last > span.end ? last : span.end + CONTEXT_CHARS;
    }
    return h("p", { class: "passage" }, [
      from > paraStart ? "… " : "",
      text.slice(from, span.start),
      h("mark", {}, [text.slice(span.start, span.end)]),
      text.slice(span.end, to).replace(/\s+$/, ""),
      to < paraEnd ? " …" : "",
    ]);
  }

  Widget.prototype.fetchDocument = function (docId) {
    if (!this.documents[docId]) {
      var self = this;
      this.documents[docId] = this.request("GET", "/v1/documents/" + encodeURIComponent(docId)).catch(function (error) {
        delete self.documents[docId];
        throw error;
      });
    }
    return this.documents[docId];
  };

  Widget.prototype.renderNotCovered = function (answer) {
    var matches = h("ul", { class: "matches" });
    (answer.passages || []).slice(0, 3).forEach(function (p) {
      matches.appendChild(h("li", {}, [h("p", { class: "match-title" }, [p.title]), h("p", { class: "match-text" }, [clip(String(p.text), SNIPPET_CHARS)])]));
    });
    var parts = [
      h("p", { class: "badge" }, ["Not covered by the articles"]),
      h("p", { class: "not-covered-text" }, [answer.answer]),
    ];
    if (answer.reason) parts.push(h("p", { class: "reason" }, ["Why: " + answer.reason]));
    if (matches.childNodes.length) {
      parts.push(h("p", { class: "matches-label" }, ["Closest matches (not citations: they do not answer the question)"]));
      parts.push(matches);
    }
    return h("article", { class: "msg bot not-covered", "aria-label": "Not covered by the articles" }, parts);
  };

  function start() {
    new Widget(readConfig()).mount();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
