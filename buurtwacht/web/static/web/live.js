// Live alert channel and chat: one WebSocket, resumed with since=<last event id>.
// Every button is a normal form; here they post in the background and the
// WebSocket brings the result to everyone (the poster included).
(function () {
  "use strict";
  const live = document.getElementById("live");
  if (!live) return;
  const group = Number(live.dataset.group);
  let position = Number(live.dataset.position || 0);
  let socket = null;
  let retry = 0;
  let revoked = false;
  const status = document.getElementById("live-status");

  function say(text) { if (status) status.textContent = text; }

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }

  async function showAlert(id) {
    const response = await fetch("/meldingen/" + id + "/", { credentials: "same-origin" });
    if (!response.ok) return;
    const holder = document.createElement("div");
    holder.innerHTML = await response.text();
    const card = holder.firstElementChild;
    const existing = document.getElementById("alert-" + id);
    const empty = document.getElementById("no-alerts");
    if (empty) empty.remove();
    if (existing) existing.replaceWith(card);
    else document.getElementById("alerts").prepend(card);
  }

  function showChat(message) {
    const item = document.createElement("li");
    const who = document.createElement("strong");
    who.textContent = message.by;
    item.append(who, ": " + message.text);
    document.getElementById("chat").append(item);
  }

  function receive(message) {
    if (message.type === "subscribed") {
      // A replay comes in pages: ask for the next one until "more" is false.
      if (message.more) { subscribe(message.position); return; }
      say(live.dataset.msgLive); retry = 0; return;
    }
    if (message.type === "revoked") { revoked = true; say(live.dataset.msgRevoked); socket.close(); return; }
    if (message.type === "error") { say(message.message); return; }
    if (typeof message.id !== "number" || message.group !== group) return;
    position = Math.max(position, message.id);
    if (message.type.startsWith("alert.")) showAlert(message.alert.id);
    else if (message.type === "chat.message") showChat(message.message);
  }

  function subscribe(since) {
    socket.send(JSON.stringify({ type: "subscribe", group: group, since: since }));
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/");
    socket.onopen = () => subscribe(position);
    socket.onmessage = (event) => receive(JSON.parse(event.data));
    socket.onclose = (event) => {
      if (revoked) return;
      // 4401: the session ended (the error frame before the close said so); 4403: this
      // page's origin is refused.  Reconnecting would not help.
      if (event.code === 4401) return;
      say(live.dataset.msgOffline);
      if (event.code === 4403) return;
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 250 * 2 ** retry);
    };
  }

  live.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.js-action");
    if (!form) return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      });
      const answer = await response.json();
      if (answer.error) say(answer.error);
      else if (answer.info) say(answer.info);
      if (response.ok && form.dataset.reset) {
        form.reset();
        const clientId = form.querySelector("input[name=client_id]");
        if (clientId) clientId.value = newClientId();
      }
    } catch (error) {
      say(live.dataset.msgOffline);  // the same client_id makes a retry safe
    } finally {
      if (button) button.disabled = false;
    }
  });

  // "Add my location": the browser's position as the alert's map point (optional; the
  // server checks that it lies inside the group's area).
  const locate = live.querySelector(".locate");
  if (locate && navigator.geolocation) {
    const form = locate.closest("form");
    const lon = form.querySelector("input[name=lon]");
    const lat = form.querySelector("input[name=lat]");
    const note = locate.querySelector(".js-locate-status");
    locate.hidden = false;
    locate.querySelector(".js-locate").addEventListener("click", () => {
      note.textContent = locate.dataset.msgBusy;
      navigator.geolocation.getCurrentPosition(
        (position) => {
          lon.value = position.coords.longitude.toFixed(6);
          lat.value = position.coords.latitude.toFixed(6);
          note.textContent = locate.dataset.msgDone.replace(
            "{metres}", String(Math.round(position.coords.accuracy)));
        },
        () => { lon.value = ""; lat.value = ""; note.textContent = locate.dataset.msgFailed; },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
      );
    });
    // form.reset() leaves hidden inputs as they are: the next alert starts without a point
    form.addEventListener("reset", () => { lon.value = ""; lat.value = ""; note.textContent = ""; });
  }

  connect();
})();
