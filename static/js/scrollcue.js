// A row that scrolls sideways on a phone (the tab bar, a wide table) says so: a fade and a chevron on the
// side where more is hidden, gone once the row is scrolled to that end. The current tab is brought into
// view. Tables outside a scrolling box get one, so that no table widens the page.
(function () {
  "use strict";

  function cue(side) {
    var el = document.createElement("span");
    el.className = "cue cue-" + side;
    el.setAttribute("aria-hidden", "true");
    el.textContent = side === "end" ? "›" : "‹";
    return el;
  }

  function wrap(scroller) {
    if (scroller.parentNode.classList.contains("cue-wrap")) { return scroller.parentNode; }
    var box = document.createElement("div");
    box.className = "cue-wrap" + (scroller.querySelector("table") ? " is-table" : "");
    scroller.parentNode.insertBefore(box, scroller);
    box.appendChild(scroller);
    box.appendChild(cue("start"));
    box.appendChild(cue("end"));
    return box;
  }

  function update(scroller, box) {
    var hidden = scroller.scrollWidth - scroller.clientWidth;
    box.classList.toggle("more-start", hidden > 1 && scroller.scrollLeft > 1);
    box.classList.toggle("more-end", hidden > 1 && scroller.scrollLeft < hidden - 1);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.table"), function (table) {
      var parent = table.parentNode;
      if (!parent.classList.contains("scroll")) {
        var scroll = document.createElement("div");
        scroll.className = "scroll";
        parent.insertBefore(scroll, table);
        scroll.appendChild(table);
      }
    });
    Array.prototype.forEach.call(document.querySelectorAll(".mainnav, .report-tabs, .scroll"), function (scroller) {
      var box = wrap(scroller);
      var current = scroller.querySelector("[aria-current=page]");
      if (current && current.offsetLeft + current.offsetWidth > scroller.clientWidth) {
        scroller.scrollLeft = current.offsetLeft - scroller.clientWidth / 3;
      }
      var refresh = function () { update(scroller, box); };
      scroller.addEventListener("scroll", refresh, { passive: true });
      window.addEventListener("resize", refresh);
      refresh();
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
