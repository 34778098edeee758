/* footcoach's service worker: today's program and the session pages keep working offline.
 *
 * Served at /sw.js by footcoach.web.routes.pwa, which writes a first line before this file:
 *   self.FOOTCOACH = {"version": "<footcoach version>-<hash of the precached files>",
 *                     "precache": ["/static/footcoach.css", ...]};
 * so a release that changes any precached file is a new worker: it installs its own static cache,
 * and deletes the older ones when it takes over.
 *
 * What it does with each request:
 * - the precached static files (css, scripts, htmx, icons, manifest, offline page): cache first;
 * - the exercise figures (/api/v1/exercises/<id>/figure.svg, moving or one pose): cache first, in
 *   the same versioned cache; on install every exercise's figure, its start and its end pose are
 *   fetched (best effort: when that fails, say before logging in, each is kept when first shown);
 * - navigations to /today and /session/<slot>, and GET /api/v1/today: network first; a good answer
 *   (200, not redirected) is copied into the pages cache, and that copy is answered when the
 *   network is gone (it carries an X-Footcoach-Offline-Copy header: when it was kept);
 * - other navigations: the network, or the offline page when it is gone;
 * - anything else, above all every POST, is left alone: never cached, never answered from a
 *   cache. A guided session queues its saves itself (the outbox in static/pwa.js).
 *
 * Privacy: the pages cache holds one person's program, in this browser only (Cache Storage
 * belongs to this origin in this browser profile and is never shared). When accounts log out,
 * the web layer clears it: postMessage({type: "clear"}) deletes the pages cache, and answers
 * {type: "cleared"} on the message's port when one is given (static/pwa.js deletes the same
 * caches itself when a form posts to /logout).
 *
 * Messages: {type: "warm", urls, fresh} keeps copies of those pages (today's page, its
 * sessions) for offline use; a copy kept today is fetched again only when its URL is in fresh.
 * Answers {type: "warmed", urls: [the URLs now kept]} on the port. {type: "clear"}: see above.
 */
"use strict";

const CONFIG = self.FOOTCOACH || { version: "dev", precache: [] };
const STATIC_CACHE = `footcoach-static-${CONFIG.version}`;
/* Not renamed by a release: an upgrade keeps the copies of today's pages. */
const PAGES_CACHE = "footcoach-pages-v1";
const OFFLINE_PAGE = "/static/offline.html";
const COPY_HEADER = "X-Footcoach-Offline-Copy";
const PRECACHED = new Set(CONFIG.precache);
const FIGURE = /^\/api\/v1\/exercises\/[A-Za-z0-9_-]+\/figure\.svg$/;

/** Kept for offline use: today's page, the session pages, today's program as JSON. */
function keepable(url) {
  return url.origin === self.location.origin && (
    url.pathname === "/today" ||
    url.pathname === "/api/v1/today" ||
    /^\/session\/[A-Za-z0-9_-]+$/.test(url.pathname));
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then((cache) => cache.addAll(CONFIG.precache.map((url) => new Request(url, { cache: "reload" }))))
      .then(precacheFigures)
      .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names
        .filter((name) => name.startsWith("footcoach-static-") && name !== STATIC_CACHE)
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // posts go to the network as they are, never cached
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if ((PRECACHED.has(url.pathname) && !url.search) || FIGURE.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (keepable(url) && (request.mode === "navigate" || url.pathname === "/api/v1/today")) {
    event.respondWith(networkFirst(event));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
  }
});

async function cacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/** Every exercise's figure and its two still poses, for the session pages offline. Never fails. */
async function precacheFigures() {
  try {
    const response = await fetch("/api/v1/exercises", { credentials: "same-origin" });
    if (!response.ok) return;
    const ids = (await response.json()).map((exercise) => exercise.id);
    const cache = await caches.open(STATIC_CACHE);
    const urls = ids.flatMap((id) => ["", "?pose=start", "?pose=end"]
      .map((query) => `/api/v1/exercises/${encodeURIComponent(id)}/figure.svg${query}`));
    await Promise.all(urls.map((url) => cache.add(url).catch(() => null)));
  } catch (err) {
    // offline, or not logged in yet: each figure is kept when it is first shown
  }
}

async function networkFirst(event) {
  const request = event.request;
  let response;
  try {
    response = await fetch(request);
  } catch (err) {
    const copy = await caches.open(PAGES_CACHE).then((cache) => cache.match(request.url, { ignoreVary: true }));
    if (copy) return copy;
    if (request.mode === "navigate") return offlinePage();
    throw err;
  }
  if (worthKeeping(response)) event.waitUntil(keep(request.url, response.clone()));
  return response;
}

function worthKeeping(response) {
  return response.status === 200 && response.type === "basic" && !response.redirected;
}

/** Store a copy, stamped with when it was kept. */
async function keep(url, response) {
  const headers = new Headers(response.headers);
  headers.set(COPY_HEADER, new Date().toISOString());
  const copy = new Response(await response.blob(),
    { status: response.status, statusText: response.statusText, headers });
  const cache = await caches.open(PAGES_CACHE);
  await cache.put(url, copy);
}

async function offlinePage() {
  const page = await caches.match(OFFLINE_PAGE);
  return page || new Response("footcoach is offline.", {
    status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

function keptToday(response) {
  const stamp = response && response.headers.get(COPY_HEADER);
  return Boolean(stamp) && new Date(stamp).toDateString() === new Date().toDateString();
}

/** Keep copies of these pages; answers the URLs that have one now. */
async function warm(urls, fresh) {
  const cache = await caches.open(PAGES_CACHE);
  const again = new Set((fresh || []).map((u) => new URL(u, self.location.origin).href));
  const kept = [];
  for (const raw of urls) {
    const url = new URL(raw, self.location.origin);
    if (!keepable(url)) continue;
    const earlier = await cache.match(url.href, { ignoreVary: true });
    if (!keptToday(earlier) || again.has(url.href)) {
      try {
        const response = await fetch(url.href, { credentials: "same-origin", cache: "no-store" });
        if (worthKeeping(response)) {
          await keep(url.href, response);
          kept.push(url.href);
          continue;
        }
      } catch (err) { /* offline: an earlier copy still serves */ }
    }
    if (earlier) kept.push(url.href);
  }
  return kept;
}

async function clearPersonal() {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith("footcoach-pages-")).map((n) => caches.delete(n)));
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  const port = event.ports && event.ports[0];
  const reply = (answer) => { if (port) port.postMessage(answer); };
  if (message.type === "clear") {
    event.waitUntil(clearPersonal().then(() => reply({ type: "cleared" })));
  } else if (message.type === "warm") {
    event.waitUntil(warm(message.urls || [], message.fresh)
      .then((urls) => reply({ type: "warmed", urls }))
      .catch(() => reply({ type: "warmed", urls: [] })));
  }
});
