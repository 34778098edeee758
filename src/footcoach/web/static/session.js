/* footcoach: the guided session in the browser.
 *
 * Player is footcoach.domain.guide.Player in JavaScript: a state machine over the script the
 * API answers, driven by timestamps passed in. Step k ends at origin + the durations of steps
 * 0..k, where origin is the start plus the time spent paused (shifted by skips), so the timers
 * never drift, and a late call catches up with every step it passed, in order.
 *
 * The page around it: a beep (Web Audio) at each change, spoken cues when the voice setting is
 * on, vibration, the screen kept awake, and each finished item posted at once; posts that fail
 * wait in localStorage and are sent again on the next item, when the browser is back online,
 * and on the next load. No dependencies, no build step, no inline script (CSP-friendly).
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

  const QUEUE = "footcoach.pending";
  const $ = (id) => document.getElementById(id);
  const dataNode = $("session-data");
  if (!dataNode) return;
  const data = JSON.parse(dataNode.textContent);
  const guide = $("guide");
  const answers = {};
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
  let flushing = null;

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

  // saving: a queue in localStorage, sent in order, one request at a time

  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (err) { return []; }
  }

  function storeQueue(queue) {
    try { localStorage.setItem(QUEUE, JSON.stringify(queue)); } catch (err) { /* private mode */ }
  }

  function enqueue(entry) {
    const queue = loadQueue().filter((e) => e.key !== entry.key);
    queue.push(entry);
    storeQueue(queue);
  }

  async function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
  }

  /** Send what waits; resolves to {ok, sent}: ok when nothing is left waiting. */
  function flush() {
    if (flushing) {
      // a run under way may have looked at the queue already: go again once it is over
      return flushing.then((first) => flush().then((again) => (
        { ok: again.ok, sent: first.sent + again.sent })));
    }
    flushing = sendWaiting().finally(() => { flushing = null; });
    return flushing;
  }

  async function sendWaiting() {
    let sent = 0;
    for (;;) {
      const queue = loadQueue();
      if (!queue.length) return { ok: true, sent };
      const entry = queue[0];
      let response;
      try {
        response = await post(entry.url, entry.body);
      } catch (err) {
        return { ok: false, sent };
      }
      // 5xx, 408 and 429 may pass: keep the entry; any other answer is final
      if (response.status >= 500 || response.status === 408 || response.status === 429) {
        return { ok: false, sent };
      }
      const body = await response.json().catch(() => null);
      answers[entry.key] = { status: response.status, body };
      storeQueue(loadQueue().filter((e) => e.key !== entry.key));
      sent += 1;
    }
  }

  function waitingFor(sessionId) {
    return loadQueue().filter((e) => e.session === sessionId && e.kind === "item");
  }

  function showSaveStatus() {
    if (!session) return;
    const waiting = waitingFor(session.id).length;
    setText("save-status", waiting
      ? `${waiting} exercise${waiting === 1 ? "" : "s"} not sent to footcoach yet. It keeps trying, and nothing is lost if you close this page.`
      : (savedCount ? "Every finished exercise is saved." : ""));
  }

  async function saveItem(summary) {
    const key = `${session.id}:${summary.position}`;
    enqueue({ key, kind: "item", session: session.id,
      url: `${data.api}/${session.id}/items`, body: Object.assign({ key }, summary) });
    savedCount += 1;
    showSaveStatus();
    await flush();
    showSaveStatus();
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

  function showStep(k, step) {
    setText("step-where", `Exercise ${step.item + 1} of ${data.items}`);
    setText("step-name", step.name);
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
    const before = await flush();
    if (before.sent) { window.location.reload(); return; }
    let response;
    try {
      response = await post(data.api, { slot: data.slot });
    } catch (err) {
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
    session = body;
    speed = Number(body.speed) || 1;
    const waiting = new Set(waitingFor(body.id).map((e) => e.body.position));
    const steps = body.script.filter((s) => !waiting.has(s.item));
    document.getElementById("plain").hidden = true;
    show("guide-start", false);
    if (!steps.length) { end(true); return; }
    show("player", true);
    setState("running");
    keepAwake();
    player = new Player(steps);
    t0 = performance.now();
    pump(player.start(clock()));
    showSaveStatus();
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
    const key = `${session.id}:finish`;
    enqueue({ key, kind: "finish", session: session.id,
      url: `${data.api}/${session.id}/finish`, body });
    $("end-submit").disabled = true;
    setText("end-error", "");
    const result = await flush();
    $("end-submit").disabled = false;
    const answer = answers[key];
    if (!result.ok || !answer) {
      setText("end-error", "footcoach could not be reached. Your answers are kept on this device and will be sent when the connection is back; you can also try again now.");
      return;
    }
    if (answer.status >= 400) {
      setText("end-error", (answer.body && answer.body.detail) || "footcoach could not save this.");
      return;
    }
    showResult(answer.body);
  }

  function showResult(done) {
    setState("finished");
    show("end", false);
    show("result", true);
    const adjustment = done.adjustment;
    setText("result-text", adjustment
      ? `Saved. Pain monitor: ${adjustment.action}. ${adjustment.reason}`
      : "Saved. Well done.");
    const prompt = done.clinician_prompt;
    show("result-prompt", Boolean(prompt));
    if (prompt) setText("result-prompt", `${prompt.reasons.join(" ")} ${prompt.advice}`);
    announce($("result-text").textContent, false);
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

  // wiring

  window.addEventListener("online", async () => {
    await flush();
    showSaveStatus();
    const answer = session && answers[`${session.id}:finish`];
    if (answer && answer.status < 400 && !$("end").hidden) showResult(answer.body);
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible" || !player || player.finished) return;
    if (!player.paused) keepAwake();
    pump(player.advance(clock()));
  });

  const notice = $("needs-js");
  if (notice) notice.hidden = true;
  if (!guide) { flush(); return; }
  guide.hidden = false;
  $("start").addEventListener("click", begin);
  $("pause").addEventListener("click", togglePause);
  $("skip").addEventListener("click", skip);
  $("stop").addEventListener("click", stop);
  $("player").addEventListener("keydown", onKey);
  $("end-form").addEventListener("submit", submitEnd);
  $("end-form").addEventListener("change", (event) => fieldError(event.target.name, ""));
  flush().then((result) => {
    if (result.sent && !session) window.location.reload();
  });
})();
