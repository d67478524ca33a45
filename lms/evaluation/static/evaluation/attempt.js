// An attempt's page: each answer is saved as it is given (a lost connection loses only what was typed since),
// the remaining time is shown counting down from the server's figure. The server keeps the time: this clock
// only informs, and the page is sent when it reaches zero.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }
  ready(function () {
    var form = document.querySelector("form[data-autosave]");
    if (!form) return;
    var url = form.getAttribute("data-autosave");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var errorBox = form.querySelector("[data-save-error]");
    var timers = {};

    function save(fieldset) {
      var position = fieldset.getAttribute("data-position");
      var data = new FormData();
      data.append("position", position);
      fieldset.querySelectorAll("input, select, textarea").forEach(function (el) {
        if (!el.name) return;
        if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
        data.append(el.name, el.value);
      });
      fetch(url, { method: "POST", body: data, headers: { "X-CSRFToken": token }, credentials: "same-origin" })
        .then(function (response) { return response.json().then(function (body) { return [response, body]; }); })
        .then(function (pair) {
          var response = pair[0], body = pair[1];
          if (response.ok) {
            var mark = fieldset.querySelector("[data-saved]");
            if (mark) mark.hidden = false;
            errorBox.hidden = true;
          } else if (response.status === 409 && body.review_url) {
            window.location.assign(body.review_url);
          } else {
            errorBox.textContent = body.error || "";
            errorBox.hidden = false;
          }
        })
        .catch(function () { /* offline: the answer is sent again with the next change or the final submit */ });
    }

    function later(fieldset, delay) {
      var key = fieldset.getAttribute("data-position");
      clearTimeout(timers[key]);
      timers[key] = setTimeout(function () { save(fieldset); }, delay);
    }

    form.addEventListener("change", function (event) {
      var fieldset = event.target.closest("fieldset[data-position]");
      if (fieldset) later(fieldset, 0);
    });
    form.addEventListener("input", function (event) {
      var fieldset = event.target.closest("fieldset[data-position]");
      if (fieldset && (event.target.tagName === "TEXTAREA" || event.target.type === "text")) later(fieldset, 800);
    });
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-move]");
      if (!button) return;
      var item = button.closest("li");
      var list = item.parentNode;
      if (button.getAttribute("data-move") === "-1" && item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
      if (button.getAttribute("data-move") === "1" && item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
      var fieldset = item.closest("fieldset[data-position]");
      var order = Array.prototype.map.call(list.querySelectorAll("li[data-item]"), function (li) { return li.getAttribute("data-item"); });
      fieldset.querySelector("input[type=hidden]").value = order.join(",");
      later(fieldset, 0);
    });

    var timer = document.querySelector("[data-seconds-left]");
    if (timer) {
      var left = parseInt(timer.getAttribute("data-seconds-left"), 10);
      var text = timer.querySelector("[data-timer-text]");
      var started = performance.now();
      var tick = function () {
        var remaining = Math.max(0, left - Math.floor((performance.now() - started) / 1000));
        var m = Math.floor(remaining / 60), s = remaining % 60;
        text.textContent = m + ":" + (s < 10 ? "0" : "") + s;
        if (remaining === 0) { form.submit(); return; }
        setTimeout(tick, 1000);
      };
      tick();
    }
  });
})();
