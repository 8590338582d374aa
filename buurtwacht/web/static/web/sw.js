// Buurtwacht's service worker, served at /sw.js (scope: the whole site).
// It shows what the server pushes: {title, body, url, tag}.  The text is made on the server
// (kind, street, whether 112 was called; never a description or a photo).
"use strict";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function sameOriginUrl(value) {
  try {
    const url = new URL(value || "/", self.location.origin);
    return url.origin === self.location.origin ? url.href : self.location.origin + "/";
  } catch (error) {
    return self.location.origin + "/";
  }
}

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = {};
  }
  const tag = typeof message.tag === "string" ? message.tag : "";
  const options = {
    body: message.body || "",
    data: { url: sameOriginUrl(message.url) },
    icon: "/icon-192.png",
    badge: "/icon-192.png",
    requireInteraction: tag.startsWith("alert-"),
  };
  if (tag) {
    options.tag = tag;
    options.renotify = true;  // only allowed together with a tag
  }
  event.waitUntil(self.registration.showNotification(message.title || "Buurtwacht", options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = sameOriginUrl(event.notification.data && event.notification.data.url);
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const path = (href) => { const u = new URL(href); return u.pathname + u.search; };
    for (const client of open) {
      if (path(client.url) === path(target) && "focus" in client) {
        const focused = await client.focus();  // first: the click's permission does not last
        if (client.url !== target && "navigate" in client) {
          try { await client.navigate(target); } catch (error) { /* not controlled: stay */ }
        }
        return focused;
      }
    }
    return self.clients.openWindow(target);
  })());
});
