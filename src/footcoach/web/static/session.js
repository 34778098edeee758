/* footcoach: the guided session in the browser.
 *
 * Player is footcoach.domain.guide.Player in JavaScript: a state machine over the script the
 * API answers, driven by timestamps passed in. Step k ends at origin + the durations of steps
 * 0..k, where origin is the start plus the time spent paused (shifted by skips), so the timers
 * never drift, and a late call catches up with every step it passed, in order.
 *
 * The page around it: a beep (Web Audio) at each change, spoken cues when the voice setting is
 * on, vibration, the screen kept awake, and each finished item handed to the outbox at once
 * (static/pwa.js, loaded first by base.html): it waits on this device until footcoach has it, and
 * is sent when the browser is back online. The session goes on without the network: the start
 * answer is kept in localStorage ("footcoach.started", by slot), so a reload with no network
 * (the service worker serves the page) carries on at the first item neither saved nor waiting.
 * No dependencies, no build step, no inline script (CSP-friendly).
 */
(function () {
  "use strict";

  const WORK = new Set(["hold", "rep", "timed"]);
  const LEAD_IN = new Set(["get_ready", "rest", "switch_side"]);
  const SESSION_DONE = "That's the session done. Well done.";

  // --- the player (mirrors domain/guide.py) ------------------------------------------------

  class Player {
    constructor(steps) {
      this.steps = steps;
      this.starts = [];
      let total = 0;
      for (const s of steps) {
        if (s.duration_s < 0) throw new Error("a step cannot last less than 0 seconds");
        this.starts.push(total);
        total += s.duration_s;
      }
      this.ends = steps.length ? this.starts.slice(1).concat([total]) : [];
      this.total = total;
      this.first = [];
      this.last = new Array(steps.length).fill(0);
      steps.forEach((s, k) => {
        this.first.push(k === 0 || steps[k - 1].item !== s.item ? k : this.first[k - 1]);
      });
      for (let k = steps.length - 1; k >= 0; k--) {
        const same = k + 1 < steps.length && steps[k + 1].item === steps[k].item;
        this.last[k] = same ? this.last[k + 1] : k;
      }
      this.origin = null;
      this.index = 0;
      this.pausedAt = null;
      this.pausedTotal = 0;
      this.finished = false;
      this.completed = false;
      this.finalT = 0;
      this.lastTick = null;
      this._resetItem();
    }

    get started() { return this.origin !== null; }
    get paused() { return this.pausedAt !== null; }
    get current() { return this.finished || !this.steps.length ? null : this.steps[this.index]; }

    elapsed(now) {
      if (this.origin === null) return 0;
      if (this.finished) return this.finalT;
      const at = this.pausedAt !== null ? this.pausedAt : now;
      return Math.min(Math.max(0, at - this.origin), this.total);
    }

    snapshot(now) {
      const t = this.elapsed(now);
      if (this.finished || !this.steps.length) {
        return { index: this.index, step: null, secondsLeft: 0, sessionDone: t,
          sessionTotal: this.total, paused: false, finished: true };
      }
      const k = this.index;
      return { index: k, step: this.steps[k], secondsLeft: Math.max(0, this.ends[k] - t),
        sessionDone: t, sessionTotal: this.total, paused: this.paused, finished: false };
    }

    /** The next instant the display changes (a whole second ticks or the step ends). */
    nextDeadline(now) {
      if (this.origin === null || this.finished || this.pausedAt !== null) return null;
      const end = this.origin + this.ends[this.index];
      const left = end - now;
      if (left <= 0) return now;
      return end - (Math.ceil(left) - 1);
    }

    start(now) {
      if (this.origin !== null) return [];
      this.origin = now;
      const events = [];
      if (!this.steps.length) {
        this._finish(now, true, events);
        return events;
      }
      this._enter(0, now, events);
      return events.concat(this._catchUp(now));
    }

    advance(now) {
      if (this.origin === null) return this.start(now);
      if (this.finished || this.pausedAt !== null) return [];
      return this._catchUp(now);
    }

    pause(now) {
      if (this.origin === null || this.finished || this.pausedAt !== null) return [];
      const events = this._catchUp(now);
      if (this.finished) return events;
      this.pausedAt = now;
      events.push({ type: "say", at: now, text: "Paused." });
      return events;
    }

    resume(now) {
      if (this.origin === null || this.pausedAt === null || this.finished) return [];
      const pausedFor = Math.max(0, now - this.pausedAt);
      this.origin += pausedFor;
      this.pausedTotal += pausedFor;
      this.pausedAt = null;
      return [{ type: "say", at: now, text: "Go on." }].concat(this._catchUp(now));
    }

    /** Record what was done of the current item, marked skipped, and go to the next one. */
    skipItem(now) {
      if (this.origin === null || this.finished) return [];
      const events = this.pausedAt === null ? this._catchUp(now) : [];
      if (this.finished) return events;
      const k = this.index;
      this._addPartial(k, now);
      events.push({ type: "item", at: now, summary: this._summary(k, true) });
      this._resetItem();
      const next = this.last[k] + 1;
      if (next >= this.steps.length) {
        this._finish(now, true, events);
        return events;
      }
      const at = this.pausedAt !== null ? this.pausedAt : now;
      this.origin = at - this.starts[next];
      this._enter(next, now, events);
      return this.pausedAt === null ? events.concat(this._catchUp(now)) : events;
    }

    /** Stop: the current item is recorded (skipped) when any of it was begun. */
    quit(now) {
      if (this.finished) return [];
      let events = [];
      if (this.origin === null) {
        this.origin = now;
      } else if (this.pausedAt === null) {
        events = this._catchUp(now);
        if (this.finished) return events;
      }
      if (this.steps.length) {
        const k = this.index;
        if (k > this.first[k]) {
          this._addPartial(k, now);
          events.push({ type: "item", at: now, summary: this._summary(k, true) });
        }
      }
      this._finish(now, false, events);
      this.pausedAt = null;
      return events;
    }

    _resetItem() { this.reps = 0; this.sets = 0; this.workS = 0; }

    _summary(k, skipped) {
      const s = this.steps[k];
      return { position: s.item, exercise: s.exercise, sets_done: this.sets,
        reps_done: this.reps, seconds_done: Math.floor(this.workS + 1e-6), skipped: skipped };
    }

    _addPartial(k, now) {
      const step = this.steps[k];
      if (WORK.has(step.kind)) {
        const done = this.elapsed(now) - this.starts[k];
        this.workS += Math.min(Math.max(0, done), step.duration_s);
      }
    }

    _enter(k, at, events) {
      this.index = k;
      this.lastTick = null;
      const step = this.steps[k];
      events.push({ type: "step", at: at, index: k, step: step });
      if (step.bell) events.push({ type: "bell", at: at });
      if (step.say) events.push({ type: "say", at: at, text: step.say });
    }

    _finish(at, completed, events) {
      this.finalT = completed ? this.total : this.elapsed(at);
      this.finished = true;
      this.completed = completed;
      if (completed) {
        events.push({ type: "bell", at: at });
        events.push({ type: "say", at: at, text: SESSION_DONE });
      }
      events.push({ type: "end", at: at, completed: completed });
    }

    _catchUp(now) {
      const events = [];
      const t = now - this.origin;
      while (!this.finished && this.ends[this.index] <= t) {
        const k = this.index;
        const at = this.origin + this.ends[k];
        const step = this.steps[k];
        if (WORK.has(step.kind)) this.workS += step.duration_s;
        if (step.completes_rep) this.reps += 1;
        if (step.completes_set) this.sets += 1;
        if (this.last[k] === k) {
          events.push({ type: "item", at: at, summary: this._summary(k, false) });
          this._resetItem();
        }
        if (k + 1 >= this.steps.length) this._finish(at, true, events);
        else this._enter(k + 1, at, events);
      }
      if (!this.finished) {
        const left = Math.ceil(Math.max(0, this.ends[this.index] - t));
        if (left !== this.lastTick) {
          this.lastTick = left;
          events.push({ type: "tick", at: now, index: this.index, secondsLeft: left });
        }
      }
      return events;
    }
  }

  // --- words ---------------------------------------------------------------------------------

  /** "set 2 of 3 · rep 4 of 12 · left foot"; on get-ready, rest and switch: what comes next. */
  function counters(step) {
    const parts = [];
    if (step.sets > 1) parts.push(`set ${step.set_no} of ${step.sets}`);
    if (step.reps > 1 && step.rep_no > 0) {
      const what = step.kind === "hold" || step.kind === "relax" ? "hold" : "rep";
      parts.push(`${what} ${step.rep_no} of ${step.reps}`);
    }
    if (step.side) parts.push(`${step.side} foot`);
    const text = parts.join(" · ");
    return LEAD_IN.has(step.kind) && text ? `next: ${text}` : text;
  }

  /** The big number: seconds, or minutes and seconds from one minute up. */
  function clockText(seconds) {
    const s = Math.max(0, Math.ceil(seconds));
    if (s < 60) return String(s);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  }

  function nextText(steps, k) {
    const step = steps[k];
    const next = steps[k + 1];
    if (!next) return "Last step of the session.";
    if (next.item !== step.item) return `Next exercise: ${next.name}`;
    return `Next: ${next.text}`;
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { Player, counters, clockText, nextText };
    return;
  }

  // --- the page ------------------------------------------------------------------------------

  const STARTED = "footcoach.started";
  const OFFLINE_TEXT = "Offline — saved on this device, will send when back online.";
  const QUEUED_TEXT = "What you did and how it went are kept on this device until footcoach has them. You can close this page: they are sent when the connection is back.";
  const $ = (id) => document.getElementById(id);
  const dataNode = $("session-data");
  if (!dataNode) return;
  const data = JSON.parse(dataNode.textContent);
  const outbox = window.footcoach && window.footcoach.outbox;
  if (!outbox) return; // static/pwa.js did not load: the plain form still works
  const guide = $("guide");
  let player = null;
  let session = null;
  let speed = 1;
  let t0 = 0;
  let timer = null;
  let audio = null;
  let wakeLock = null;
  let speaking = false;
  let waitingWords = null;
  let savedCount = 0;
  let completed = false;
  let finishAnswered = false;
  let sendFailed = false; // a send to footcoach failed, and what it carried still waits
  let recovered = false; // what waited after a failure has since been sent

  const clock = () => ((performance.now() - t0) / 1000) * speed;

  function show(id, visible) { $(id).hidden = !visible; }
  function setText(id, text) { $(id).textContent = text; }
  function setState(state) { if (guide) guide.dataset.state = state; }

  function announce(text, urgent) {
    const node = $(urgent ? "live-assertive" : "live-polite");
    // a trailing no-break space that alternates makes a repeated text count as a change
    node.textContent = node.textContent === text ? `${text}\u00a0` : text;
  }

  // sound, speech, vibration, wake lock: each is optional and fails quietly

  function initAudio() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) {
      try { audio = new Context(); } catch (err) { audio = null; }
    }
    if (audio && audio.state === "suspended") audio.resume().catch(() => {});
  }

  function beep() {
    if (!audio) return;
    const t = audio.currentTime;
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = "sine";
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.3, t + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.18);
    osc.connect(gain).connect(audio.destination);
    osc.start(t);
    osc.stop(t + 0.2);
  }

  /** Speak; a cue that comes while one is spoken waits, and only the newest waiting one is kept. */
  function speak(text) {
    if (!data.voice || !text || !("speechSynthesis" in window)) return;
    if (speaking) { waitingWords = text; return; }
    speaking = true;
    const words = new SpeechSynthesisUtterance(text);
    words.lang = "en";
    words.onend = words.onerror = () => {
      speaking = false;
      const next = waitingWords;
      waitingWords = null;
      if (next) speak(next);
    };
    window.speechSynthesis.speak(words);
  }

  function vibrate(pattern) {
    if (navigator.vibrate) {
      try { navigator.vibrate(pattern); } catch (err) { /* not allowed here */ }
    }
  }

  async function keepAwake() {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    try { wakeLock = await navigator.wakeLock.request("screen"); } catch (err) { wakeLock = null; }
  }

  function letSleep() {
    if (wakeLock) wakeLock.release().catch(() => {});
    wakeLock = null;
  }

  // saving: through the outbox (static/pwa.js); the start answer is kept for a reload offline

  async function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: outbox.headers(),
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
  }

  function loadStarted() {
    try { return JSON.parse(localStorage.getItem(STARTED) || "{}") || {}; } catch (err) { return {}; }
  }

  function storeStarted(all) {
    try { localStorage.setItem(STARTED, JSON.stringify(all)); } catch (err) { /* private mode */ }
  }

  const sameDay = (ms) => new Date(ms).toDateString() === new Date().toDateString();

  /** The start answer kept for this page's slot, when it was started today. */
  function keptStart() {
    const kept = loadStarted()[data.slot];
    return kept && kept.doc && sameDay(kept.at) ? kept : null;
  }

  /** Keep the start answer, with the positions saved or waiting; forget other days'. */
  function keepStart(doc, done) {
    const all = loadStarted();
    for (const slot of Object.keys(all)) if (!all[slot] || !sameDay(all[slot].at)) delete all[slot];
    all[data.slot] = { doc, done: Array.from(done), finished: false, at: Date.now() };
    storeStarted(all);
  }

  function updateKept(change) {
    const all = loadStarted();
    const kept = all[data.slot];
    if (!kept || !session || kept.doc.id !== session.id) return;
    change(kept);
    storeStarted(all);
  }

  function forgetStart(sessionId) {
    const all = loadStarted();
    if (all[data.slot] && all[data.slot].doc.id === sessionId) {
      delete all[data.slot];
      storeStarted(all);
    }
  }

  function waitingFor(sessionId) {
    return outbox.waiting(sessionId).filter((e) => e.kind === "item");
  }

  function showSaveStatus() {
    if (!session) return;
    const waiting = waitingFor(session.id).length;
    let text = savedCount ? "Every finished exercise is saved." : "";
    if (waiting && sendFailed) {
      text = `${waiting} exercise${waiting === 1 ? "" : "s"} not sent to footcoach yet. It keeps trying, and nothing is lost if you close this page.`;
    } else if (waiting) {
      text = "Saving…";
    }
    setText("save-status", text);
  }

  /** The line at the top of the guide: offline, what waits on this device after a send failed,
   * or all sent after one had. A save on its way (queued, not yet answered) says nothing: only
   * an outbox run that ended without sending everything (result.ok false) counts as a failure. */
  function showSync(result) {
    const node = $("sync-status");
    if (!node) return;
    const kept = session ? null : keptStart(); // before the start: what a reload left waiting
    const id = session ? session.id : kept && kept.doc.id;
    const waiting = id ? outbox.waiting(id).length : 0;
    if (result) {
      if (!result.ok && waiting) {
        sendFailed = true;
        recovered = false;
      } else if (result.ok && sendFailed && !waiting) {
        sendFailed = false;
        recovered = true;
      }
    }
    let text = "";
    if (outbox.offline() && (waiting || (player && !player.finished))) text = OFFLINE_TEXT;
    else if (sendFailed && waiting) text = "footcoach could not be reached — saved on this device, will send when it can.";
    else if (recovered) text = "Back online — everything saved on this device has been sent.";
    if (node.textContent !== text) node.textContent = text;
    node.hidden = !text;
  }

  function saveItem(summary) {
    outbox.add({ kind: "item", session: session.id, position: summary.position,
      url: `${data.api}/${session.id}/items`, body: summary });
    updateKept((kept) => { if (!kept.done.includes(summary.position)) kept.done.push(summary.position); });
    savedCount += 1;
    showSaveStatus();
    showSync();
    outbox.flush(); // its "footcoach:outbox" event updates the status lines
  }

  // the timer

  function render() {
    if (!player) return;
    const now = clock();
    const snap = player.snapshot(now);
    if (!snap.step) return;
    setText("countdown", clockText(snap.secondsLeft));
    $("progress").max = Math.max(1, snap.sessionTotal);
    $("progress").value = snap.sessionDone;
  }

  /** Which drawing a step shows: the held pose at a hold, the starting pose at a relax, a rest
   * or a switch, the movement while reps run freely. */
  function figurePose(step) {
    if (step.kind === "hold" || step.phase === "up" || step.phase === "hold") return "end";
    if (step.kind === "rep" || step.kind === "timed") return step.phase === "down" ? "start" : "moving";
    return "start";
  }

  const FIGURE_WORDS = {
    end: "the held position", start: "the starting position", moving: "the movement" };

  function showFigure(step) {
    const img = $("step-figure");
    if (!img || !step.exercise) return;
    const pose = figurePose(step);
    const query = pose === "moving" ? "" : `?pose=${pose}`;
    const src = `/api/v1/exercises/${encodeURIComponent(step.exercise)}/figure.svg${query}`;
    if (img.getAttribute("src") !== src) img.setAttribute("src", src);
    img.alt = `Drawing of ${step.name}: ${FIGURE_WORDS[pose]}` +
      (step.side ? `, ${step.side} foot` : "");
    img.dataset.pose = pose;
    img.classList.toggle("figure-left", step.side === "left");
    img.hidden = false;
  }

  /** The current exercise's how-to steps, copied from the page's list of the exercises. */
  function showHowTo(item) {
    const list = $("step-howto-list");
    if (!list || list.dataset.item === String(item)) return;
    const source = document.getElementById(`howto-${item}`);
    list.replaceChildren(...(source ? Array.from(source.children, (li) => li.cloneNode(true)) : []));
    list.dataset.item = String(item);
    $("step-howto").hidden = !list.children.length;
  }

  function showStep(k, step) {
    showHowTo(step.item);
    setText("step-where", `Exercise ${step.item + 1} of ${data.items}`);
    setText("step-name", step.name);
    showFigure(step);
    setText("step-cue", step.cue);
    setText("step-text", step.text);
    setText("step-counters", counters(step));
    setText("step-next", nextText(player.steps, k));
    if (step.kind === "switch_side") {
      announce(step.text, true);
      vibrate([200, 100, 200]);
    } else {
      announce(step.text, false);
    }
  }

  function handle(events) {
    for (const e of events) {
      if (e.type === "step") showStep(e.index, e.step);
      else if (e.type === "bell") { beep(); vibrate(120); }
      else if (e.type === "say") speak(e.text);
      else if (e.type === "item") saveItem(e.summary);
      else if (e.type === "end") end(e.completed);
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = null;
    if (!player || player.finished) return;
    const now = clock();
    const deadline = player.nextDeadline(now);
    if (deadline === null) return;
    const wait = Math.max(0, ((deadline - now) / speed) * 1000) + 1;
    timer = setTimeout(() => pump(player.advance(clock())), Math.min(wait, 1000));
  }

  function pump(events) {
    handle(events);
    render();
    schedule();
  }

  function togglePause() {
    if (!player || player.finished) return;
    if (player.paused) {
      pump(player.resume(clock()));
      keepAwake();
      announce("Going on.", false);
    } else {
      pump(player.pause(clock()));
      if (player.finished) return;
      announce("Paused.", false);
    }
    const paused = player.paused;
    setState(paused ? "paused" : "running");
    show("paused", paused);
    setText("pause", paused ? "Resume" : "Pause");
  }

  function skip() {
    if (player && !player.finished) pump(player.skipItem(clock()));
  }

  function stop() {
    if (player && !player.finished) pump(player.quit(clock()));
  }

  function end(ranToEnd) {
    completed = ranToEnd;
    clearTimeout(timer);
    letSleep();
    setState("ended");
    show("player", false);
    show("end", true);
    setText("end-title", ranToEnd ? SESSION_DONE : "Session stopped");
    setText("end-text", ranToEnd
      ? "How did it go? Your answers help footcoach adjust the coming days."
      : "What you did is saved. You can carry on later from Today, or end the session here and say how it went.");
    setText("end-submit", ranToEnd ? "Save how it went" : "End the session here");
    announce(ranToEnd ? SESSION_DONE : "Session stopped. What you did is saved.", true);
    $("end-title").focus();
  }

  async function begin() {
    const button = $("start");
    button.disabled = true;
    setText("start-error", "");
    initAudio();
    const before = await outbox.flush();
    if (before.sent) { window.location.reload(); return; }
    let response;
    try {
      response = await post(data.api, { slot: data.slot });
    } catch (err) {
      const kept = keptStart();
      if (kept && !kept.finished) { run(kept.doc, kept.done); return; } // carry on offline
      setText("start-error", "footcoach could not be reached. Check the connection and try again.");
      button.disabled = false;
      return;
    }
    const body = await response.json().catch(() => null);
    if (!response.ok || !body) {
      setText("start-error", (body && body.detail) || "footcoach could not start this session. Try again.");
      button.disabled = false;
      return;
    }
    const done = body.done.concat(waitingFor(body.id).map((e) => e.body.position));
    keepStart(body, done);
    run(body, done);
  }

  /** Play what is left of a started session: its script less the items saved or waiting. */
  function run(doc, done) {
    session = doc;
    speed = Number(doc.speed) || 1;
    const saved = new Set(done.concat(waitingFor(doc.id).map((e) => e.body.position)));
    const steps = doc.script.filter((s) => !saved.has(s.item));
    document.getElementById("plain").hidden = true;
    show("guide-start", false);
    showSync();
    if (!steps.length) { end(true); return; }
    show("player", true);
    setState("running");
    keepAwake();
    player = new Player(steps);
    t0 = performance.now();
    pump(player.start(clock()));
    showSaveStatus();
    showSync();
    $("player").focus();
  }

  function scaleValue(form, name) {
    const picked = form.querySelector(`input[name="${name}"]:checked`);
    return picked ? Number(picked.value) : null;
  }

  function fieldError(name, message) {
    const group = $(`end-${name}`);
    setText(`end-${name}-msg`, message);
    if (message) group.setAttribute("aria-invalid", "true");
    else group.removeAttribute("aria-invalid");
  }

  async function submitEnd(event) {
    event.preventDefault();
    const form = event.target;
    const body = { completed, pain_during: scaleValue(form, "pain_during"), effort: scaleValue(form, "effort") };
    let missing = false;
    for (const name of ["pain_during", "effort"]) {
      const bad = body[name] === null;
      fieldError(name, bad ? "Choose a number from 0 to 10." : "");
      missing = missing || bad;
    }
    if (missing) return;
    outbox.add({ kind: "finish", session: session.id, url: `${data.api}/${session.id}/finish`, body });
    updateKept((kept) => { kept.finished = true; });
    finishAnswered = false;
    $("end-submit").disabled = true;
    setText("end-error", "");
    await outbox.flush(); // the answer, when there is one, comes as a "footcoach:sent" event
    $("end-submit").disabled = false;
    if (!finishAnswered) showQueued();
  }

  /** footcoach answered the finish, now or once back online. */
  function onFinishAnswer(status, done) {
    finishAnswered = true;
    if (status < 400) {
      forgetStart(session.id);
      showResult(done);
      return;
    }
    updateKept((kept) => { kept.finished = false; });
    setState("ended");
    show("result", false);
    show("end", true);
    setText("end-error", (done && done.detail) || "footcoach could not save this.");
  }

  /** The answers wait on this device: say so; the outbox sends them when it can. */
  function showQueued() {
    setState("queued");
    show("end", false);
    show("result", true);
    setText("result-title", "Saved on this device");
    setText("result-text", QUEUED_TEXT);
    show("result-prompt", false);
    announce($("result-text").textContent, false);
    showSync();
    $("result-title").focus();
  }

  function showResult(done) {
    setState("finished");
    show("end", false);
    show("result", true);
    setText("result-title", "Saved");
    const adjustment = done.adjustment;
    setText("result-text", adjustment
      ? `Saved. ${(data.actions || {})[adjustment.action] || adjustment.action}. ${adjustment.reason}`
      : "Saved. Well done.");
    const prompt = done.clinician_prompt;
    show("result-prompt", Boolean(prompt));
    if (prompt) setText("result-prompt", `${prompt.reasons.join(" ")} ${prompt.advice}`);
    announce($("result-text").textContent, false);
    showSync();
    $("result-title").focus();
  }

  function onKey(event) {
    if (!player || player.finished || event.ctrlKey || event.metaKey || event.altKey) return;
    const tag = event.target.tagName;
    if (event.key === " " || event.code === "Space") {
      if (tag === "BUTTON" || tag === "A") return; // the focused control's own click
      event.preventDefault();
      togglePause();
    } else if (event.key === "s" || event.key === "S") {
      event.preventDefault();
      skip();
    } else if (event.key === "q" || event.key === "Q") {
      event.preventDefault();
      stop();
    }
  }

  /** A line at the top of the guide, read out politely as it changes (the template has none). */
  function addSyncStatus() {
    const node = document.createElement("p");
    node.id = "sync-status";
    node.className = "guide-save";
    node.setAttribute("role", "status");
    node.dataset.testid = "sync-status";
    node.hidden = true;
    $("guide-title").after(node);
  }

  /** A page kept by the service worker may be older than what this device knows: say so. */
  function restoreKept() {
    const kept = keptStart();
    if (!kept) return;
    if (kept.finished) {
      if (!outbox.waiting(kept.doc.id).some((e) => e.kind === "finish")) return;
      session = kept.doc;
      document.getElementById("plain").hidden = true;
      show("guide-start", false);
      showQueued();
      return;
    }
    const saved = new Set(kept.done.concat(waitingFor(kept.doc.id).map((e) => e.body.position)));
    if (data.state !== "pending" || !saved.size) return;
    const count = data.items;
    const intro = $("guide-start").querySelector("p");
    if (intro) {
      intro.textContent = `You started this session earlier: ${saved.size} of ${count} exercise${count === 1 ? "" : "s"} saved. It carries on from the first one not saved yet.`;
    }
    setText("start", "Carry on");
  }

  // wiring

  window.addEventListener("footcoach:sent", (event) => {
    const { entry, status, body } = event.detail;
    if (!session || entry.session !== session.id || entry.kind !== "finish") return;
    event.preventDefault(); // shown here, not at the top of the page
    onFinishAnswer(status, body);
  });
  window.addEventListener("footcoach:outbox", (event) => {
    showSync(event.detail); // first: it notes whether a send failed
    showSaveStatus();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible" || !player || player.finished) return;
    if (!player.paused) keepAwake();
    pump(player.advance(clock()));
  });

  const notice = $("needs-js");
  if (notice) notice.hidden = true;
  if (!guide) return;
  guide.hidden = false;
  addSyncStatus();
  $("start").addEventListener("click", begin);
  $("pause").addEventListener("click", togglePause);
  $("skip").addEventListener("click", skip);
  $("stop").addEventListener("click", stop);
  $("player").addEventListener("keydown", onKey);
  $("end-form").addEventListener("submit", submitEnd);
  $("end-form").addEventListener("change", (event) => fieldError(event.target.name, ""));
  restoreKept();
  showSync();
  outbox.loaded.then((result) => {
    // what waited was sent before this page was drawn: draw it again (unless under way)
    if (result.sent && !player && !finishAnswered) window.location.reload();
  });
})();
