"""A learner on a phone watches a YouTube or a Vimeo lesson video: the lesson completes only once the platform
counted the watched share, never after a skip to the end (as tests/test_browser_video.py shows for the
platform's own player).

The machine has no outside network, so the players' own scripts are stand-ins served in their place
(Playwright routes): each implements exactly the part of the provider's documented API that
static/js/video-tracking.js uses, plays in real time, and lets the test act as the viewer (play, pause, skip,
pick a speed) through ``window.__viewer``. The embedded players' frames get a blank page.
- YouTube IFrame API (developers.google.com/youtube/iframe_api_reference): ``https://www.youtube.com/iframe_api``
  calls ``window.onYouTubeIframeAPIReady``; ``new YT.Player(iframe, {events: {onReady, onStateChange,
  onPlaybackRateChange}})`` on an existing ``<iframe>`` whose src has ``enablejsapi=1`` (and, when given,
  ``origin`` naming the page's origin: otherwise the player never talks to the page); ``getCurrentTime()``,
  ``getPlaybackRate()``, ``setPlaybackRate()``; states -1 unstarted, 1 playing, 2 paused, 3 buffering (a skip
  while playing), 0 ended. YouTube has no seek event.
- Vimeo Player SDK (github.com/vimeo/player.js): ``https://player.vimeo.com/api/player.js`` defines
  ``Vimeo.Player``; ``new Vimeo.Player(iframe)``, ``ready()`` and ``setPlaybackRate()`` return promises
  (rates 0..2, else a RangeError); events ``play``, ``timeupdate`` (about every 250 ms), ``pause``, ``seeking``
  and ``seeked`` (each with a ``timeupdate``), ``ended``, ``playbackratechange``, with ``{seconds, percent,
  duration}`` or ``{playbackRate}``; the events follow the HTML5 media element's (a skip: seeking,
  timeupdate, seeked; the end: timeupdate, pause, ended).
"""

import json
import re

import pytest

from content.tests.factories import make_course
from lms import activities
from lms.models import LessonProgress
from lms.video.models import VideoWatch
from lms.xapi.constants import VERB_COMPLETED
from lms.xapi.models import Statement, key
from shell.people.tests.factories import UserFactory
from tests.browser import login, phone_page

DURATION = 12.0  # seconds, as the trainer gives it ("0:12") and as the stand-in players play it
MAX_RATE = 1.5  # the platform's fastest playback that counts; the viewer picks 2x, the page slows it down

# Shared by both stand-ins: a clock that plays in real time at a rate, and the viewer's controls.
_CLOCK = """
function Clock(duration) { this.duration = duration; this.base = 0; this.since = null; this.rate = 1; }
Clock.prototype.now = function () {
  var t = this.base + (this.since === null ? 0 : (Date.now() - this.since) / 1000 * this.rate);
  return Math.min(t, this.duration);
};
Clock.prototype.playing = function () { return this.since !== null; };
Clock.prototype.start = function () { if (this.since === null) { this.since = Date.now(); } };
Clock.prototype.stop = function () { this.base = this.now(); this.since = null; };
Clock.prototype.jump = function (t) { this.base = Math.max(0, Math.min(t, this.duration)); if (this.since !== null) { this.since = Date.now(); } };
Clock.prototype.setRate = function (r) { this.base = this.now(); if (this.since !== null) { this.since = Date.now(); } this.rate = r; };
window.__viewer = window.__viewer || { players: [] };
"""

