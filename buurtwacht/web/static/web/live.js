// Live alert channel and chat: one WebSocket, resumed with since=<last event id>.
// An event is shown from what it carries, without asking the server again: an alert event
// holds the alert's whole state, put into the page's <template id="alert-template">.
// The protocol (seq, heartbeat, close codes) is described in realtime/consumers.py.
// Every button is a normal form; here they post in the background and the WebSocket
// brings the result to everyone (the poster included).
(function () {
  "use strict";
  const live = document.getElementById("live");
  if (!live) return;
  const text = live.dataset;
  const group = Number(text.group);
  const me = Number(text.user);
  // Who may close which alert is policy.py's can_close; the page says what it answers
  // for this reader, for an alert of their own and for someone else's.
  const mayClose = { own: text.closeOwn === "1", others: text.closeOthers === "1" };
  const HEARTBEAT_MS = Number(text.heartbeat || 10000);  // the server's HEARTBEAT_SECONDS
  let position = Number(text.position || 0);  // id of the last event shown
  let seq = Number(text.seq || 0);  // its number within the group (1, 2, 3, ...)
  let socket = null;
  let retry = 0;
  let retryAfter = null;  // ms, from the server's "retry" frame before a 1013 close
  let stopped = false;
  let resyncing = false;
  let silence = null;
  const status = document.getElementById("live-status");
  const announce = document.getElementById("alert-announce");
  const template = document.getElementById("alert-template");
  // Times as the server shows them (core/clock.py): local HH:MM in the site's time zone, and
  // for a chat message the date ("3 maart 08:35") when it is not today.
  const zone = text.tz || undefined;
  const clock = new Intl.DateTimeFormat(text.lang, {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone,
  });
  const dayMonth = new Intl.DateTimeFormat(text.lang, { day: "numeric", month: "long", timeZone: zone });
  const dayKey = new Intl.DateTimeFormat("en-CA", { dateStyle: "short", timeZone: zone });

  function say(message) { if (status) status.textContent = message; }
  function time(iso) { return iso ? clock.format(new Date(iso)) : ""; }
  function stamp(iso) {
    if (!iso) return "";
    const when = new Date(iso);
    if (dayKey.format(when) === dayKey.format(new Date())) return time(iso);
    const parts = Object.fromEntries(dayMonth.formatToParts(when).map((p) => [p.type, p.value]));
    return parts.day + " " + parts.month + " " + time(iso);
  }
  function fill(pattern, values) {
    return pattern.replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));
  }
  function element(tag, content) {
    const made = document.createElement(tag);
    if (content !== undefined) made.textContent = content;
    return made;
  }
  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }

  // --- showing an alert ------------------------------------------------------------

  function newCard(id) {
    const card = template.content.firstElementChild.cloneNode(true);
    card.id = "alert-" + id;
    card.dataset.alert = id;
    for (const form of card.querySelectorAll("form")) {
      form.setAttribute("action", form.getAttribute("action").replace("/meldingen/0/", "/meldingen/" + id + "/"));
    }
    for (const input of card.querySelectorAll("input[name=client_id]")) input.value = newClientId();
    return card;
  }

  // Hidden by an admin: gone for everyone; the author reads why.
  function hideAlert(alert) {
    const card = document.getElementById("alert-" + alert.id);
    if (card) card.remove();
    if (alert.author === me) tellAuthor(alert.hidden_reason);
  }

  function tellAuthor(reason) {
    let box = document.getElementById("hidden-own");
    if (!box) {
      box = element("div");
      box.id = "hidden-own";
      box.className = "message warning";
      document.getElementById("chat").before(box);
    }
    box.append(element("p", fill(text.msgHidden, { reason: reason })));
  }

  function showAlert(alert, eventId, type) {
    if (alert.hidden) { hideAlert(alert); return; }
    let card = document.getElementById("alert-" + alert.id);
    if (card && Number(card.dataset.event) >= eventId) return;  // the page is newer
    const isNew = !card;
    if (isNew) card = newCard(alert.id);
    card.dataset.event = eventId;
    const slot = (name) => card.querySelector('[data-slot="' + name + '"]');
    const part = (name, shown) => {
      const found = card.querySelector('[data-part="' + name + '"]');
      if (found) found.hidden = !shown;
    };
    slot("kind_label").textContent = alert.kind_label;
    slot("street").textContent = alert.street;
    part("street", alert.street);
    part("map", alert.lat !== null);
    if (alert.lat !== null) {
      const lat = alert.lat.toFixed(6);
      const lon = alert.lon.toFixed(6);
      slot("map").href = `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=18/${lat}/${lon}`;
    }
    const seen = slot("seen_at");
    seen.dateTime = alert.seen_at;
    seen.textContent = stamp(alert.seen_at);  // with the date when it is not today
    slot("by").textContent = alert.by;
    slot("what").textContent = alert.what;
    slot("forwarded_from").textContent = alert.forwarded_from || "";
    part("forwarded", alert.forwarded_from);
    part("keep_plate", alert.vehicle && alert.vehicle.plate);
    slot("direction_label").textContent = alert.direction_label;
    part("direction", alert.direction);
    const facts = slot("facts");
    facts.replaceChildren(...alert.facts.flatMap((f) => {
      const value = element("dd", f.value);
      if (f.note) {  // "onbekend formaat" beside a plate in no known format
        const note = element("span", f.note);
        note.className = "tag";
        value.append(" ", note);
      }
      return [element("dt", f.label), value];
    }));
    facts.hidden = !alert.facts.length;
    // R-RUL-6: the photo is fetched from its address (through the access gate), never
    // carried in the event; the card itself is not fetched again.
    const photo = alert.photo;
    const img = slot("photo");
    if (photo) {
      if (img.getAttribute("src") !== photo.thumbnail_url) img.src = photo.thumbnail_url;
      slot("photo_link").href = photo.url;
      slot("photo_reason_label").textContent = photo.reason_label;
      slot("photo_reason_text").textContent = photo.reason_text;
    } else {
      img.removeAttribute("src");
    }
    part("photo", photo);
    const call = alert.call_112;
    slot("call_112").textContent = call ? fill(text.msgCallEmergency, { name: call.by, time: time(call.at) }) : "";
    part("call_112", call);
    part("no_call_112", !call && !alert.forwarded_called_112);
    part("origin_called", !call && alert.forwarded_called_112);
    const police = slot("call_0900");
    police.textContent = alert.call_0900 ? fill(text.msgCallPolice, { name: alert.call_0900.by }) : "";
    police.hidden = !alert.call_0900;
    slot("acks").textContent = fill(text.msgAcks, { seen: alert.seen, going: alert.going });
    const updates = slot("updates");
    updates.replaceChildren(...alert.updates.map((u) => {
      const item = element("li");
      const at = element("time", stamp(u.at));
      at.className = "hint";
      at.dateTime = u.at || "";
      item.append(element("strong", u.by), ": " + u.text + " ", at);
      return item;
    }));
    updates.hidden = !alert.updates.length;
    const reports = slot("reports");
    reports.replaceChildren(...alert.reports.map(reportLine));
    reports.hidden = !alert.reports.length;
    slot("outcome_label").textContent = alert.outcome_label;
    part("closed", alert.closed);
    part("open", !alert.closed);
    part("claim_112", !call);
    part("claim_0900", !alert.call_0900);
    part("close", alert.author === me ? mayClose.own : mayClose.others);
    card.classList.toggle("closed", alert.closed);
    place(card, alert.closed, isNew);
    if (type === "alert.created" && announce) {
      announce.textContent = fill(text.msgNew, { kind: alert.kind_label, where: alert.street });
    }
    if (type === "alert.created") document.dispatchEvent(new CustomEvent("buurtwacht:new-alert"));
  }

  // A report to the police (R-FUP-1), as police/_report_line.html shows it.
  function reportLine(r) {
    const item = element("li");
    item.dataset.report = r.id;
    let said = fill(text.msgReport, { channel: r.channel_label, name: r.by, time: time(r.at) });
    if (r.number) said += " · " + fill(text.msgReportNumber, { number: r.number });
    if (r.group_mentioned) said += " · " + text.msgGroupMentioned;
    const report = element("span", said);
    report.dataset.slot = "report";
    let answer = r.feedback ? fill(text.msgFeedback, { name: r.feedback.by, text: r.feedback.text }) : text.msgNoFeedback;
    if (r.wijkagent_called) answer += " · " + text.msgWijkagentCalled;
    const feedback = element("span", answer);
    feedback.dataset.slot = "feedback";
    feedback.className = r.feedback ? "called" : "hint";
    item.append(report, " ", feedback);
    return item;
  }

  // Open alerts on top, newest first; closed ones fold away under "Afgesloten meldingen".
  function place(card, closed, isNew) {
    const empty = document.getElementById("no-alerts");
    if (closed) {
      const folded = document.getElementById("closed-alerts");
      const list = document.getElementById("closed-list");
      if (card.parentElement !== list) list.prepend(card);
      folded.hidden = false;
    } else if (isNew) {
      if (empty) empty.remove();
      document.getElementById("alerts").prepend(card);
    }
  }

  // --- warnings from neighbouring groups (admins only; R-ADJ-1) ------------------------

  function showForward(forward, type) {
    const list = document.getElementById("forward-list");
    const blank = document.getElementById("forward-template");
    if (!list || !blank || forward.to_group !== group) return;
    let item = document.getElementById("forward-" + forward.id);
    if (type === "forward.decided" || forward.status !== "pending") {
      if (item) item.remove();
    } else if (!item) {
      item = blank.content.firstElementChild.cloneNode(true);
      item.id = "forward-" + forward.id;
      item.dataset.forward = forward.id;
      for (const form of item.querySelectorAll("form")) {
        form.setAttribute("action", form.getAttribute("action").replace("/doorgestuurd/0/", "/doorgestuurd/" + forward.id + "/"));
      }
      const slot = (name) => item.querySelector('[data-slot="' + name + '"]');
      const part = (name, shown) => { item.querySelector('[data-part="' + name + '"]').hidden = !shown; };
      slot("kind_label").textContent = forward.kind_label;
      slot("street").textContent = forward.street;
      slot("direction_label").textContent = forward.direction_label;
      part("direction", forward.direction);
      const seen = slot("seen_at");
      seen.dateTime = forward.seen_at;
      seen.textContent = time(forward.seen_at);
      part("called", forward.called_112);
      part("not_called", !forward.called_112);
      slot("plate").textContent = forward.plate;
      part("plate", forward.plate);
      slot("plate_note").textContent = forward.plate_note;
      slot("plate_note").hidden = !forward.plate_note;
      slot("from_group").textContent = forward.from_group;
      list.prepend(item);
      if (announce) announce.textContent = forward.kind_label + " · " + forward.from_group;
    }
    document.getElementById("forwards").hidden = !list.children.length;
  }
  const chatTemplate = document.getElementById("chat-template");

  function showChat(message) {
    const shown = document.getElementById("chat-" + message.id);
    if (message.hidden) {
      if (shown) shown.remove();
      if (message.author === me) tellAuthor(message.hidden_reason);
      return;
    }
    if (shown) return;
    const item = chatTemplate.content.firstElementChild.cloneNode(true);
    item.id = "chat-" + message.id;
    item.dataset.message = message.id;
    for (const form of item.querySelectorAll("form")) {
      form.setAttribute("action", form.getAttribute("action").replace("/chat/0/", "/chat/" + message.id + "/"));
    }
    const at = item.querySelector('[data-slot="at"]');
    at.dateTime = message.at;
    at.textContent = stamp(message.at);
    item.querySelector('[data-slot="by"]').textContent = message.by;
    item.querySelector('[data-slot="text"]').textContent = message.text;
    document.getElementById("chat").append(item);
  }

  // --- the stream ------------------------------------------------------------------

  function subscribe() {
    resyncing = true;
    socket.send(JSON.stringify({ type: "subscribe", group: group, since: position }));
  }

  // Missed something (a number skipped, or the heartbeat is ahead): ask again from here.
  function resync() {
    if (!resyncing && socket && socket.readyState === WebSocket.OPEN) subscribe();
  }

  function stop(message) {
    stopped = true;
    say(message);
    socket.close();
  }

  function receive(message) {
    switch (message.type) {
      case "subscribed":
        resyncing = false;
        retry = 0;
        say(text.msgLive);
        if (message.more) resync();  // the replay came in pages: fetch the next one
        return;
      case "heartbeat": {
        const head = message.groups && message.groups[group];
        if (head && head.seq > seq) resync();
        return;
      }
      case "retry": retryAfter = Number(message.after_ms) || 0; return;  // see onclose
      case "revoked": stop(text.msgRevoked); return;
      case "error": say(message.message); return;
      case "forward.received":
      case "forward.decided": showForward(message.forward, message.type); return;
    }
    if (typeof message.seq !== "number" || message.group !== group) return;
    if (message.seq <= seq) return;  // shown already
    // A gap while replaying is content deleted after its retention: the database holds
    // nothing in between.  A gap in live events is something missed: ask again.
    if (message.seq !== seq + 1 && !resyncing) { resync(); return; }
    seq = message.seq;
    position = message.id;
    if (message.alert) showAlert(message.alert, message.id, message.type);
    else if (message.message) showChat(message.message);
  }

  function watch() {  // silence for three heartbeats: the connection is dead, make a new one
    clearTimeout(silence);
    silence = setTimeout(() => socket.close(), 3 * HEARTBEAT_MS);
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/");
    socket.onopen = () => { watch(); subscribe(); flush(); };
    socket.onmessage = (event) => { watch(); receive(JSON.parse(event.data)); };
    socket.onclose = (event) => {
      clearTimeout(silence);
      resyncing = false;
      if (stopped) return;
      // 4401: logged out (or the account ended); 4403: this address is not allowed.
      if (event.code === 4401 || event.code === 4403) {
        stopped = true;
        say(event.code === 4401 ? text.msgEnded : text.msgOffline);
        return;
      }
      say(text.msgOffline);
      // 1013 after a "retry" frame: many sockets are opening on the server at once (a
      // restart); it gave this one a moment to come back (realtime/pacing.py).
      if (event.code === 1013 && retryAfter !== null) {
        setTimeout(connect, retryAfter);
        retryAfter = null;
        return;
      }
      retryAfter = null;
      // 1012: the server lost its channel layer; come back soon (elsewhere), spread out.
      retry = event.code === 1012 ? 0 : Math.min(retry + 1, 5);
      setTimeout(connect, 250 * 2 ** retry + Math.random() * 1000);
    };
  }

  // R-RUL-3: a language warning or block is shown in the form itself, with the words and
  // why; a warning gets a "post anyway" box (the admins then review the post).
  function languageNote(form, answer) {
    let note = form.querySelector(".language-note");
    if (!answer || !answer.code || !answer.code.startsWith("language_")) {
      if (note) note.remove();
      return;
    }
    if (!note) {
      note = element("div");
      note.className = "language-note";
      note.setAttribute("role", "alert");
      const button = form.querySelector("button[type=submit]");
      form.insertBefore(note, button);
    }
    const why = element("p", answer.error);
    why.className = "message " + (answer.confirm ? "warning" : "error");
    note.replaceChildren(why);
    if (answer.confirm) {
      const label = element("label");
      const box = element("input");
      box.type = "checkbox";
      box.name = "confirm_language";
      box.value = "1";
      label.append(box, " " + answer.confirm_label);
      note.append(label);
    }
  }

  // --- the phone in the hand -------------------------------------------------------

  // "Ik bel 112" records the claim and, on a phone, opens the dialler: within the tap, for
  // a browser opens tel: links only from a person's gesture.
  const coarse = Boolean(window.matchMedia && window.matchMedia("(pointer: coarse)").matches);
  function dial(href) {
    const link = element("a");
    link.href = href;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  }

  // "Gezien" / "Ik ga kijken" stay pressed on this device.
  const ackKey = "buurtwacht-acks";
  function knownAcks() {
    try { return JSON.parse(localStorage.getItem(ackKey) || "{}"); } catch (error) { return {}; }
  }
  function markPressed(root) {
    const known = knownAcks();
    for (const form of root.querySelectorAll("form[data-ack]")) {
      const card = form.closest("[data-alert]");
      const button = form.querySelector("button");
      if (card && button) {
        button.setAttribute("aria-pressed", known[card.dataset.alert + ":" + form.dataset.ack] ? "true" : "false");
      }
    }
  }
  function rememberAck(form) {
    const card = form.closest("[data-alert]");
    if (!card) return;
    const known = knownAcks();
    known[card.dataset.alert + ":" + form.dataset.ack] = Date.now();
    try { localStorage.setItem(ackKey, JSON.stringify(known)); } catch (error) { /* full */ }
    markPressed(card);
  }

  // Errors of the alert form: each field marked, and a summary the focus moves to.
  function errorSummary(form, answer) {
    for (const field of form.querySelectorAll("[aria-invalid]")) {
      field.removeAttribute("aria-invalid");
      if (field.dataset.describedby !== undefined) {
        if (field.dataset.describedby) field.setAttribute("aria-describedby", field.dataset.describedby);
        else field.removeAttribute("aria-describedby");
        delete field.dataset.describedby;
      }
    }
    for (const note of form.querySelectorAll(".field-error")) note.remove();
    let box = form.querySelector(".error-summary");
    if (!answer || !answer.error || (answer.code || "").startsWith("language_")) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = element("div");
      box.className = "error-summary";
      box.id = "alert-errors";
      box.tabIndex = -1;
      box.setAttribute("role", "alert");
      const heading = form.querySelector("h3");
      form.insertBefore(box, heading ? heading.nextSibling : form.firstChild);
    }
    const list = element("ul");
    const fields = answer.fields || {};
    for (const [name, message] of Object.entries(fields)) {
      const inputs = form.querySelectorAll('[name="' + name + '"]');
      const item = element("li");
      if (inputs.length) {
        const first = inputs[0];
        const label = form.querySelector('label[for="' + first.id + '"]');
        const legend = first.closest("fieldset") && first.closest("fieldset").querySelector("legend");
        const named = ((label || legend || {}).textContent || "").trim();
        const link = element("a", named ? named + ": " + message : message);
        link.href = "#" + first.id;
        link.addEventListener("click", (event) => {
          event.preventDefault();
          const folded = first.closest("details");
          if (folded) folded.open = true;
          first.focus();
        });
        item.append(link);
        const note = element("span", message);
        note.className = "field-error";
        note.id = "error-" + name;
        const holder = first.closest("fieldset, div") || first.parentElement;
        holder.append(note);
        for (const input of inputs) {
          input.setAttribute("aria-invalid", "true");
          input.dataset.describedby = input.getAttribute("aria-describedby") || "";
          input.setAttribute("aria-describedby", (input.dataset.describedby + " " + note.id).trim());
        }
      } else {
        item.textContent = message;
      }
      list.append(item);
    }
    if (!list.children.length) list.append(element("li", answer.error));
    box.replaceChildren(element("p", text.msgErrors), list);
    const folded = box.closest("details");
    if (folded) folded.open = true;
    box.focus();
  }

  // An alert written without a connection waits on this device (localStorage) and is sent
  // when the connection is back, with its client_id: the server makes it once.
  const outboxKey = "buurtwacht-outbox-" + group;
  const outbox = document.getElementById("outbox");
  function waiting() {
    try { return JSON.parse(localStorage.getItem(outboxKey) || "[]"); } catch (error) { return []; }
  }
  function store(list) {
    try {
      if (list.length) localStorage.setItem(outboxKey, JSON.stringify(list));
      else localStorage.removeItem(outboxKey);
    } catch (error) { /* full or private mode: the alert stays in the form */ }
    showOutbox();
  }
  function showOutbox() {
    if (!outbox) return;
    const list = waiting();
    outbox.hidden = !list.length;
    outbox.replaceChildren(...list.map((item) => {
      const line = element("p");
      line.className = "waiting";
      line.append(element("strong", text.msgWaiting), " ", element("q", item.what));
      return line;
    }));
  }
  function keep(form) {
    const fields = [];
    let photo = false;
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string") fields.push([name, value]);
      else if (value && value.size) photo = true;
    }
    const what = form.querySelector("[name=what]");
    store([...waiting(), { action: form.action, fields: fields, what: what ? what.value : "" }]);
    form.reset();
    const clientId = form.querySelector("input[name=client_id]");
    if (clientId) clientId.value = newClientId();
    const compose = form.closest("details.compose");
    if (compose) compose.open = false;
    if (photo) say(text.msgNoPhoto);
    if (outbox) { outbox.tabIndex = -1; outbox.focus(); }
  }
  let flushing = false;
  async function flush() {
    if (flushing || !waiting().length) return;
    flushing = true;
    try {
      for (const item of waiting()) {
        const body = new FormData();
        for (const [name, value] of item.fields) body.append(name, value);
        const token = live.querySelector("input[name=csrfmiddlewaretoken]");
        if (token) body.set("csrfmiddlewaretoken", token.value);
        let response;
        try {
          response = await fetch(item.action, {
            method: "POST", body: body, credentials: "same-origin",
            headers: { "X-Requested-With": "fetch" },
          });
        } catch (error) {
          return;  // still offline: try again when the browser says it is online
        }
        const answer = await response.json().catch(() => ({}));
        const id = (item.fields.find(([name]) => name === "client_id") || [])[1];
        store(waiting().filter((other) => (other.fields.find(([name]) => name === "client_id") || [])[1] !== id));
        say(response.ok ? text.msgSentLater : (answer.error || text.msgOffline));
      }
    } finally {
      flushing = false;
    }
  }
  window.addEventListener("online", flush);

  live.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.js-action");
    if (!form) return;
    event.preventDefault();
    if (form.dataset.dial && coarse) dial(form.dataset.dial);
    const isAlert = form.classList.contains("alert-form");
    if (isAlert && navigator.onLine === false) { keep(form); return; }
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
      const trace = form.querySelector('[data-part="warned"]');  // R-ADJ-1: the warning sent
      if (response.ok && trace && answer.info) { trace.textContent = answer.info; trace.hidden = false; }
      else if (answer.error) say(answer.error);
      else if (answer.info) say(answer.info);
      languageNote(form, response.ok ? null : answer);
      if (isAlert) errorSummary(form, response.ok ? null : answer);
      if (response.ok && form.dataset.ack) rememberAck(form);
      if (response.ok && form.dataset.reset) {
        form.reset();
        const clientId = form.querySelector("input[name=client_id]");
        if (clientId) clientId.value = newClientId();
        const compose = form.closest("details.compose");
        if (compose) compose.open = false;
      }
      // The focus goes where the answer is, not to the top of the page.
      if (response.ok && isAlert && status) status.focus();
      const card = form.closest("article.alert");
      if (response.ok && form.dataset.dial && card) {
        card.tabIndex = -1;
        card.focus();
      }
    } catch (error) {
      if (isAlert) keep(form);  // no connection: the alert waits on the device
      else say(text.msgOffline);  // the same client_id makes a retry safe
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
        (found) => {
          lon.value = found.coords.longitude.toFixed(6);
          lat.value = found.coords.latitude.toFixed(6);
          note.textContent = locate.dataset.msgDone.replace(
            "{metres}", String(Math.round(found.coords.accuracy)));
        },
        () => { lon.value = ""; lat.value = ""; note.textContent = locate.dataset.msgFailed; },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
      );
    });
    // form.reset() leaves hidden inputs as they are: the next alert starts without a point
    form.addEventListener("reset", () => { lon.value = ""; lat.value = ""; note.textContent = ""; });
  }

  markPressed(live);
  showOutbox();
  connect();
})();
