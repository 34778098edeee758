/* footcoach's account pages. After logging out (a notice marked data-clear-offline), ask the
 * service worker to delete its copies of the person's pages: Clear-Site-Data "cache" on the
 * logout answer clears the browser's HTTP cache, this clears the worker's Cache Storage. */
"use strict";
(function () {
  if (!document.querySelector("[data-clear-offline]")) return;
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.ready.then((registration) => {
    const worker = navigator.serviceWorker.controller || registration.active;
    if (worker) worker.postMessage({ type: "clear" });
  }).catch(() => {});
})();
