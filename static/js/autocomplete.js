/* Search-as-you-type pickers for long lists (20,000 employees, hundreds of units): a combobox that asks a
   JSON endpoint (?q=, answering {"results": [{"id", "label"}]}) instead of putting every choice in the page.
   WAI-ARIA 1.2 combobox with a listbox popup: arrows move, Enter picks, Escape closes; a live region says
   how many were found. No inline scripts or handlers (the site's CSP).

   <div data-autocomplete data-url="..." data-mode="single|multiple" data-empty-text="..." data-count-text="%s ..."
        data-remove-text="Hapus %s" data-min-chars="2">
     single:   <input type="text" name="unit" value="CODE" data-label="CODE — Name" data-autocomplete-input>
               (the script moves the name to a hidden field holding the picked key)
     multiple: <select name="trainers" multiple hidden data-autocomplete-value>(the chosen, selected)</select>
               <ul data-autocomplete-chosen></ul>
               <input type="text" data-autocomplete-input>
   </div> */
(function () {
  "use strict";
  var counter = 0;

  function setup(root) {
    if (root.hasAttribute("data-autocomplete-ready")) { return; }
    root.setAttribute("data-autocomplete-ready", "1");
    var input = root.querySelector("[data-autocomplete-input]");
    var value = root.querySelector("[data-autocomplete-value]");
    var chosen = root.querySelector("[data-autocomplete-chosen]");
    var multiple = root.getAttribute("data-mode") === "multiple";
    if (!multiple && !value) {
      // Without this script the text field itself is sent (a code typed by hand); with it, the picked
      // item's key travels in a hidden field and the text field shows its label.
      value = document.createElement("input");
      value.type = "hidden";
      value.name = input.name;
      value.value = input.value;
      input.removeAttribute("name");
      // A form that wants to know what was typed but not picked names the text field (data-typed-name).
      if (input.hasAttribute("data-typed-name")) { input.name = input.getAttribute("data-typed-name"); }
      input.insertAdjacentElement("beforebegin", value);
      if (input.hasAttribute("data-label")) { input.value = input.getAttribute("data-label"); }
    }
    var minChars = parseInt(root.getAttribute("data-min-chars") || "1", 10);
    var id = "ac-" + (++counter);

    var list = document.createElement("ul");
    list.id = id + "-list";
    list.className = "ac-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    var status = document.createElement("p");
    status.className = "ac-status visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    list.insertAdjacentElement("afterend", status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    var results = [];
    var active = -1;
    var timer = null;
    var pending = null;
    var lastLabel = input.value;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { return; }
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function render() {
      list.innerHTML = "";
      results.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = id + "-opt-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-value", item.id);
        option.textContent = item.label;
        // mousedown, not click: the input's blur must not close the list before the pick lands.
        option.addEventListener("mousedown", function (event) { event.preventDefault(); pick(i); });
        list.appendChild(option);
      });
      if (!results.length) {
        var empty = document.createElement("li");
        empty.className = "ac-empty";
        empty.textContent = root.getAttribute("data-empty-text") || "-";
        list.appendChild(empty);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = (root.getAttribute("data-count-text") || "%s").replace("%s", String(results.length));
      active = -1;
    }

    function addChip(itemId, label) {
      var item = document.createElement("li");
      item.className = "ac-chip";
      item.setAttribute("data-value", itemId);
      var text = document.createElement("span");
      text.textContent = label;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "ac-remove";
      remove.textContent = "×";
      remove.setAttribute("aria-label", (root.getAttribute("data-remove-text") || "%s").replace("%s", label));
      remove.addEventListener("click", function () {
        var option = value.querySelector('option[value="' + CSS.escape(String(itemId)) + '"]');
        if (option) { option.remove(); }
        item.remove();
        input.focus();
      });
      item.appendChild(text);
      item.appendChild(remove);
      chosen.appendChild(item);
    }

    function pick(index) {
      var item = results[index];
      if (!item) { return; }
      if (multiple) {
        if (!value.querySelector('option[value="' + CSS.escape(String(item.id)) + '"]')) {
          var option = document.createElement("option");
          option.value = item.id;
          option.textContent = item.label;
          option.selected = true;
          value.appendChild(option);
          addChip(item.id, item.label);
        }
        input.value = "";
      } else {
        value.value = item.id;
        input.value = item.label;
        lastLabel = item.label;
      }
      close();
      value.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function search() {
      var query = input.value.trim();
      if (query.length < minChars) { close(); return; }
      if (pending) { pending.abort(); }
      pending = new AbortController();
      var url = root.getAttribute("data-url") + (root.getAttribute("data-url").indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, signal: pending.signal })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { results = data.results || []; render(); })
        .catch(function () { /* aborted by the next keystroke, or offline: the list stays as it was */ });
    }

    input.addEventListener("input", function () {
      if (!multiple && input.value !== lastLabel) { value.value = input.value.trim() ? value.value : ""; }
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) { search(); } else { highlight(active + 1); } }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && !list.hidden && active >= 0) { event.preventDefault(); pick(active); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150);
      // Single: text that no longer names the picked item picks nothing (an empty field means "all").
      if (!multiple && input.value !== lastLabel) {
        if (!input.value.trim()) { value.value = ""; lastLabel = ""; }
        else { input.value = lastLabel; }
      }
    });

    if (multiple) {
      // The chosen ones arrive as selected options; show them as removable chips.
      Array.prototype.forEach.call(value.options, function (option) { addChip(option.value, option.textContent); });
      value.hidden = true;
    }
  }

  function init(scope) {
    (scope || document).querySelectorAll("[data-autocomplete]").forEach(setup);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", function () { init(); }); }
  else { init(); }
  window.autocompleteInit = init;
})();
