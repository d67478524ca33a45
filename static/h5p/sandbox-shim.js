/* Loaded first in the sandboxed player frame. Its opaque origin has no localStorage, sessionStorage or
   cookies (reading them throws); H5P libraries use them for small conveniences, so give them an
   in-memory stand-in. The learner's state is saved through the lesson page instead. */
(function () {
  "use strict";
  function memoryStorage() {
    var data = {};
    return {
      getItem: function (k) { return Object.prototype.hasOwnProperty.call(data, k) ? data[k] : null; },
      setItem: function (k, v) { data[k] = String(v); },
      removeItem: function (k) { delete data[k]; },
      clear: function () { data = {}; },
      key: function (i) { return Object.keys(data)[i] || null; },
      get length() { return Object.keys(data).length; }
    };
  }
  ["localStorage", "sessionStorage"].forEach(function (name) {
    var works = false;
    try { works = !!window[name]; } catch (e) { works = false; }
    if (!works) {
      try { Object.defineProperty(window, name, { value: memoryStorage(), configurable: true }); } catch (e) { /* keep */ }
    }
  });
  try { void document.cookie; } catch (e) {
    try { Object.defineProperty(document, "cookie", { get: function () { return ""; }, set: function () {}, configurable: true }); } catch (e2) { /* keep */ }
  }
})();
