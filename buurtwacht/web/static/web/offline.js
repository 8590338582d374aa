// The offline page: links to the group pages this device keeps (sw.js, "buurtwacht-pages").
(function () {
  "use strict";
  const list = document.getElementById("kept-pages");
  const label = document.currentScript.dataset.label;
  if (!list || !window.caches) return;
  caches.open("buurtwacht-pages").then((cache) => cache.keys()).then((requests) => {
    for (const request of requests) {
      const path = new URL(request.url).pathname;
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = path;
      link.textContent = label + " " + path.split("/").filter(Boolean).pop();
      item.append(link);
      list.append(item);
    }
  });
})();
