"""tests/browser.py itself: outside hosts fail at once inside the browser, and local requests never wait on
the Python side (a route callback in Python stalled every request while a test called time.sleep())."""

import time

import pytest

from tests.browser import phone_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_outside_hosts_fail_at_once_and_local_requests_do_not_wait_for_python(live_server):
    with phone_page() as page:
        page.goto(live_server.url + "/masuk/")
        page.evaluate(
            """() => {
                 const start = performance.now();
                 fetch("/masuk/").then(r => { window.localStatus = r.status; window.localTook = performance.now() - start; });
                 fetch("http://video.example.com/x.js", {mode: "no-cors"}).then(
                   () => { window.outside = "loaded"; }, () => { window.outside = "refused"; });
               }"""
        )
        time.sleep(2)  # Python busy: nothing it runs may be needed for the browser's requests to go on
        page.wait_for_function("() => window.localStatus !== undefined && window.outside !== undefined")
        assert page.evaluate("window.localStatus") == 200
        assert page.evaluate("window.localTook") < 1500, "the local request waited for the Python side"
        assert page.evaluate("window.outside") == "refused"
