// Push notifications on this device (preferences page only): register /sw.js, ask
// permission, subscribe with our VAPID key, and hand the subscription to the API
// (POST /api/push-subscriptions, the address from the page's data-subscribe).
// Every text comes from the page (data-msg-*) or from the API's answer ({code, message}
// when it refuses).
(function () {
  "use strict";
  const box = document.getElementById("push");
  if (!box) return;
  const button = document.getElementById("push-on");
  const status = document.getElementById("push-status");
  const devices = document.getElementById("push-devices");
  const removeAll = document.getElementById("push-remove");
  const token = document.querySelector("#push-form input[name=csrfmiddlewaretoken]").value;

  function say(text) { if (status) status.textContent = text; }

  function urlBase64ToUint8Array(value) {
    const padded = (value + "=".repeat((4 - (value.length % 4)) % 4))
      .replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(padded);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function sameKey(current, wanted) {
    if (!current) return false;
    const bytes = new Uint8Array(current);
    return bytes.length === wanted.length && bytes.every((b, i) => b === wanted[i]);
  }

  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported) { say(box.dataset.msgUnsupported); return; }
  button.hidden = false;
  if (Notification.permission === "denied") say(box.dataset.msgDenied);

  async function subscribe() {
    const registration = await navigator.serviceWorker.register(box.dataset.worker, { scope: "/" });
    await navigator.serviceWorker.ready;
    const key = urlBase64ToUint8Array(box.dataset.key);
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
      await subscription.unsubscribe();  // made with another server key: useless to us
      subscription = null;
    }
    if (!subscription) {
      subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    }
    return subscription;
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    say(box.dataset.msgWorking);
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") { say(box.dataset.msgDenied); return; }
      const subscription = await subscribe();
      const response = await fetch(box.dataset.subscribe, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify(subscription.toJSON()),
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) { say(answer.message || box.dataset.msgFailed); return; }
      say(answer.message);
      if (devices && answer.devices_text) devices.textContent = answer.devices_text;
      if (removeAll) removeAll.hidden = !answer.devices;
    } catch (error) {
      say(box.dataset.msgFailed);
    } finally {
      button.disabled = false;
    }
  });
})();