YOUTUBE_API = (
    f"(function () {{\n'use strict';\nvar DURATION = {json.dumps(DURATION)};\n"
    + _CLOCK
    + """
var RATES = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
function Player(target, options) {
  var frame = typeof target === "string" ? document.getElementById(target) : target;
  var src = new URL(frame.src);
  this.events = (options && options.events) || {};
  this.clock = new Clock(DURATION);
  this.state = -1;
  this.frame = frame;
  var self = this;
  // Without enablejsapi=1, or with an origin that is not the page's, the player never answers the page.
  this.talks = src.searchParams.get("enablejsapi") === "1" &&
    (!src.searchParams.has("origin") || src.searchParams.get("origin") === window.location.origin);
  window.__viewer.players.push(this);
  if (this.talks) { window.setTimeout(function () { self.ready = true; self.fire("onReady", undefined); }, 50); }
  this.ticker = window.setInterval(function () {
    if (self.state === 1 && self.clock.now() >= DURATION) { self.clock.stop(); self.change(0); }
  }, 50);
}
Player.prototype.fire = function (name, data) {
  if (this.talks && this.events[name]) { this.events[name]({ target: this, data: data }); }
};
Player.prototype.change = function (state) { this.state = state; this.fire("onStateChange", state); };
Player.prototype.getCurrentTime = function () { return this.clock.now(); };
Player.prototype.getPlaybackRate = function () { return this.clock.rate; };
Player.prototype.getPlayerState = function () { return this.state; };
Player.prototype.setPlaybackRate = function (rate) {
  var pick = RATES.filter(function (r) { return r <= rate; }).pop() || RATES[0];  // rounds down to a rate it has
  if (pick !== this.clock.rate) { this.clock.setRate(pick); this.fire("onPlaybackRateChange", pick); }
};
// The viewer, through the player's own controls.
Player.prototype.userPlay = function () {
  if (this.clock.now() >= DURATION) { this.clock.jump(0); }
  this.clock.start(); this.change(1);
};
Player.prototype.userPause = function () { this.clock.stop(); this.change(2); };
Player.prototype.userSeek = function (t) {
  var self = this;
  this.clock.jump(t);
  if (this.state !== 1) { return; }  // paused, it stays paused
  this.change(3);
  this.clock.stop();
  window.setTimeout(function () {
    if (self.clock.now() >= DURATION) { self.change(0); } else { self.clock.start(); self.change(1); }
  }, 100);
};
Player.prototype.userRate = function (rate) { this.setPlaybackRate(rate); };
Player.prototype.view = function () {
  return { ready: !!this.ready, time: this.clock.now(), rate: this.clock.rate, playing: this.clock.playing() };
};
window.YT = { Player: Player, PlayerState: { UNSTARTED: -1, ENDED: 0, PLAYING: 1, PAUSED: 2, BUFFERING: 3, CUED: 5 } };
window.setTimeout(function () { if (window.onYouTubeIframeAPIReady) { window.onYouTubeIframeAPIReady(); } }, 0);
})();
"""
)

VIMEO_API = (
    f"(function () {{\n'use strict';\nvar DURATION = {json.dumps(DURATION)};\n"
    + _CLOCK
    + """
function Player(target) {
  var frame = typeof target === "string" ? document.getElementById(target) : target;
  if (!frame || !/^https:\\/\\/player\\.vimeo\\.com\\/video\\/\\d+/.test(frame.src || "")) {
    throw new TypeError("You must pass either a valid element or a valid id.");
  }
  var self = this;
  this.handlers = {};
  this.clock = new Clock(DURATION);
  this.ended = false;
  window.__viewer.players.push(this);
  this.loaded = new Promise(function (resolve) { window.setTimeout(function () { self.isReady = true; resolve(); }, 50); });
  this.ticker = window.setInterval(function () {
    if (!self.clock.playing()) { return; }
    self.fire("timeupdate", self.data());
    if (self.clock.now() >= DURATION) { self.clock.stop(); self.ended = true; self.fire("pause", self.data()); self.fire("ended", self.data()); }
  }, 250);
}
Player.prototype.data = function () {
  var t = this.clock.now();
  return { seconds: t, percent: Math.round(t / DURATION * 1000) / 1000, duration: DURATION };
};
Player.prototype.fire = function (name, data) {
  (this.handlers[name] || []).slice().forEach(function (f) { f(data); });
};
Player.prototype.on = function (name, callback) { (this.handlers[name] = this.handlers[name] || []).push(callback); };
Player.prototype.off = function (name, callback) {
  this.handlers[name] = callback ? (this.handlers[name] || []).filter(function (f) { return f !== callback; }) : [];
};
Player.prototype.ready = function () { return this.loaded; };
Player.prototype.getPlaybackRate = function () { return Promise.resolve(this.clock.rate); };
Player.prototype.setPlaybackRate = function (rate) {
  if (typeof rate !== "number" || rate < 0 || rate > 2) {
    var error = new RangeError("Playback rate must be between 0 and 2."); error.method = "setPlaybackRate";
    return Promise.reject(error);
  }
  if (rate !== this.clock.rate) { this.clock.setRate(rate); this.fire("playbackratechange", { playbackRate: rate }); }
  return Promise.resolve(rate);
};
// The viewer, through the player's own controls.
Player.prototype.userPlay = function () {
  if (this.ended) { this.clock.jump(0); this.ended = false; }
  this.clock.start(); this.fire("play", this.data()); this.fire("playing", this.data());
};
Player.prototype.userPause = function () { this.clock.stop(); this.fire("pause", this.data()); };
Player.prototype.userSeek = function (t) {
  var playing = this.clock.playing();
  this.clock.stop();
  this.clock.jump(t);
  this.ended = false;
  this.fire("seeking", this.data()); this.fire("timeupdate", this.data());
  this.fire("seeked", this.data());
  if (playing) { this.clock.start(); }  // the ticker reports the end, if this was it
};
Player.prototype.userRate = function (rate) { this.setPlaybackRate(rate); };
Player.prototype.view = function () {
  return { ready: !!this.isReady, time: this.clock.now(), rate: this.clock.rate, playing: this.clock.playing() };
};
window.Vimeo = { Player: Player };
})();
"""
)

