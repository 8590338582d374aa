// Buurtwacht as an app on the phone: the service worker (offline page, the last-seen group
// page), the install prompt (and how on an iPhone), the tabs of the group page on a narrow
// screen, muting a group's chat on this device, and forgetting what the device keeps when
// the member logs out.
(function () {
  "use strict";
  const script = document.currentScript;
  const worker = (script && script.dataset.worker) || "/sw.js";

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", () => {
      navigator.serviceWorker.register(worker, { scope: "/" }).catch(() => { /* no worker */ });
    });
  }

  function tellWorker(message) {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then((registration) => {
      if (registration.active) registration.active.postMessage(message);
    });
  }

  // Logging out: the pages and the alerts waiting on this device are someone else's now.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches || !form.matches('form[action$="/account/uitloggen/"]')) return;
    try {
      for (const key of Object.keys(localStorage)) {
        if (key.startsWith("buurtwacht-")) localStorage.removeItem(key);
      }
    } catch (error) { /* storage off */ }
    if (window.caches) caches.delete("buurtwacht-pages");
    tellWorker({ type: "forget" });
  });

  // --- tabs on a phone: alerts first, the chat and the group one tap away -------------
  const bar = document.querySelector("nav.tabbar");
  if (bar) {
    const narrow = window.matchMedia("(max-width: 40em)");
    const links = Array.from(bar.querySelectorAll("a[href^='#tab-']"));
    const panels = links.map((link) => document.getElementById(link.hash.slice(1)));
    const show = (id, focus) => {
      links.forEach((link, n) => {
        const current = link.hash === "#" + id;
        if (current) { link.setAttribute("aria-current", "page"); link.classList.remove("has-new"); }
        else link.removeAttribute("aria-current");
        if (panels[n]) panels[n].classList.toggle("current", current);
      });
      if (focus) {
        const panel = document.getElementById(id);
        const heading = panel && panel.querySelector("h2, h3, a, button");
        if (heading) {
          if (!heading.matches("a, button")) heading.tabIndex = -1;
          heading.focus();
        }
      }
    };
    const apply = () => document.body.classList.toggle("tabbed", narrow.matches);
    narrow.addEventListener("change", apply);
    apply();
    const start = links.find((link) => link.hash === location.hash);
    show(start ? start.hash.slice(1) : "tab-alerts", false);
    // A new alert while the chat or the group is open: the alerts tab says so.
    const alertsTab = links.find((link) => link.hash === "#tab-alerts");
    document.addEventListener("buurtwacht:new-alert", () => {
      if (alertsTab && narrow.matches && !alertsTab.hasAttribute("aria-current")) {
        alertsTab.classList.add("has-new");
      }
    });
    bar.addEventListener("click", (event) => {
      const link = event.target.closest("a[href^='#tab-']");
      if (!link || !narrow.matches) return;
      event.preventDefault();
      history.replaceState(null, "", link.hash);
      show(link.hash.slice(1), true);
      window.scrollTo(0, 0);
    });
  }

  // --- install: the browser's prompt, or how on an iPhone ----------------------------
  const install = document.getElementById("install");
  if (install) {
    const standalone = window.matchMedia("(display-mode: standalone)").matches || navigator.standalone;
    const ios = /iPhone|iPad|iPod/.test(navigator.userAgent);
    const button = install.querySelector(".js-install");
    if (!standalone && ios) {
      install.hidden = false;
      button.hidden = true;
      install.querySelector(".js-install-ios").hidden = false;
    }
    let prompt = null;
    window.addEventListener("beforeinstallprompt", (event) => {
      event.preventDefault();
      prompt = event;
      install.hidden = false;
    });
    button.addEventListener("click", async () => {
      if (!prompt) return;
      prompt.prompt();
      await prompt.userChoice;
      prompt = null;
      install.hidden = true;
    });
    window.addEventListener("appinstalled", () => { install.hidden = true; });
  }

  // --- mute the chat of this group on this device (alerts always come) ----------------
  const mute = document.getElementById("mute");
  if (mute) {
    const key = "buurtwacht-mute-" + mute.dataset.group;
    const status = mute.querySelector(".js-mute-status");
    const unmute = mute.querySelector(".js-unmute");
    const lang = document.documentElement.lang || "nl";
    const format = new Intl.DateTimeFormat(lang, {
      weekday: "short", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
    });
    const until = () => {
      const value = Number(localStorage.getItem(key) || 0);
      return value > Date.now() ? value : 0;
    };
    const render = () => {
      const end = until();
      status.textContent = end ? mute.dataset.msgMuted.replace("{until}", format.format(new Date(end))) : "";
      unmute.hidden = !end;
      document.body.classList.toggle("chat-muted", Boolean(end));
      tellWorker({ type: "mute", group: Number(mute.dataset.group), until: end });
    };
    mute.hidden = false;
    mute.addEventListener("submit", (event) => {
      event.preventDefault();
      const hours = Number(mute.elements.hours.value || 8);
      try { localStorage.setItem(key, String(Date.now() + hours * 3600 * 1000)); } catch (error) { return; }
      render();
    });
    unmute.addEventListener("click", () => {
      localStorage.removeItem(key);
      render();
    });
    render();
  }
})();
