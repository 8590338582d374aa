/* Where a sign was placed (R-VIS-1): a click on the map inside the group's area fills in the
   latitude and longitude fields of the form.  The element [data-pick-point] carries the
   area (data-area, GeoJSON), the tiles (data-tiles; empty = none, a plain background) and
   the ids of the two fields (data-lat, data-lon).  Without JavaScript the fields remain. */
(function () {
  "use strict";

  function start(el) {
    if (typeof L === "undefined") return;
    var lat = document.getElementById(el.dataset.lat);
    var lon = document.getElementById(el.dataset.lon);
    var map = L.map(el, { scrollWheelZoom: false });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "" }).addTo(map);
    }
    var area = L.geoJSON(JSON.parse(el.dataset.area), {
      style: { color: "#0b5cad", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.15 },
    }).addTo(map);
    map.fitBounds(area.getBounds(), { padding: [10, 10] });
    var marker = null;
    function place(latlng) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.circleMarker(latlng, { radius: 7, color: "#c62828" }).addTo(map);
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
    }
    map.on("click", function (event) { place(event.latlng); });
    area.on("click", function (event) { place(event.latlng); });
    if (lat.value && lon.value) place(L.latLng(Number(lat.value), Number(lon.value)));
    el.dataset.ready = "1";
  }

  document.querySelectorAll("[data-pick-point]").forEach(start);
})();
