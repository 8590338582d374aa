// The offline page: links to the group pages this device keeps (sw.js, "buurtwacht-pages").
(function () {
  "use strict";
  const list = document.getElementById("kept-pages");
  const label = document.currentScript.dataset.label;
  if (!list || !window.caches) return;
  caches.open("buurtwacht-pages").then(async (cache) => {
    for (const request of await cache.keys()) {
      const path = new URL(request.url).pathname;
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = path;
      // The group's name from the kept page's title ("Name · Buurtwacht").
      const kept = await cache.match(request);
      const html = kept ? await kept.text() : "";
      const title = new DOMParser().parseFromString(html, "text/html").title.split(" · ")[0];
      link.textContent = title || label + " " + path.split("/").filter(Boolean).pop();
      item.append(link);
      list.append(item);
    }
  });
})();
