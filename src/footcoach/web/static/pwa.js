/* footcoach offline, on every page (base.html).
 *
 * 1. The service worker (/sw.js, see static/sw.js): registered when the browser has them (they
 *    need a secure context: https, or http on localhost/127.0.0.1). Each page then asks it to
 *    keep a copy of itself when it is today's page or a session page, and today's page asks for
 *    its session pages too, so a session started at home goes on in a room with no network.
 *    <html data-offline="ready"> says when the worker has answered.
 *
 * 2. The outbox: saves that must reach footcoach (a guided session's items and its finish) wait
 *    in localStorage ("footcoach.pending"), each with its own idempotency key, and are sent in
 *    order, one at a time: on every page load, when the browser is back online, when a hidden page
 *    is shown again, every 15 seconds while any wait, and when asked (footcoach.outbox.flush()).
 *    An entry leaves the outbox only once footcoach has answered it: a 2xx, or a 4xx saying it
 *    can never be saved (shown at the top of the page). A network failure, a 5xx, 401, 403, 408
 *    or 429 keeps it for the next try. Sending one again after an answer was lost is harmless:
 *    footcoach saves an item once per (session, position), whatever the key, and answers the
 *    record saved first; finishing again with the same answers changes nothing.
 *
 *    Events on window: "footcoach:sent" {entry, status, body} for each answered entry
 *    (cancelable: preventDefault() when the page shows a refusal itself), and
 *    "footcoach:outbox" {ok, sent, offline, waiting} after each run.
 *
 *    Each entry keeps whose it is (<meta name="footcoach-owner">: the logged-in account, or
 *    local mode's one person). A page sends only its own person's entries and counts only
 *    those as waiting; a page seen logged out sends none. So when one person logs out with
 *    saves still waiting (no network), they stay on this device, untouched, until that person
 *    logs in here again: never sent on someone else's login, never dropped as refused.
 */
