// "Select all" for a list of checkboxes (no inline handlers: the site's CSP forbids them). A checkbox with
// data-select-all="NAME" checks or clears every checkbox named NAME in its form; an element with
// data-selected-count="NAME" shows how many are checked, and the form's data-selected says it too.
(function () {
  "use strict";
  function boxes(form, name) {
    return Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox][name='" + name + "']"));
  }
  function refresh(form, name) {
    var all = boxes(form, name);
    var checked = all.filter(function (box) { return box.checked; }).length;
    form.setAttribute("data-selected", String(checked));  // CSS keeps the decision bar in reach once > 0
    Array.prototype.forEach.call(form.querySelectorAll("[data-selected-count='" + name + "']"), function (el) {
      el.textContent = String(checked);
    });
    Array.prototype.forEach.call(form.querySelectorAll("[data-select-all='" + name + "']"), function (toggle) {
      toggle.checked = all.length > 0 && checked === all.length;
      toggle.indeterminate = checked > 0 && checked < all.length;
    });
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.form) { return; }
    var name = target.getAttribute("data-select-all");
    if (name) {
      boxes(target.form, name).forEach(function (box) { box.checked = target.checked; });
      refresh(target.form, name);
    } else if (target.type === "checkbox" && target.name) {
      refresh(target.form, target.name);
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-select-all]"), function (toggle) {
    if (toggle.form) { refresh(toggle.form, toggle.getAttribute("data-select-all")); }
  });
})();
