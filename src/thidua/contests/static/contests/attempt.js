// The contestant's attempt: autosave each answer, keep answers and the idempotency key on the
// device (localStorage), submit with retries (same key), count down the server's deadline.
(function () {
  "use strict";
  var form = document.getElementById("quiz");
  if (!form || !form.dataset.token) { return; }
  var token = form.dataset.token;
  var store = "thidua-attempt-" + token;
  var statusEl = document.getElementById("status");
  var button = document.getElementById("submit");
  var prediction = document.getElementById("prediction");
  var sending = false;

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(store)) || {}; } catch (e) { return {}; }
  }
  var state = load();
  if (!state.key) { state.key = uuid4(); }
  state.answers = state.answers || {};
  function keep() { try { localStorage.setItem(store, JSON.stringify(state)); } catch (e) { /* private mode */ } }
  keep();

  // Choices made before this script ran (a slow phone shows the questions before it has fetched
  // the script, and a browser may restore the form on Back): checked, but not so in the page's
  // HTML. No change handler saw them; they win over this device's copy and are saved below.
  var early = {};
  Array.prototype.forEach.call(form.querySelectorAll("input[type=radio]:checked"), function (input) {
    if (!input.defaultChecked) { early[input.name.slice(2)] = input.value; }
  });
  var earlyPrediction = prediction.value !== prediction.defaultValue && prediction.value !== "";

  // Restore answers chosen on this device that the server may not have saved yet; those the
  // page's HTML did not show (the server lacks them) are saved below.
  var restored = {};
  Object.keys(state.answers).forEach(function (q) {
    if (early.hasOwnProperty(q)) { return; }
    var input = form.querySelector('input[name="q-' + q + '"][value="' + state.answers[q] + '"]');
    if (input) { input.checked = true; }
    if (input && !input.defaultChecked) { restored[q] = state.answers[q]; }
  });
  var restoredPrediction = state.prediction !== undefined && state.prediction !== null && prediction.value === "";
  if (restoredPrediction) { prediction.value = state.prediction; }

  // What the contestant must read (what is unanswered, that the paper is being sent) is never
  // overwritten by an autosave answered after it: a save speaks only if nothing was told since
  // it began (on a slow line its "Đã lưu." came after, and hid, the unanswered list).
  var told = 0;
  function say(text) { statusEl.textContent = text; }
  function tell(text) { told += 1; say(text); }
  function post(url, body, signal) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: true, signal: signal,
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    });
  }
  // The server keeps a whole number from 0 (below 2^31) as the prediction; anything else
  // ("-3", "1e10") is said here and not saved, as the server would refuse the answers sent
  // with it.
  function validPrediction(text) {
    var n = Number(text);
    return text !== "" && Math.floor(n) === n && n >= 0 && n < 2147483648 ? n : null;
  }
  // Saves go in order. At most one is in flight; changes made meanwhile wait in `pending` (the
  // latest value per question, and the prediction) and leave together once it is answered. So
  // the server applies this tab's changes in the order they were made: on a slow line the save
  // of A no longer lands after the save of B that replaced it (the server closes an attempt
  // nobody submitted with what it saved). A save that did not get through (no connection, server
  // busy) goes back under any newer value and is tried again with the next change or 5 seconds
  // later; one refused (time up, already sent) is dropped. Two tabs on one attempt each keep their
  // own order only: the last save to arrive wins, and a submission sends its tab's copy. Not
  // covered (rare): a save given up on here when its connection broke that still reaches the
  // server after a later one.
  var pending = {};            // question id → option value
  var pendingPrediction = null;
  var inFlight = false;
  var retry = null;
  function save(q, value) {    // q null: the prediction
    if (q === null) { pendingPrediction = value; } else { pending[q] = value; }
    flush();
  }
  function flush() {
    if (inFlight || state.done || (!Object.keys(pending).length && pendingPrediction === null)) { return; }
    window.clearTimeout(retry);
    var body = { answers: pending };
    if (pendingPrediction !== null) { body.prediction = pendingPrediction; }
    pending = {}; pendingPrediction = null; inFlight = true;
    var before = told;
    function done(text, again) {
      inFlight = false;
      if (told === before) { say(text); }
      if (!again) { flush(); return; }
      Object.keys(body.answers).forEach(function (q) {
        if (!pending.hasOwnProperty(q)) { pending[q] = body.answers[q]; }
      });
      if (body.prediction !== undefined && pendingPrediction === null) { pendingPrediction = body.prediction; }
      retry = window.setTimeout(flush, 5000);
    }
    // A save stalled on a dead line would hold back every later one: given up after 15 s and
    // tried again, as one that failed.
    var abort = window.AbortController ? new AbortController() : null;
    var stalled = abort && window.setTimeout(function () { abort.abort(); }, 15000);
    post(form.dataset.save, body, abort && abort.signal).then(function (r) {
      window.clearTimeout(stalled);
      done(r.ok ? "Đã lưu." : "Chưa lưu được, câu trả lời vẫn được giữ trên máy.", r.status >= 500 || r.status === 429);
    }).catch(function () {
      window.clearTimeout(stalled);
      done("Mất kết nối, câu trả lời vẫn được giữ trên máy.", true);
    });
  }
  form.addEventListener("change", function (event) {
    var el = event.target;
    if (el.type === "radio") {
      var q = el.name.slice(2);
      el.closest("fieldset").classList.remove("unanswered");
      state.answers[q] = el.value; keep();
      save(q, el.value);
    } else if (el.id === "prediction" && el.value !== "") {
      var n = validPrediction(el.value);
      if (n === null) { say("Số dự đoán phải là số nguyên từ 0 trở lên."); return; }
      state.prediction = n; keep();
      save(null, n);
    }
  });
  // What the page holds that its HTML did not (picked early, restored): one save.
  Object.keys(restored).forEach(function (q) { pending[q] = restored[q]; });
  Object.keys(early).forEach(function (q) { state.answers[q] = pending[q] = early[q]; });
  var shown = validPrediction(prediction.value);
  if (earlyPrediction && shown !== null) { state.prediction = shown; }
  if ((earlyPrediction || restoredPrediction) && shown !== null) { pendingPrediction = shown; }
  keep(); flush();

  function submit(attempt) {
    var value = prediction.value === "" ? null : Number(prediction.value);
    var body = { key: state.key, answers: state.answers, prediction: value };
    post(form.dataset.submit, body).then(function (r) {
      if (r.status === 200 || r.status === 201 || r.status === 409) {
        state.done = true; keep();
        window.location.href = form.dataset.receipt;
        return;
      }
      if (r.status >= 500 || r.status === 429) { throw new Error("busy"); }
      return r.json().then(function (d) { tell(d.error || "Không nộp được bài."); sending = false; button.disabled = false; });
    }).catch(function () {
      var wait = Math.min(30000, 1000 * Math.pow(2, attempt)) * (0.5 + Math.random());
      tell("Máy chủ bận hoặc mất kết nối, đang thử gửi lại…");
      window.setTimeout(function () { submit(attempt + 1); }, wait);
    });
  }
  // Before the contestant's own submit (not the timer's): questions left unanswered are named
  // and marked, and the answers are sent only on a second press (a second later, so a double click
  // does not pass the warning), as it cannot be changed once sent.
  var warned = null;
  var warnedAt = 0;
  function unanswered() {
    var numbers = [];
    Array.prototype.forEach.call(form.querySelectorAll("fieldset.q[data-question]"), function (q, i) {
      var open = !q.querySelector("input[type=radio]:checked");
      q.classList.toggle("unanswered", open);
      if (open) { numbers.push(i + 1); }
    });
    return numbers;
  }
  function warning(numbers) {
    var parts = [];
    if (numbers.length) { parts.push("Còn " + numbers.length + " câu chưa trả lời (câu " + numbers.join(", ") + ")"); }
    if (prediction.value === "") { parts.push((parts.length ? "c" : "C") + "hưa nhập số dự đoán"); }
    if (!parts.length) { return ""; }
    return parts.join("; ") + ". Bài đã nộp không sửa được: trả lời tiếp, hoặc bấm “Nộp bài” lần nữa để nộp như vậy.";
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) { return; }  // a double click counts once; the key makes retries safe anyway
    var text = warning(unanswered());
    if (text && (text !== warned || Date.now() - warnedAt < 1000)) {
      if (text !== warned) { warned = text; warnedAt = Date.now(); }
      tell(text);
      return;
    }
    sending = true; button.disabled = true;
    tell("Đang nộp bài…");
    submit(0);
  });

  var timer = document.getElementById("timer");
  var end = Date.now() + Number(timer.dataset.remaining) * 1000;
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    timer.textContent = Math.floor(left / 60) + " phút " + ("0" + (left % 60)).slice(-2) + " giây";
    if (left === 0) {
      if (!sending) { sending = true; button.disabled = true; tell("Hết giờ, đang nộp bài…"); submit(0); }
      return;
    }
    window.setTimeout(tick, 1000);
  }
  tick();
}());
