/* On a lesson page: relays each H5P player's xAPI statements to our endpoint (which checks and stores
   them), quarantines what our LRS refuses, and saves/restores the learner's H5P state through the
   LRS state API. Statements not yet delivered wait in localStorage, so a network drop loses nothing.
   An answer sent sooner than a person could read the question is kept but not counted: the page says so
   and "Coba lagi" reloads the player, from the start, within a new attempt the server opens. */
(function () {
  "use strict";
  var QUEUE_KEY = "h5p-outbox";
  var frames = Array.prototype.slice.call(document.querySelectorAll("iframe[data-h5p-frame]"));
  if (!frames.length) { return; }

  var csrfToken = window.XapiSend.csrfToken;
  var uuid4 = window.XapiSend.uuid4;

  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(queue) {
    try { localStorage.setItem(QUEUE_KEY, JSON.stringify(queue)); } catch (e) { /* private mode */ }
  }

  var queue = loadQueue();
  var flushing = false;

  function frameFor(source) {
    for (var i = 0; i < frames.length; i++) { if (frames[i].contentWindow === source) { return frames[i]; } }
    return null;
  }

  function statusOf(frame) { return frame.parentNode.querySelector("[data-h5p-status]") || frame.parentNode.querySelector(".h5p-status"); }

  function tooFastBox(frame) { return frame.parentNode.querySelector("[data-h5p-too-fast]"); }

  function showTooFast(frame, body) {
    var box = tooFastBox(frame);
    if (!box) { return; }
    if (body.too_fast && !body.lesson_done) {
      box.querySelector("[data-h5p-too-fast-text]").textContent = body.message || "";
      box.hidden = false;
      frame.setAttribute("data-h5p-set-aside", "1");
      if (box.scrollIntoView) { box.scrollIntoView({ block: "nearest" }); }
    } else if (body.lesson_done) {
      box.hidden = true;
      frame.removeAttribute("data-h5p-set-aside");
    }
  }

  function showStatus(frame, body) {
    var el = statusOf(frame);
    if (!el || !body) { return; }
    showTooFast(frame, body);
    if (body.lesson_done) {
      el.textContent = el.getAttribute("data-done-text") || "✓ Pelajaran ini sudah selesai.";
      el.classList.add("done");
      el.setAttribute("data-lesson-done", "1");
      var next = document.querySelector("[data-h5p-next]");
      if (next) { next.hidden = false; }
      var pending = document.querySelector("[data-h5p-pending]");  // "do the content above..." is done now
      if (pending) { pending.hidden = true; }
    } else if (body.best_score !== null && body.best_score !== undefined) {
      el.textContent = (el.getAttribute("data-score-text") || "Nilai terbaik: ") + Math.round(body.best_score * 100) + "%";
    }
  }

  function post(url, payload) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload)
    });
  }

  function flush() {
    if (flushing || !queue.length) { return; }
    flushing = true;
    var item = queue[0];
    post(item.url, item.statement).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) { return { done: true, body: body }; }
        if (response.status === 400) {
          // Refused by our LRS: keep the learner's work in quarantine, with the reason.
          return post(item.quarantineUrl, { statement: item.statement, reason: body.error || ("HTTP " + response.status) })
            .then(function (q) { return { done: q.ok || q.status === 403, body: null }; });
        }
        if (response.status === 403 || response.status === 404) { return { done: true, body: null }; }
        return { done: false };
      });
    }).then(function (outcome) {
      flushing = false;
      if (outcome.done) {
        queue.shift();
        saveQueue(queue);
        var frame = frames.filter(function (f) { return f.getAttribute("data-statement-url") === item.url; })[0];
        if (frame && outcome.body) { showStatus(frame, outcome.body); }
        document.body.setAttribute("data-h5p-sent", String((+document.body.getAttribute("data-h5p-sent") || 0) + 1));
        flush();
      } else {
        setTimeout(flush, 10000);
      }
    }, function () {
      flushing = false;
      setTimeout(flush, 10000);  // offline: try again later; the queue is in localStorage
    });
  }

  function stateUrl(frame) {
    var params = new URLSearchParams({
      activityId: frame.getAttribute("data-activity-id"),
      agent: frame.getAttribute("data-agent"),
      stateId: "h5p-user-state",
      registration: frame.getAttribute("data-registration")
    });
    return frame.getAttribute("data-state-url") + "?" + params.toString();
  }

  var stateTimers = {};
  function saveState(frame, state) {
    var url = stateUrl(frame);
    clearTimeout(stateTimers[url]);
    stateTimers[url] = setTimeout(function put() {
      // One request at a time from this page: statements first, the state when they are through.
      if (flushing) { stateTimers[url] = setTimeout(put, 500); return; }
      fetch(url, {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ state: state })
      }).then(function (r) { if (r.ok) { frame.setAttribute("data-state-saved", "1"); } });
    }, 500);
  }

  function loadState(frame) {
    return fetch(stateUrl(frame), { credentials: "same-origin", headers: { "X-Experience-API-Version": "1.0.3" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (doc) { return doc && typeof doc.state === "string" ? doc.state : null; })
      .catch(function () { return null; });
  }

  window.addEventListener("message", function (event) {
    var frame = frameFor(event.source);
    var data = event.data;
    if (!frame || !data || data.source !== "h5p-player") { return; }
    var tracked = frame.hasAttribute("data-statement-url");
    if (data.type === "h5p:hello") {
      if (frame.hasAttribute("data-h5p-hello")) { return; }  // already answering
      frame.setAttribute("data-h5p-hello", "1");
      var reply = function (state) { event.source.postMessage({ type: "h5p:start", state: state }, "*"); };
      // After "Coba lagi" the player starts from the beginning, not from the answers given too fast.
      if (tracked && !frame.hasAttribute("data-h5p-fresh")) { loadState(frame).then(reply); } else { reply(null); }
    } else if (data.type === "h5p:resize" && data.height > 0) {
      frame.style.height = Math.min(data.height + 4, 4000) + "px";
    } else if (data.type === "h5p:ready") {
      frame.setAttribute("data-h5p-ready", "1");
    } else if (data.type === "h5p:error") {
      frame.setAttribute("data-h5p-failed", "1");
    } else if (data.type === "h5p:xapi" && tracked && data.statement && typeof data.statement === "object") {
      var statement = data.statement;
      statement.id = statement.id || uuid4();
      queue.push({
        url: frame.getAttribute("data-statement-url"),
        quarantineUrl: frame.getAttribute("data-quarantine-url"),
        statement: statement
      });
      saveQueue(queue);
      flush();
    } else if (data.type === "h5p:state" && tracked && typeof data.state === "string" && data.state.length < 500000) {
      saveState(frame, data.state);
    }
  });

  // "Coba lagi": a new attempt from the server, then the player again from the start. Statements of the old
  // attempt still in the queue are delivered as they were; their answers no longer change this message.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-h5p-retry]") : null;
    if (!button) { return; }
    var frame = button.closest(".h5p-item").querySelector("iframe[data-h5p-frame]");
    var box = tooFastBox(frame);
    button.disabled = true;
    post(frame.getAttribute("data-attempt-url"), {}).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (body) {
      frame.setAttribute("data-statement-url", body.statement_url);
      ["data-h5p-hello", "data-h5p-ready", "data-h5p-set-aside", "data-state-saved"].forEach(function (name) {
        frame.removeAttribute(name);
      });
      frame.setAttribute("data-h5p-fresh", "1");
      frame.setAttribute("data-h5p-retries", String((+frame.getAttribute("data-h5p-retries") || 0) + 1));
      box.hidden = true;
      button.disabled = false;
      frame.src = body.src;
      if (frame.scrollIntoView) { frame.scrollIntoView({ block: "start" }); }
    }).catch(function () {
      button.disabled = false;
      box.querySelector("[data-h5p-too-fast-text]").textContent = button.getAttribute("data-retry-failed-text");
    });
  });

  flush();  // statements left from an earlier visit
})();