BLANK = "<!doctype html><html><head><title>player</title></head><body></body></html>"

PROVIDERS = {
    "youtube": {
        "link": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "frame": re.compile(r"^https://www\.youtube-nocookie\.com/embed/dQw4w9WgXcQ\?"),
        "script": "https://www.youtube.com/iframe_api",
        "api": YOUTUBE_API,
    },
    "vimeo": {
        "link": "https://vimeo.com/76979871",
        "frame": re.compile(r"^https://player\.vimeo\.com/video/76979871\?"),
        "script": "https://player.vimeo.com/api/player.js",
        "api": VIMEO_API,
    },
}


def _serve_players(page, provider: dict) -> list[str]:
    """The provider's script and a blank page for its frame; answered requests are listed (anything else
    outside the platform is still refused by tests/browser.py)."""
    served: list[str] = []

    def script(route):
        served.append(route.request.url)
        route.fulfill(status=200, content_type="text/javascript", body=provider["api"])

    def frame(route):
        served.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=BLANK)

    page.route(provider["script"], script)
    page.route(provider["frame"], frame)
    return served


def _viewer(page, action: str, *args) -> dict:
    """The viewer acts on the page's one player (play, pause, seek, pick a rate); the player's state after."""
    return page.evaluate(
        "([action, args]) => { const p = window.__viewer.players[0]; if (action) p[action](...args); return p.view(); }",
        [action, list(args)],
    )


def _reported(page, verbs: tuple[str, ...], at_least: float):
    """Wait for the platform's answer to the player's next report with one of these verbs at or past a
    position."""

    def matches(response) -> bool:
        if "/video/" not in response.url or response.request.method != "POST":
            return False
        statement = json.loads(response.request.post_data or "{}")
        extensions = (statement.get("result") or {}).get("extensions") or {}
        time = extensions.get("https://w3id.org/xapi/video/extensions/time", -1)
        return statement.get("verb", {}).get("display", {}).get("en-US") in verbs and time >= at_least

    return page.expect_response(matches, timeout=30000)


def _done(learner, lesson) -> bool:
    return LessonProgress.objects.filter(enrollment__user=learner, lesson=lesson, completed_at__isnull=False).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["youtube", "vimeo"])
