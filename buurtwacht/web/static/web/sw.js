// Buurtwacht's service worker, served at /sw.js (scope: the whole site).
// It shows what the server pushes: {title, body, url, tag}.  The text is made on the server
// (kind, street, whether 112 was called; never a description or a photo).
//
// Offline: pages come from the network; without one, the last-seen copy of a group page
// (kept per group, only the group pages) or the offline page.  Static files too come from
// the network first, and from the cache without one.  Nothing else is kept; logging out
// (app.js) empties it.  A group's chat can be muted on this device until a moment: its
// pushes then arrive silently (alerts always sound).
"use strict";

const SHELL = "buurtwacht-shell-v1";
const PAGES = "buurtwacht-pages";
const SETTINGS = "buurtwacht-settings";
const OFFLINE_URL = "/offline/";
const GROUP_PAGE = /^\/groepen\/[0-9]+\/$/;
const MUTES = "/__buurtwacht/mutes";

// The offline page with the style sheet and script it names (whatever their names are).
async function keepOfflinePage() {
  const cache = await caches.open(SHELL);
  const response = await fetch(OFFLINE_URL, { credentials: "omit" });
  const html = await response.clone().text();
  await cache.put(OFFLINE_URL, response);
  const assets = [...html.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((found) => found[1]);
  await Promise.all(assets.map(async (asset) => cache.put(asset, await fetch(asset))));
}

self.addEventListener("install", (event) => {
  event.waitUntil(keepOfflinePage().then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("buurtwacht-shell-") && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function fromNetwork(request, keep) {
  const response = await fetch(request);
  if (keep && response.ok && response.type === "basic" && !response.redirected) {
    const cache = await caches.open(keep.cache);
    await cache.put(keep.key, response.clone());
  }
  return response;
}

async function page(request, url) {
  const groupPage = GROUP_PAGE.test(url.pathname);
  try {
    return await fromNetwork(request, groupPage ? { cache: PAGES, key: url.pathname } : null);
  } catch (error) {
    const kept = groupPage ? await (await caches.open(PAGES)).match(url.pathname) : null;
    return kept || (await caches.match(OFFLINE_URL)) ||
      new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
  }
}

async function staticFile(request, url) {
  try {
    return await fromNetwork(request, { cache: SHELL, key: url.pathname });
  } catch (error) {
    const kept = await caches.match(url.pathname);
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") event.respondWith(page(request, url));
  else if (url.pathname.startsWith("/static/")) event.respondWith(staticFile(request, url));
});

async function mutes() {
  const kept = await (await caches.open(SETTINGS)).match(MUTES);
  try { return kept ? await kept.json() : {}; } catch (error) { return {}; }
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "mute") {
    event.waitUntil((async () => {
      const known = await mutes();
      if (message.until > Date.now()) known[String(message.group)] = message.until;
      else delete known[String(message.group)];
      const cache = await caches.open(SETTINGS);
      await cache.put(MUTES, new Response(JSON.stringify(known), { headers: { "Content-Type": "application/json" } }));
    })());
  } else if (message.type === "forget") {
    event.waitUntil(Promise.all([caches.delete(PAGES), caches.delete(SETTINGS)]));
  }
});

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
  event.waitUntil((async () => {
    const chat = /^chat-([0-9]+)$/.exec(tag);
    const muted = chat ? (await mutes())[chat[1]] > Date.now() : false;
    if (tag) {
      options.tag = tag;
      options.renotify = !muted;  // only allowed together with a tag
    }
    if (muted) options.silent = true;  // muted on this device: no sound, no vibration
    await self.registration.showNotification(message.title || "Buurtwacht", options);
  })());
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
