/* Web Workers for pages opened from file://.
 *
 * Browsers refuse `new Worker(url)` for file:// URLs, so the search of an offline site never starts.
 * This replaces window.Worker (only on file://) with a stand-in that runs the worker script inside a
 * hidden same-origin iframe and bridges the messages both ways. Written for this project; it supports
 * what a classic worker script needs: postMessage, addEventListener/onmessage, importScripts, close.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:" || window.__briefingWorkerShim) return;
  window.__briefingWorkerShim = true;

  function loadScript(doc, url) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = url;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("cannot load " + url)); };
      doc.head.appendChild(script);
    });
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
      var href = new URL(String(url), location.href).href;
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
      loadScript(doc, href).then(function () {
        self._ready = true;
        var queued = self._queue;
        self._queue = [];
        queued.forEach(function (data) { self._deliver(data); });
      }, function (error) {
        self._emit("error", new ErrorEvent("error", { message: error.message, filename: href }));
      });
    }

    _emit(type, event) {
      var handler = type === "message" ? this.onmessage : this.onerror;
      if (typeof handler === "function") handler.call(this, event);
      this.dispatchEvent(event);
    }

    _deliver(data) {
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
      if (this._frame) this._frame.remove();
      this._frame = null;
    }
  }

  window.Worker = IframeWorker;
})();
