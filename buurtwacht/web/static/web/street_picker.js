/* The street picker: a <select multiple data-street-picker> (what works without
   JavaScript) becomes a search field that filters the municipality's streets, the chosen
   ones as removable chips, and a small map with their area and the existing groups.
   The select stays the form field: picking and removing (de)select its options. After
   each change the area and precisely what overlaps come from data-area-url (R-REG-2). */
(function () {
  "use strict";
  var MAX_SHOWN = 12;
  var AREA = { color: "#b3261e", weight: 3, fillColor: "#b3261e", fillOpacity: 0.3 };
  var OTHER = { color: "#0b5cad", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.2, dashArray: "4 4" };

  function make(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    return el;
  }

  function start(select, labels) {
    var form = select.form;
    var wrap = make("div", "street-picker");
    var input = make("input");
    input.type = "search";
    input.id = select.id + "-search";
    input.setAttribute("autocomplete", "off");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", select.id + "-options");
    input.setAttribute("aria-label", labels.dataset.search);
    input.placeholder = labels.dataset.search;
    var list = make("ul", "street-options");
    list.id = select.id + "-options";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var chipsLabel = make("p", "street-chips-label", labels.dataset.chosen);
    var chips = make("ul", "street-chips");
    chips.setAttribute("aria-live", "polite");
    wrap.append(input, list, chipsLabel, chips);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.parentNode.insertBefore(wrap, select.nextSibling);
    var label = form.querySelector('label[for="' + select.id + '"]');
    if (label) label.htmlFor = input.id;

    var options = Array.prototype.slice.call(select.options);
    var active = -1;

    function renderChips() {
      chips.textContent = "";
      var chosen = options.filter(function (o) { return o.selected; });
      if (!chosen.length) chips.append(make("li", "street-none", labels.dataset.none));
      chosen.forEach(function (o) {
        var chip = make("li", "street-chip");
        chip.append(make("span", "", o.textContent));
        var remove = make("button", "chip-remove", "×");
        remove.type = "button";
        remove.setAttribute("aria-label", labels.dataset.remove + " " + o.textContent);
        remove.addEventListener("click", function () { o.selected = false; changed(); input.focus(); });
        chip.append(remove);
        chips.append(chip);
      });
    }

    function renderList() {
      var q = input.value.trim().toLowerCase();
      list.textContent = "";
      active = -1;
      if (!q) { list.hidden = true; input.setAttribute("aria-expanded", "false"); return; }
      var found = options.filter(function (o) {
        return !o.selected && o.textContent.toLowerCase().indexOf(q) >= 0;
      }).slice(0, MAX_SHOWN);
      if (!found.length) list.append(make("li", "street-none", labels.dataset.noMatch));
      found.forEach(function (o, i) {
        var item = make("li", "street-option", o.textContent);
        item.id = select.id + "-opt-" + o.value;
        item.setAttribute("role", "option");
        item.dataset.value = o.value;
        item.addEventListener("mousedown", function (e) { e.preventDefault(); pick(o); });
        list.append(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function pick(o) {
      o.selected = true;
      input.value = "";
      changed();
      input.focus();
    }

    function highlight(step) {
      var items = list.querySelectorAll(".street-option");
      if (!items.length) return;
      active = (active + step + items.length) % items.length;
      items.forEach(function (it, i) { it.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    input.addEventListener("input", renderList);
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(-1); }
      else if (e.key === "Enter") {
        var items = list.querySelectorAll(".street-option");
        if (!list.hidden && items.length) {
          e.preventDefault();
          var item = items[active >= 0 ? active : 0];
          pick(options.filter(function (o) { return o.value === item.dataset.value; })[0]);
        }
      } else if (e.key === "Escape") { input.value = ""; renderList(); }
    });
    input.addEventListener("blur", function () { list.hidden = true; });

    var mapEl = form.querySelector("[data-register-map]");
    var areaLayer = null;
    var othersLayer = null;
    var pending = null;
    function showArea() {
      var url = labels.dataset.areaUrl;
      var ids = options.filter(function (o) { return o.selected; }).map(function (o) { return o.value; });
      var query = ids.map(function (id) { return "straat=" + encodeURIComponent(id); }).join("&");
      url += (url.indexOf("?") >= 0 ? "&" : "?") + query;
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(url, { signal: pending.signal, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          drawArea(data.area, data.overlaps || []);
          showOverlaps(data.overlaps || []);
          if (mapEl) mapEl.dataset.areaReady = String(ids.length);
        })
        .catch(function () {});
    }
    function drawArea(area, overlaps) {
      var map = mapEl && mapEl.registerMap;
      if (!map) return;
      if (areaLayer) map.removeLayer(areaLayer);
      if (othersLayer) map.removeLayer(othersLayer);
      areaLayer = null;
      othersLayer = L.layerGroup().addTo(map);
      overlaps.forEach(function (o) {
        if (!o.outline) return;
        L.geoJSON(o.outline, { style: function () { return OTHER; } })
          .bindTooltip(o.group, { sticky: true }).addTo(othersLayer);
      });
      if (!area) return;
      areaLayer = L.geoJSON(area, { style: function () { return AREA; }, interactive: false }).addTo(map);
      map.fitBounds(areaLayer.getBounds(), { maxZoom: 16, padding: [20, 20], animate: false });
    }
    function showOverlaps(found) {
      var box = document.getElementById("overlaps");
      if (!box) return;
      var ul = box.querySelector("ul");
      ul.textContent = "";
      found.forEach(function (o) {
        var li = make("li");
        var a = make("a", "", o.group);
        a.href = o.url;
        li.append(a, document.createTextNode(": " + o.what));
        ul.append(li);
      });
      box.hidden = !found.length;
      // "I have seen them" only means something when there is something to see.
      var confirm = form.querySelector('input[name="overlaps_confirmed"]');
      var field = confirm && confirm.closest("div");
      if (field) field.hidden = !found.length && !confirm.checked;
    }
    function changed() { renderChips(); renderList(); showArea(); }
    renderChips();
    showArea();
  }

  function init() {
    var labels = document.getElementById("street-picker-labels");
    if (!labels) return;
    document.querySelectorAll("select[data-street-picker]").forEach(function (s) { start(s, labels); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
