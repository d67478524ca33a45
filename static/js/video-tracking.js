/* On a lesson page: reports each tracked video's playback to our endpoint with the xAPI video profile
   (https://w3id.org/xapi/video: initialized, played, paused, seeked, completed, terminated, with the played
   segments and progress). The server merges the segments into the watch session it opened for this page and
   decides itself whether the video was watched; nothing here can complete a lesson on its own.
   Players: the platform's own <video> element, and YouTube's and Vimeo's embedded players through their own
   scripts (loaded from their hosts only when such a player is on the page). */
(function () {
  "use strict";
  var VIDEO = "https://w3id.org/xapi/video";
  var VERB = {
    initialized: "http://adlnet.gov/expapi/verbs/initialized",
    played: VIDEO + "/verbs/played",
    paused: VIDEO + "/verbs/paused",
    seeked: VIDEO + "/verbs/seeked",
    completed: "http://adlnet.gov/expapi/verbs/completed",
    terminated: "http://adlnet.gov/expapi/verbs/terminated",
    progressed: "http://adlnet.gov/expapi/verbs/progressed"
  };
  // While a video plays, its segments are reported this often (ms): the server credits a report only with the
  // time since the previous one (VIDEO_REPORT_MAX_GAP), so the video counts as it plays.
  var REPORT_EVERY = 5000;
  var EXT = function (name) { return VIDEO + "/extensions/" + name; };
  var figures = Array.prototype.slice.call(document.querySelectorAll("[data-video]"));
  if (!figures.length) { return; }

  var csrfToken = window.XapiSend.csrfToken;
  var uuid4 = window.XapiSend.uuid4;

  function round(x) { return Math.round(x * 1000) / 1000; }

  function Tracker(figure) {
    this.figure = figure;
    this.url = figure.getAttribute("data-statement-url");
    this.duration = parseFloat(figure.getAttribute("data-duration")) || 0;
    this.share = parseFloat(figure.getAttribute("data-share")) || 0.9;
    this.maxRate = parseFloat(figure.getAttribute("data-max-rate")) || 2;
    this.agent = JSON.parse(figure.getAttribute("data-agent") || "{}");
    this.closed = [];      // [start, end] pairs played and closed
    this.start = null;     // start of the segment being played, or null
    this.last = 0;         // the last position seen
    this.completedSent = false;
    this.watched = false;  // the server said so
    this.queue = [];
    this.sending = false;
    this.status = figure.querySelector("[data-video-status]");
    this.bar = figure.querySelector("[data-video-bar]");
  }

  Tracker.prototype.segments = function () {
    var all = this.closed.slice();
    if (this.start !== null && this.last > this.start) { all.push([this.start, this.last]); }
    return all;
  };

  Tracker.prototype.progress = function () {
    var parts = this.segments().map(function (s) { return [s[0], Math.min(s[1], this.duration)]; }, this)
      .sort(function (a, b) { return a[0] - b[0]; });
    var total = 0, end = -1;
    parts.forEach(function (s) {
      var from = Math.max(s[0], end);
      if (s[1] > from) { total += s[1] - from; }
      end = Math.max(end, s[1]);
    });
    return this.duration ? Math.min(1, total / this.duration) : 0;
  };

  Tracker.prototype.segmentsText = function () {
    return this.segments().map(function (s) { return round(s[0]) + "[.]" + round(s[1]); }).join("[,]");
  };

  Tracker.prototype.close = function (at) {
    if (this.start !== null && at > this.start) { this.closed.push([this.start, at]); }
    this.start = null;
  };

  Tracker.prototype.statement = function (verb, extensions, extra) {
    var st = {
      id: uuid4(),
      actor: this.agent,
      verb: { id: VERB[verb], display: { "en-US": verb } },
      object: {
        objectType: "Activity",
        id: this.figure.getAttribute("data-activity-id"),
        definition: { type: VIDEO + "/activity-type/video", name: { "id-ID": this.figure.getAttribute("data-title") || "Video" } }
      },
      result: { extensions: extensions || {} },
      context: {
        registration: this.figure.getAttribute("data-registration"),
        contextActivities: { category: [{ objectType: "Activity", id: VIDEO }] },
        extensions: {}
      },
      timestamp: new Date().toISOString()
    };
    st.context.extensions[EXT("session-id")] = this.figure.getAttribute("data-session");
    st.context.extensions[EXT("length")] = this.duration;
    if (extra) { Object.keys(extra).forEach(function (k) { st.result[k] = extra[k]; }); }
    return st;
  };

  Tracker.prototype.withProgress = function (ext) {
    ext[EXT("progress")] = round(this.progress());
    ext[EXT("played-segments")] = this.segmentsText();
    return ext;
  };

  Tracker.prototype.send = function (verb, extensions, extra, keepalive) {
    this.queue.push({ statement: this.statement(verb, extensions, extra), verb: verb, tries: 0, keepalive: !!keepalive });
    this.flush();
  };

  Tracker.prototype.flush = function () {
    var self = this;
    if (self.sending || !self.queue.length) { return; }
    self.sending = true;
    var item = self.queue[0];
    fetch(self.url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: item.keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(item.statement)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) { self.show(body); return true; }
        if (response.status >= 500 && item.tries < 3) { return false; }
        // A refused report is not sent again; the next pause or the end reports the segments once more.
        self.showError(body);
        return true;  // refused (400/403): sending it again would be refused again
      });
    }, function () { return item.tries >= 3; }).then(function (done) {
      item.tries += 1;
      if (done) { self.queue.shift(); }
      self.sending = false;
      if (self.queue.length) { window.setTimeout(function () { self.flush(); }, done ? 0 : 2000 * item.tries); }
    });
  };

  Tracker.prototype.show = function (body) {
    if (this.bar && typeof body.progress === "number") { this.bar.style.width = Math.round(body.progress * 100) + "%"; }
    if (!this.status) { return; }
    if (body.watched) {
      this.watched = true;
      this.status.textContent = this.status.getAttribute("data-done-text");
      this.status.classList.add("done");
      this.figure.setAttribute("data-video-watched", "1");
    } else if (typeof body.progress === "number" && body.progress > 0) {
      this.status.textContent = this.status.getAttribute("data-watched-text") + Math.round(body.progress * 100) + "%";
    }
    if (body.lesson_done) {
      var done = document.querySelector("[data-video-lesson-done]");
      var pending = document.querySelector("[data-video-pending]");
      var next = document.querySelector("[data-video-next]");
      if (done) { done.hidden = false; }
      if (pending) { pending.hidden = true; }
      if (next && body.next_url) { next.href = body.next_url; next.hidden = false; }
    }
  };

  Tracker.prototype.showError = function (body) {
    if (this.status && !this.watched) { this.status.textContent = this.status.getAttribute("data-error-text"); }
    if (window.console && body && body.error) { console.warn("video report refused:", body.error); }
  };

  // What the players tell us, whichever player it is.
  Tracker.prototype.ready = function () {
    if (this.initialized) { return; }
    this.initialized = true;
    this.send("initialized", {});
  };

  Tracker.prototype.played = function (t) {
    if (this.start !== null) { return; }
    this.start = t; this.last = t; this.reportedAt = Date.now();
    var ext = {}; ext[EXT("time")] = round(t);
    this.send("played", ext);
  };

  // A position playing could not have reached since the last one seen (more than the fastest rate covers
  // between two reports): the learner skipped there, whether or not the player announced a seek.
  Tracker.prototype.skipped = function (t) {
    return this.start !== null && Math.abs(t - this.last) > 1.5 * this.maxRate;
  };

  Tracker.prototype.time = function (t) {
    if (this.start === null) { this.last = t; return; }
    if (this.skipped(t)) {
      this.seeked(this.last, t);
      return;
    }
    this.last = t;
    var ext;
    if (!this.completedSent && !this.watched && this.progress() >= this.share) {
      this.completedSent = true;
      ext = this.withProgress({}); ext[EXT("time")] = round(t);
      this.send("completed", ext, { completion: true });
      this.reportedAt = Date.now();
    } else if (!this.watched && Date.now() - this.reportedAt >= REPORT_EVERY) {
      ext = this.withProgress({}); ext[EXT("time")] = round(t);
      this.send("progressed", ext);
      this.reportedAt = Date.now();
    }
  };

  Tracker.prototype.paused = function (t) {
    if (this.start === null) { return; }
    if (this.skipped(t)) { this.seeked(this.last, t); }
    this.last = Math.max(this.last, t);
    this.close(this.last);
    var ext = this.withProgress({}); ext[EXT("time")] = round(t);
    this.send("paused", ext);
  };

  Tracker.prototype.seeked = function (from, to) {
    if (Math.abs(to - from) < 0.001) { return; }  // a seek already seen as a skip, announced again
    var playing = this.start !== null;
    this.close(from);
    if (playing) { this.start = to; }
    this.last = to;
    var ext = this.withProgress({}); ext[EXT("time-from")] = round(from); ext[EXT("time-to")] = round(to);
    this.send("seeked", ext);
  };

  Tracker.prototype.ended = function (t) {
    // A skip to the end while playing ends the video without a seek event (YouTube has none): the skipped
    // part is not played.
    if (this.skipped(t)) { this.seeked(this.last, t); }
    this.last = Math.max(this.last, t);
    this.close(this.last);
    var ext = this.withProgress({}); ext[EXT("time")] = round(t);
    if (!this.watched && this.progress() >= this.share) {
      this.completedSent = true;
      this.send("completed", ext, { completion: true });
    } else {
      this.send("paused", ext);
    }
  };

  Tracker.prototype.terminated = function () {
    if (this.closedForGood || !this.initialized) { return; }
    this.closedForGood = true;
    this.close(this.last);
    var ext = this.withProgress({}); ext[EXT("time")] = round(this.last);
    this.send("terminated", ext, null, true);
  };

  // The platform's own <video>.
  function html5(tracker, video) {
    var seekFrom = null;
    function clampRate() { if (video.playbackRate > tracker.maxRate) { video.playbackRate = tracker.maxRate; } }
    video.addEventListener("loadedmetadata", function () { tracker.ready(); });
    if (video.readyState >= 1) { tracker.ready(); }
    video.addEventListener("ratechange", clampRate);
    video.addEventListener("play", function () { clampRate(); tracker.ready(); tracker.played(video.currentTime); });
    video.addEventListener("timeupdate", function () { if (!video.seeking) { tracker.time(video.currentTime); } });
    video.addEventListener("pause", function () { if (!video.ended && !video.seeking) { tracker.paused(video.currentTime); } });
    video.addEventListener("seeking", function () { if (seekFrom === null) { seekFrom = tracker.last; } });
    video.addEventListener("seeked", function () {
      var from = seekFrom === null ? tracker.last : seekFrom;
      seekFrom = null;
      tracker.seeked(from, video.currentTime);
      if (video.paused) { tracker.close(video.currentTime); }
    });
    video.addEventListener("ended", function () { tracker.ended(video.currentTime); });
  }

  // Embedded players: their own scripts, loaded once.
  var scripts = {};
  function loadScript(src, ready) {
    if (scripts[src]) { scripts[src].push(ready); return; }
    scripts[src] = [ready];
    var el = document.createElement("script");
    el.src = src; el.async = true;
    el.onload = function () { if (src.indexOf("vimeo") >= 0) { scripts[src].forEach(function (f) { f(); }); } };
    document.head.appendChild(el);
  }

  function youtube(tracker, frame) {
    var previous = window.onYouTubeIframeAPIReady;
    window.onYouTubeIframeAPIReady = function () {
      if (previous) { previous(); }
      var timer = null;
      var player = new window.YT.Player(frame, {
        events: {
          onReady: function () { tracker.ready(); },
          onPlaybackRateChange: function () {
            if (player.getPlaybackRate() > tracker.maxRate) { player.setPlaybackRate(tracker.maxRate); }
          },
          onStateChange: function (e) {
            // YouTube announces no seek: a skip shows as a jump in the position, seen at the next state
            // (buffering, playing, paused or ended) or at the next poll.
            var t = player.getCurrentTime();
            tracker.time(t);
            if (e.data === 1) {
              tracker.played(t);
              if (!timer) { timer = window.setInterval(function () { tracker.time(player.getCurrentTime()); }, 500); }
            } else {
              if (timer) { window.clearInterval(timer); timer = null; }
              if (e.data === 0) { tracker.ended(t); } else if (e.data === 2) { tracker.paused(t); }
            }
          }
        }
      });
    };
    if (window.YT && window.YT.Player) { window.onYouTubeIframeAPIReady(); } else { loadScript("https://www.youtube.com/iframe_api", function () {}); }
  }

  function vimeo(tracker, frame) {
    loadScript("https://player.vimeo.com/api/player.js", function () {
      var player = new window.Vimeo.Player(frame);
      var seekFrom = null;  // where a seek started: the timeupdate at its target is not playing
      player.ready().then(function () { tracker.ready(); }, function () {});
      player.on("play", function (d) { tracker.played(d.seconds); });
      player.on("timeupdate", function (d) { if (seekFrom === null) { tracker.time(d.seconds); } });
      player.on("pause", function (d) { tracker.paused(d.seconds); });
      player.on("seeking", function () { if (seekFrom === null) { seekFrom = tracker.last; } });
      player.on("seeked", function (d) {
        var from = seekFrom === null ? tracker.last : seekFrom;
        seekFrom = null;
        tracker.seeked(from, d.seconds);
      });
      player.on("ended", function (d) { tracker.ended(d.seconds); });
      player.on("playbackratechange", function (d) {
        // Refused for accounts whose videos have a fixed speed; the server's clock still holds the limit.
        if (d.playbackRate > tracker.maxRate) { player.setPlaybackRate(tracker.maxRate).catch(function () {}); }
      });
    });
  }

  var trackers = [];
  figures.forEach(function (figure) {
    var el = figure.querySelector("[data-video-player]");
    if (!el) { return; }
    var tracker = new Tracker(figure);
    trackers.push(tracker);
    var kind = el.getAttribute("data-video-player");
    if (kind === "html5") { html5(tracker, el); }
    else if (kind === "youtube") { youtube(tracker, el); }
    else if (kind === "vimeo") { vimeo(tracker, el); }
  });
  window.addEventListener("pagehide", function () { trackers.forEach(function (t) { t.terminated(); }); });
})();
