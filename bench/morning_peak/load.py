"""One headless locust run of bench/peak.py, as a library (so that the measured window can start once
every user has logged in). Prints its figures as JSON.

    python -m bench.morning_peak.load --host URL --users N --spawn-rate R --seconds S
        [--warm-up-logins] CLASS [CLASS ...]
"""

from __future__ import annotations

import argparse
import json
import time

import gevent
from locust.env import Environment

from bench.morning_peak import locustfile


def measure(host: str, classes: list[str], users: int, spawn_rate: float, seconds: float, warm_up: bool) -> dict:
    user_classes = [getattr(locustfile, name) for name in classes]
    for user_class in user_classes:
        # The full-speed classes have weight 0 so that a plain `locust -f locustfile.py` runs only the peak.
        user_class.weight = user_class.weight or 1
    env = Environment(user_classes=user_classes, host=host)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=spawn_rate)
    if warm_up:
        # Measure the steady state: after every user has logged in (each login is a PBKDF2 check).
        deadline = time.monotonic() + 300
        while env.stats.get("log in", "POST").num_requests < users and time.monotonic() < deadline:
            gevent.sleep(0.2)
        gevent.sleep(2)
        env.stats.reset_all()
    started = time.monotonic()
    gevent.sleep(seconds)
    elapsed = time.monotonic() - started
    runner.quit()
    pages = []
    for entry in sorted(env.stats.entries.values(), key=lambda e: e.name):
        pages.append(
            {
                "page": entry.name,
                "method": entry.method,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "rps": entry.num_requests / elapsed,
                "p50": entry.get_response_time_percentile(0.50),
                "p95": entry.get_response_time_percentile(0.95),
                "p99": entry.get_response_time_percentile(0.99),
                "max": entry.max_response_time,
            }
        )
    total = env.stats.total
    return {
        "seconds": elapsed,
        "users": users,
        "pages": pages,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": total.num_requests / elapsed,
        "errors": [
            {"page": e.name, "error": str(e.error)[:300], "count": e.occurrences} for e in env.stats.errors.values()
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--spawn-rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warm-up-logins", action="store_true")
    parser.add_argument("classes", nargs="+")
    args = parser.parse_args()
    result = measure(args.host, args.classes, args.users, args.spawn_rate, args.seconds, args.warm_up_logins)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
