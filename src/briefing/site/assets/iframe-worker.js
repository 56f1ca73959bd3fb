/* Web Workers for pages opened from file://, and one search index for every protocol.
 *
 * Browsers refuse `new Worker(url)` for file:// URLs, so the search of an offline site never starts.
 * This replaces window.Worker (only on file://) with a stand-in. When the build wrote the worker's code
 * as a string (`<worker>.source.js`, see briefing/site/search.py), the stand-in starts a real worker
 * from that code (a blob: URL), so the search index is built off the page's main thread. Otherwise it
 * runs the worker script inside a hidden same-origin iframe and bridges the messages both ways. Written
 * for this project; it supports what a classic worker script needs: postMessage,
 * addEventListener/onmessage, importScripts, close.
 *
 * The site ships its search index once, as search/search_index.js (what Material reads from file://).
 * On a web server Material asks for search/search_index.json instead: that request is answered from
 * the .js file (and goes out unchanged when there is none).
 */
(function () {
  "use strict";
  if (window.__briefingWorkerShim) return;
  window.__briefingWorkerShim = true;
  var INDEX = /\/search\/search_index\.json(?=$|[?#])/;
  var SETUP = 0, READY = 1;  /* Material's search messages (SearchMessageType) */

  function loadScript(doc, url) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = url;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("cannot load " + url)); };
      doc.head.appendChild(script);
    });
  }

  if (location.protocol !== "file:") {
    var open = XMLHttpRequest.prototype.open;
    var send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.open = function (method, url) {
      var target = new URL(String(url), location.href);
      this.__briefingIndex = String(method).toUpperCase() === "GET" && target.origin === location.origin &&
        INDEX.test(target.pathname) ? target.href.replace(/\.json(?=$|[?#])/, ".js") : null;
      return open.apply(this, arguments);
    };
    XMLHttpRequest.prototype.send = function () {
      var xhr = this, script = xhr.__briefingIndex, args = arguments;
      if (!script) return send.apply(xhr, args);
      loadScript(document, script).then(function () {
        if (typeof window.__index === "undefined") throw new Error("no index in " + script);
        var blob = new Blob([JSON.stringify(window.__index)], { type: "application/json" });
        open.call(xhr, "GET", URL.createObjectURL(blob));
        send.call(xhr);
      }).catch(function () { send.apply(xhr, args); });
    };
    return;
  }

  function clone(data) {
    return typeof structuredClone === "function" ? structuredClone(data) : JSON.parse(JSON.stringify(data));
  }

  class IframeWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this._queue = [];
      this._ready = false;
      this._frame = null;
      this._worker = null;
      var self = this;
      var href = new URL(String(url), location.href).href;
      var name = href.split(/[?#]/)[0].split("/").pop();
      var source = href.split(/[?#]/)[0].replace(/\.js$/, ".source.js");
      loadScript(document, source).then(function () {
        var code = (window.__briefingWorkerSources || {})[name];
        if (typeof code !== "string") throw new Error("no code for " + name);
        self._native(code);  /* throws where a browser refuses blob: workers: then the frame below */
        if (/^search\./.test(name) && window.__briefingEarlyIndex === true) self._setUpEarly();
      }).catch(function () { self._inFrame(href); });
    }

    /* A real worker, started from the worker's code (the page's main thread stays free). */
    _native(code) {
      var self = this;
      var worker = new NativeWorker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
      worker.onmessage = function (event) {
        var early = self._early;
        if (early && early.state === "building" && event.data && event.data.type === READY) {
          early.state = "built";
          window.__briefingSearchBuilt = true;
          if (!early.asked) { early.ready = event.data; return; }  /* held until Material sends its own setup */
        }
        self._emit("message", new MessageEvent("message", { data: event.data }));
      };
      worker.onerror = function (event) {
        self._emit("error", new ErrorEvent("error", { message: event.message, filename: event.filename,
          lineno: event.lineno, colno: event.colno }));
      };
      this._worker = worker;
      this._flush();
    }

    /* From file:// Material sends the index to its search worker only once the reader opens the search (there
       its worker used to run on the page's thread). A real worker builds it at once, in the background, as
       Material does on a web server: the same index, sent with Material's own setup message (SETUP, then the
       worker answers READY). Material's setup, when it comes, is answered from that; if it comes first, or
       with another index, it goes to the worker as it is. */
    _setUpEarly() {
      var self = this, config, early = { state: "loading", docs: -1, asked: false, ready: null };
      try {
        config = JSON.parse(document.getElementById("__config").textContent);
      } catch (error) {
        return;
      }
      var base = new URL(String(config.base || ".").replace(/\/?$/, "/"), location.href);
      this._early = early;
      loadScript(document, new URL("search/search_index.js", base).href).then(function () {
        var index = window.__index;
        if (early.state !== "loading" || !index || !Array.isArray(index.docs)) return;
        early.state = "building";
        early.docs = index.docs.length;
        self._worker.postMessage({ type: SETUP, data: { config: index.config, docs: index.docs,
          options: { suggest: (config.features || []).indexOf("search.suggest") >= 0 } } });
      }).catch(function () { early.state = "failed"; });
    }

    /* Material's setup message: already done (answered with the worker's READY), or to be sent. */
    _setUpByMaterial(data) {
      var early = this._early, self = this;
      if (!early || early.state === "failed" || !data.data || !Array.isArray(data.data.docs)) return false;
      if (early.state === "loading") early.state = "superseded";
      if (early.state === "superseded" || data.data.docs.length !== early.docs) return false;
      early.asked = true;
      if (early.ready) {
        var ready = early.ready;
        early.ready = null;
        setTimeout(function () { self._emit("message", new MessageEvent("message", { data: ready })); }, 0);
      }
      return true;
    }

    /* The worker script in a hidden iframe, on the page's thread. */
    _inFrame(href) {
      var frame = document.createElement("iframe");
      frame.setAttribute("aria-hidden", "true");
      frame.setAttribute("tabindex", "-1");
      frame.title = "worker";
      frame.style.display = "none";
      (document.body || document.documentElement).appendChild(frame);
      this._frame = frame;
      var self = this;
      var scope = frame.contentWindow;
      var doc = frame.contentDocument;
      doc.open();
      doc.write("<!DOCTYPE html><html><head></head><body></body></html>");
      doc.close();
      /* The worker's global functions, as a worker script expects them. */
      scope.postMessage = function (data) {
        var copy = clone(data);
        setTimeout(function () { self._emit("message", new MessageEvent("message", { data: copy })); }, 0);
      };
      scope.importScripts = function () {
        var urls = Array.prototype.slice.call(arguments);
        return urls.reduce(function (chain, u) {
          return chain.then(function () { return loadScript(doc, new URL(u, href).href); });
        }, Promise.resolve());
      };
      scope.close = function () { self.terminate(); };
      scope.onerror = function (message, source, line, column, error) {
        self._emit("error", new ErrorEvent("error", { message: String(message), filename: source,
          lineno: line, colno: column, error: error }));
      };
      loadScript(doc, href).then(function () { self._flush(); }, function (error) {
        self._emit("error", new ErrorEvent("error", { message: error.message, filename: href }));
      });
    }

    _flush() {
      this._ready = true;
      var queued = this._queue;
      this._queue = [];
      queued.forEach(function (data) { this._deliver(data); }, this);
    }

    _emit(type, event) {
      var handler = type === "message" ? this.onmessage : this.onerror;
      if (typeof handler === "function") handler.call(this, event);
      this.dispatchEvent(event);
    }

    _deliver(data) {
      if (this._worker) {
        if (data && data.type === SETUP && this._setUpByMaterial(data)) return;
        this._worker.postMessage(data);
        return;
      }
      var scope = this._frame && this._frame.contentWindow;
      if (!scope) return;
      var event = new scope.MessageEvent("message", { data: clone(data) });
      if (typeof scope.onmessage === "function") scope.onmessage(event);
      scope.dispatchEvent(event);
    }

    postMessage(data) {
      if (this._ready) this._deliver(data);
      else this._queue.push(data);
    }

    terminate() {
      if (this._worker) this._worker.terminate();
      if (this._frame) this._frame.remove();
      this._frame = null;
      this._worker = null;
    }
  }

  var NativeWorker = window.Worker;
  window.Worker = IframeWorker;
})();
