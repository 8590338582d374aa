/* The public register on a Leaflet map.  Each [data-register-map] element says where to
   ask (data-api: the bbox GeoJSON endpoint; data-municipality-api: one municipality),
   which tiles to draw under it (data-tiles: empty = none, a plain background), where to
   look first (data-bounds) and, for one group's page, its outline (data-outline).
   Clicking an area opens the group's public page; a cluster zooms in. */
(function () {
  "use strict";

  var AREA = { color: "#0b5cad", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.25 };
  // The groups a search found, when there is a search: the others paler around them.
  var FOUND = { color: "#08427f", weight: 3, fillColor: "#0b5cad", fillOpacity: 0.5 };
  var OTHER = { color: "#6b8fb5", weight: 1, fillColor: "#6b8fb5", fillOpacity: 0.12 };

  function bounds(text) {
    var v = (text || "").split(",").map(Number);
    return L.latLngBounds([v[1], v[0]], [v[3], v[2]]);
  }

  function open(el, url) {
    if (el.hasAttribute("data-new-tab")) window.open(url, "_blank", "noopener");
    else window.location.href = url;
  }

  function clusterIcon(count) {
    var size = count < 10 ? 26 : count < 100 ? 32 : count < 1000 ? 38 : 44;
    return L.divIcon({
      className: "register-cluster",
      html: "<span>" + count + "</span>",
      iconSize: [size, size],
    });
  }

  function layerFor(el, map) {
    var found = null;
    if (el.dataset.highlight !== undefined) found = el.dataset.highlight.split(",");
    return L.geoJSON(null, {
      style: function (feature) {
        if (!found) return AREA;
        return found.indexOf(String(feature.properties.id)) >= 0 ? FOUND : OTHER;
      },
      pointToLayer: function (feature, latlng) {
        var p = feature.properties || {};
        if (p.cluster) return L.marker(latlng, { icon: clusterIcon(p.count), keyboard: true,
          title: p.count + " " + el.dataset.labelCluster });
        return L.circleMarker(latlng, { radius: 7, color: AREA.color, weight: 2,
          fillColor: AREA.color, fillOpacity: 0.6 });
      },
      onEachFeature: function (feature, layer) {
        var p = feature.properties || {};
        if (p.cluster) {
          layer.on("click", function () { map.setView(layer.getLatLng(), map.getZoom() + 2); });
          return;
        }
        layer.bindTooltip(p.name, { sticky: true });
        layer.on("click", function () { open(el, p.url); });
      },
    });
  }

  function start(el) {
    var map = L.map(el, { zoomSnap: 1, minZoom: 6, maxZoom: 18 });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
    } else {
      el.classList.add("no-tiles");
    }
    map.fitBounds(bounds(el.dataset.bounds), { maxZoom: 16 });
    el.registerMap = map; // for pages that draw on it too (the street picker)
    var layer = layerFor(el, map).addTo(map);
    if (el.dataset.outline) {
      L.geoJSON(JSON.parse(el.dataset.outline), { style: function () { return AREA; } }).addTo(map);
      el.dataset.ready = "1";
      return;
    }
    if (el.dataset.municipalityApi) {
      fetch(el.dataset.municipalityApi, { headers: { Accept: "application/geo+json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) { layer.addData(data); el.dataset.ready = "1"; });
      return;
    }
    var pending = null;
    function load() {
      if (pending) pending.abort();
      pending = new AbortController();
      var b = map.getBounds();
      var url = el.dataset.api + "?bbox=" + [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map(function (v) { return v.toFixed(4); }).join(",") + "&zoom=" + map.getZoom();
      fetch(url, { signal: pending.signal, headers: { Accept: "application/geo+json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          layer.clearLayers();
          layer.addData(data);
          el.dataset.count = String(data.count);
          el.dataset.ready = "1";
        })
        .catch(function () {});
    }
    map.on("moveend", load);
    load();
  }

  function init() {
    if (!window.L) return;
    document.querySelectorAll("[data-register-map]").forEach(start);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
