/* Runs inside the sandboxed player frame (opaque origin). Starts h5p-standalone, then reports to the
   lesson page through postMessage: xAPI statements, the user state to save, and the content's height.
   The lesson page answers "h5p:start" with the state saved earlier. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("h5p-config").textContent);
  var started = false;
  var lastState = null;

  function post(message) {
    message.source = "h5p-player";
    // The parent is our lesson page; the frame cannot read its origin (it is opaque to us), so "*".
    window.parent.postMessage(message, "*");
  }

  function instances() {
    var found = [];
    var scopes = [window];
    for (var i = 0; i < window.frames.length; i++) {
      try { scopes.push(window.frames[i]); } catch (e) { /* not ours */ }
    }
    scopes.forEach(function (scope) {
      try {
        if (scope.H5P && scope.H5P.instances) { found = found.concat(scope.H5P.instances); }
      } catch (e) { /* cross-origin frame */ }
    });
    return found;
  }

  function saveState() {
    instances().forEach(function (instance) {
      if (typeof instance.getCurrentState !== "function") { return; }
      var state;
      try { state = JSON.stringify(instance.getCurrentState()); } catch (e) { return; }
      if (state && state !== lastState && state !== "{}" && state !== "undefined") {
        lastState = state;
        post({ type: "h5p:state", state: state });
      }
    });
  }

  function reportHeight() {
    var height = Math.ceil(document.documentElement.scrollHeight);
    post({ type: "h5p:resize", height: height });
  }

  function start(previousState) {
    if (started) { return; }
    if (document.readyState === "loading") {
      // This script runs in the head: an untracked frame (a preview) starts before the body is parsed.
      document.addEventListener("DOMContentLoaded", function () { start(previousState); });
      return;
    }
    started = true;
    var options = {
      id: config.id,
      h5pJsonPath: config.h5pJsonPath,
      librariesPath: config.librariesPath,
      frameJs: config.frameJs,
      frameCss: config.frameCss,
      // "div": the libraries run in this (already sandboxed) page. H5P's own "iframe" embedding cannot
      // work here: a sandbox without allow-same-origin gives every nested frame its own opaque origin.
      embedType: "div",
      frame: false,
      copyright: false,
      export: false,
      embed: false,
      icon: false,
      fullScreen: false
    };
    if (config.objectIri) { options.xAPIObjectIRI = config.objectIri; }
    if (previousState) {
      lastState = previousState;
      // H5P core restores contentUserData[0].state only while saveFreq is not false; its own saving needs
      // an AJAX endpoint we do not give it, so its timer is set out of reach: we save through the parent.
      options.saveFreq = 86400;
      options.contentUserData = [{ state: previousState }];
    }
    var el = document.getElementById("h5p-container");
    function ready() {
      // Content without H5P's xAPI module (e.g. a toy library) has no dispatcher: nothing to report.
      var dispatcher = window.H5P && H5P.externalDispatcher;
      if (dispatcher) dispatcher.on("xAPI", function (event) {
        var statement = event && event.data && event.data.statement;
        if (statement) {
          post({ type: "h5p:xapi", statement: JSON.parse(JSON.stringify(statement)) });
          saveState();
        }
      });
      document.body.setAttribute("data-h5p-ready", "1");
      post({ type: "h5p:ready" });
      reportHeight();
      if (window.ResizeObserver) { new ResizeObserver(reportHeight).observe(document.body); }
      setInterval(reportHeight, 1000);
      if (config.tracked) { setInterval(saveState, 5000); }
    }
    new H5PStandalone.H5P(el, options).then(ready).catch(function (error) {
      // Some older libraries trip over the runtime after they have rendered (e.g. no event dispatcher of
      // their own): the content is there and playable, so go on, and keep the error for diagnosis.
      document.body.setAttribute("data-h5p-error", String(error));
      if (instances().some(Boolean)) { ready(); return; }
      var note = document.createElement("p");
      note.className = "h5p-player-error";
      note.setAttribute("role", "alert");
      note.style.cssText = "margin:1em;padding:1em;border:1px solid #b00;color:#b00;font-family:sans-serif";
      note.textContent = (config.failedText || "H5P: ") + " " + String(error);
      el.appendChild(note);
      document.body.setAttribute("data-h5p-failed", "1");
      post({ type: "h5p:error", message: String(error) });
      reportHeight();
    });
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data || event.data.type !== "h5p:start") { return; }
    start(event.data.state || null);
  });
  if (config.tracked) {
    // The lesson page answers with the saved state; say hello until it does (its script may load later).
    post({ type: "h5p:hello" });
    var hello = setInterval(function () { if (started) { clearInterval(hello); } else { post({ type: "h5p:hello" }); } }, 300);
    // Start anyway if the lesson page does not answer (e.g. the frame was opened on its own).
    setTimeout(function () { start(null); }, 4000);
  } else {
    start(null);
  }
})();