(function () {
  "use strict";

  const QUEUE = "footcoach.pending";
  const RETRY_MS = 15000;
  const LOCK = "footcoach-outbox";
  let memory = null; // the queue, when localStorage refuses to keep it (private mode, full)
  let flushing = null;
  let offline = !navigator.onLine;

  /** Whose saves this page may send ("" when nobody is logged in). */
  function owner() {
    const meta = document.querySelector('meta[name="footcoach-owner"]');
    return meta ? meta.content : "";
  }

  /** An entry this page may send; one queued before entries kept their owner goes with whoever
   * is logged in (footcoach refuses it for anyone but its person). */
  function mine(entry) {
    const me = owner();
    return me !== "" && (entry.owner === undefined || entry.owner === me);
  }

  function load() {
    if (memory) return memory.slice();
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (err) { return []; }
  }

  function store(queue) {
    if (!memory) {
      try { localStorage.setItem(QUEUE, JSON.stringify(queue)); return; } catch (err) { /* below */ }
    }
    memory = queue.slice();
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** Queue a save: {kind: "item"|"finish", session, url, body, position?}. An item already waiting
   * at that position stays as it is (footcoach keeps the first one anyway); a finish replaces a
   * finish of the same session that is still waiting. Answers the entry queued. */
  function add(entry) {
    let queue = load();
    entry = Object.assign({}, entry, { owner: owner() });
    if (entry.kind === "item") {
      const same = queue.find((e) => mine(e) && e.kind === "item" &&
        e.session === entry.session && e.position === entry.position);
      if (same) return same;
    } else {
      queue = queue.filter((e) => !(mine(e) && e.kind === entry.kind && e.session === entry.session));
    }
    const key = newKey();
    const queued = Object.assign({}, entry, { key, queuedAt: new Date().toISOString() });
    // footcoach echoes an item's key; a finish takes no key in its body (the header has it)
    if (entry.kind === "item") queued.body = Object.assign({}, entry.body, { key });
    queue.push(queued);
    store(queue);
    return queued;
  }

  /** A save's headers: JSON, and the page's CSRF token (multi-user mode) read when it is sent,
   * so a save queued on an older page goes with the current session's token. */
  function headers(extra) {
    const all = Object.assign({ "Content-Type": "application/json", Accept: "application/json" }, extra);
    const meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) all["X-CSRF-Token"] = meta.content;
    return all;
  }

  function waiting(session) {
    const queue = load().filter(mine);
    return session === undefined ? queue : queue.filter((e) => e.session === session);
  }

  function emit(name, detail, cancelable) {
    const event = new CustomEvent(name, { detail, cancelable: Boolean(cancelable) });
    window.dispatchEvent(event);
    return event;
  }

  /** Send what waits; resolves to {ok, sent, offline}: ok when nothing is left waiting. */
  function flush() {
    if (flushing) {
      // a run under way may have looked at the queue already: go again once it is over
      return flushing.then((first) => flush().then((again) => Object.assign({}, again,
        { sent: first.sent + again.sent })));
    }
    const run = navigator.locks
      ? () => navigator.locks.request(LOCK, sendWaiting) // one sender for all this site's tabs
      : sendWaiting;
    flushing = run().catch(() => ({ ok: false, sent: 0, offline })).then((result) => {
      flushing = null;
      offline = result.offline;
      emit("footcoach:outbox", Object.assign({ waiting: waiting().length }, result));
      return result;
    });
    return flushing;
  }

  function retryLater(status) {
    return status >= 500 || status === 401 || status === 403 || status === 408 || status === 429;
  }

  async function sendWaiting() {
    let sent = 0;
    for (;;) {
      const queue = waiting();
      if (!queue.length) return { ok: true, sent, offline: false };
      const entry = queue[0];
      let response;
      try {
        response = await fetch(entry.url, {
          method: "POST",
          headers: headers({ "Idempotency-Key": entry.key }),
          body: JSON.stringify(entry.body),
          credentials: "same-origin",
          redirect: "manual", // a redirect (to a login page, say) is no answer
        });
      } catch (err) {
        return { ok: false, sent, offline: true };
      }
      if (response.type === "opaqueredirect" || retryLater(response.status)) {
        return { ok: false, sent, offline: false };
      }
      const body = await response.json().catch(() => null);
      store(load().filter((e) => e.key !== entry.key));
      sent += 1;
      const event = emit("footcoach:sent", { entry, status: response.status, body }, true);
      if (response.status >= 400 && !event.defaultPrevented) refused(entry, body);
    }
  }

  /** A save footcoach refused for good: say so at the top of the page. */
  function refused(entry, body) {
    const main = document.getElementById("main");
    if (!main) return;
    const note = document.createElement("p");
    note.className = "notice error";
    note.setAttribute("role", "alert");
    note.dataset.testid = "outbox-refused";
    const what = entry.kind === "finish" ? "how a session went" : "an exercise of a session";
    note.textContent = `footcoach could not save ${what} kept on this device: ` +
      ((body && body.detail) || "it was refused.");
    main.insertBefore(note, main.firstChild);
  }

  const outbox = { add, waiting, flush, headers, offline: () => offline || !navigator.onLine };
  outbox.loaded = flush(); // on page load
  window.footcoach = Object.assign(window.footcoach || {}, { outbox });

  window.addEventListener("online", () => { flush(); });
  window.addEventListener("offline", () => {
    offline = true;
    emit("footcoach:outbox", { ok: !waiting().length, sent: 0, offline: true, waiting: waiting().length });
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && waiting().length) flush();
  });
  setInterval(() => { if (!flushing && waiting().length) flush(); }, RETRY_MS);
  // logging out (multi-user mode): first send what waits, while the session is there, then
  // forget this person's things in this browser: the worker's copies of their pages and the
  // kept start answers. What could not be sent stays, this person's, until they log in here
  // again; the person is told so, and may stay logged in instead.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || new URL(form.action, location.href).pathname !== "/logout") return;
    event.preventDefault();
    const patience = new Promise((resolve) => { setTimeout(resolve, 5000); });
    Promise.race([waiting().length ? flush() : null, patience])
      .then(() => {
        const left = waiting().length;
        if (left && !window.confirm(`${left} save${left > 1 ? "s" : ""} of your sessions ` +
          "could not reach footcoach yet (no network?). They stay on this device and are sent " +
          "when you next log in here. Log out anyway?")) return false;
        return forgetPerson().then(() => true);
      })
      .catch(() => true)
      .then((out) => { if (out) form.submit(); });
  });
  if (location.pathname === "/today") {
    // today's page was drawn before what waited was sent: draw it again
    outbox.loaded.then((result) => { if (result.sent) location.reload(); });
  }

  async function forgetPerson() {
    try { localStorage.removeItem("footcoach.started"); } catch (err) { /* private mode */ }
    if (!window.caches) return;
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith("footcoach-pages-")).map((n) => caches.delete(n)));
  }

  // --- the service worker ------------------------------------------------------------------

  if (!("serviceWorker" in navigator)) return;
  const controlled = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.register("/sw.js", { scope: "/" })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => warm(registration.active))
    .catch(() => { /* no worker (an insecure origin, say): pages need the network */ });

  function warm(worker) {
    const here = location.pathname + location.search;
    const urls = [here];
    if (location.pathname === "/today") {
      document.querySelectorAll('a[href^="/session/"]').forEach((a) => urls.push(a.getAttribute("href")));
      urls.push("/api/v1/today");
    }
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { document.documentElement.dataset.offline = "ready"; };
    // a page the worker did not serve came from the network just now: keep it afresh
    worker.postMessage({ type: "warm", urls, fresh: controlled ? [] : [here] }, [channel.port2]);
  }
})();
