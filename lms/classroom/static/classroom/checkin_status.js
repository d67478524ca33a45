// While a learner waits for the trainer (a check-in to confirm, a personal QR to scan), ask the server every
// few seconds whether today's attendance is recorded, and say so on the page the moment it changes: no
// manual reload. The server's answer (/belajar/kelas/<id>/absen/status/) carries the words to show.
(() => {
  const el = document.querySelector("[data-checkin-poll]");
  if (!el) return;
  const every = (Number(el.dataset.pollSeconds) || 5) * 1000;
  const until = Date.now() + 60 * 60 * 1000; // an hour: after that, a reload starts again
  const show = (body) => {
    el.textContent = body.message;
    el.dataset.checkinStatus = body.status;
    el.className = body.status === "present" ? "done" : "warn";
    if (body.status === "present") {
      // style, not the hidden attribute: a class that sets display would win over [hidden]
      document.querySelectorAll("[data-hide-when-present]").forEach((node) => { node.style.display = "none"; });
    }
    // The note left by the check-in ("waiting for the trainer") no longer holds.
    document.querySelectorAll(".messages").forEach((node) => { node.style.display = "none"; });
  };
  const ask = () => {
    if (Date.now() > until) return;
    if (document.visibilityState === "hidden") { setTimeout(ask, every); return; }
    fetch(el.dataset.checkinPoll, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then((response) => {
        if (response.status === 403 || response.status === 404) return null; // no longer registered: stop
        return response.ok ? response.json() : {};
      })
      .then((body) => {
        if (body === null) return;
        if (body.status && body.status !== el.dataset.checkinStatus) show(body);
        if (el.dataset.checkinStatus !== "present") setTimeout(ask, every);
      }, () => setTimeout(ask, every)); // offline for a moment: try again
  };
  setTimeout(ask, every);
})();