def test_an_embedded_video_lesson_completes_only_after_the_video_was_watched(
    live_server, restore_migrated_data, settings, name
):
    provider = PROVIDERS[name]
    settings.VIDEO_MAX_PLAYBACK_RATE = MAX_RATE
    learner = UserFactory(username="siti", full_name="Siti Rahmawati")
    course = make_course(title=f"Pelayanan Prima {name}", jp="1", lessons=("text", "text"))
    video_lesson, text_lesson = course.lessons()
    video_lesson.body = [
        ("video", {"url": provider["link"], "duration": "0:12", "caption": "Video wajib", "required": True})
    ]
    video_lesson.save()
    ((block_id, value),) = video_lesson.video_items
    assert value.gates and value.seconds == DURATION
    base = live_server.url

    with phone_page() as page:
        served = _serve_players(page, provider)
        refused = []
        page.on("console", lambda m: refused.append(m.text) if "refused" in m.text.lower() else None)
        page.on("pageerror", lambda e: refused.append(str(e)))
        login(page, base, "siti", "secret-pass-123")
        page.goto(f"{base}{course.url}")
        page.get_by_test_id("enroll").click()
        page.get_by_test_id("continue").click()
        page.wait_for_url(f"**{video_lesson.url}")

        frame = page.locator("iframe[data-video-player]")
        assert frame.get_attribute("data-video-player") == name
        assert provider["frame"].match(frame.get_attribute("src"))
        assert page.get_by_test_id("lesson-done").count() == 0  # nothing to tap instead of watching
        assert "Tonton minimal 90%" in page.get_by_test_id("video-rule").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.wait_for_function("() => window.__viewer && window.__viewer.players.length === 1")
        page.wait_for_function("() => window.__viewer.players[0].view().ready")
        assert provider["script"] in served
        assert any(provider["frame"].match(url) for url in served)

        # The viewer picks 2x: the page slows the player down to the fastest rate that counts.
        _viewer(page, "userRate", 2)
        page.wait_for_function(f"() => window.__viewer.players[0].view().rate === {MAX_RATE}")

        # A few seconds watched, then paused: counted, not enough.
        _viewer(page, "userPlay")
        page.wait_for_function("() => window.__viewer.players[0].view().time >= 3")
        with _reported(page, ("paused",), 3) as answer:
            paused_at = _viewer(page, "userPause")["time"]
        assert answer.value.ok and 0 < answer.value.json()["progress"] < 0.9
        page.wait_for_function(
            "() => /Ditonton: [1-9]/.test(document.querySelector('[data-testid=video-status]').textContent)"
        )
        assert not _done(learner, video_lesson)
        assert page.get_by_test_id("lesson-complete").is_hidden()

        # Played on, then skipped to the end: the skipped part is not counted, the lesson is not done.
        _viewer(page, "userPlay")
        page.wait_for_timeout(700)
        with _reported(page, ("paused", "completed"), DURATION - 0.01) as answer:
            _viewer(page, "userSeek", DURATION)
        body = answer.value.json()
        assert answer.value.ok, body
        assert not body["watched"] and body["progress"] < 0.9
        watch = VideoWatch.objects.get(user=learner, lesson=video_lesson)
        assert watch.completed_at is None
        assert watch.watched < paused_at + 3 and all(end <= paused_at + 3 for _start, end in watch.segments), (
            watch.segments
        )
        assert not _done(learner, video_lesson)
        assert page.get_by_test_id("lesson-complete").is_hidden()
        assert "selesai" not in page.get_by_test_id("video-status").inner_text()

        # Back to where the watching stopped, and watched on: done once 90% is counted, not before.
        _viewer(page, "userSeek", paused_at)
        _viewer(page, "userPlay")
        page.get_by_test_id("lesson-complete").wait_for(state="visible", timeout=60000)
        assert _viewer(page, None)["time"] >= 0.9 * DURATION - 0.05
        assert "Video selesai ditonton" in page.get_by_test_id("video-status").inner_text()
        assert _done(learner, video_lesson)
        watch.refresh_from_db()
        assert watch.completed_at is not None and watch.progress >= 0.9
        completion = Statement.objects.get(
            source=Statement.Source.PLATFORM,
            verb_key=key(VERB_COMPLETED),
            activity_key=key(activities.video_iri(video_lesson.pk, block_id)),
        )
        assert completion.user == learner
        assert Statement.objects.filter(sender=learner, source=Statement.Source.PLAYER).count() >= 4
        assert not refused, refused  # no report was refused, no script failed
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        page.get_by_test_id("video-next").click()
        page.wait_for_url(f"**{text_lesson.url}")
