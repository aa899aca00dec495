// Check-in desk: filter the list as you type, mark people present without reloading, and read tickets
// (camera, handheld scanner or typed code). Scans and taps made without network wait in this browser's
// storage and are sent when the network returns; each scan carries its own id, so sending it twice is
// one arrival on the server.
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  if (!root) { return; }
  var search = document.getElementById("checkin-search");
  var items = Array.prototype.slice.call(document.querySelectorAll("#checkin-list li[data-name]"));
  var none = document.getElementById("checkin-none");
  var scanBox = document.getElementById("checkin-scan");
  var textsNode = document.getElementById("scan-texts");
  var T = textsNode ? JSON.parse(textsNode.textContent) : {};
  var TICKET = /^\s*TF[\s-]*\d/i;

  function text(key, values) {
    var out = T[key] || "";
    Object.keys(values || {}).forEach(function (k) { out = out.split("{" + k + "}").join(values[k]); });
    return out;
  }

  // ---- The list: search as you type -------------------------------------------------------------
  function normalise(value) {
    return value.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  items.forEach(function (li) { li.dataset.key = normalise(li.dataset.name); });

  function filter() {
    var words = normalise(search.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (li) {
      var match = words.every(function (w) { return li.dataset.key.indexOf(w) !== -1; });
      li.hidden = !match;
      if (match) { shown += 1; }
    });
    if (none) { none.hidden = shown !== 0; }
  }
  if (search) {
    search.addEventListener("input", filter);
    // Typed before this script ran (a slow network) or put back by the browser: it counts now.
    if (search.value !== search.defaultValue) { filter(); }
  }

  function showCounts(counts) {
    Object.keys(counts || {}).forEach(function (key) {
      var el = root.querySelector('[data-count="' + key + '"]');
      if (el) { el.textContent = counts[key]; }
    });
  }

  function rowOf(id) { return root.querySelector('#checkin-list li[data-id="' + id + '"]'); }

  // A row shows its new status; its button turns into its opposite, so a tap by mistake is undone at once.
  function updateRow(li, data) {
    if (!li) { return; }
    var badge = li.querySelector("[data-status]");
    if (badge && data.status_label) {
      badge.textContent = data.status_label;
      badge.className = "badge text-bg-" + (data.status === "attended" ? "success" : "secondary");
    }
    var form = li.querySelector("form[data-mark]");
    if (!form) { return; }
    var button = form.querySelector("button");
    var undo = form.querySelector('input[name="undo"]');
    var canUndo = data.can_undo !== undefined ? data.can_undo : data.status === "attended";
    if (data.status === "attended" && canUndo) {
      if (!undo) {
        undo = document.createElement("input");
        undo.type = "hidden"; undo.name = "undo"; undo.value = "1";
        form.appendChild(undo);
      }
      button.className = "btn btn-outline-secondary btn-lg";
      button.querySelector("[data-label]").textContent = form.dataset.undoLabel;
      form.hidden = false;
    } else if (data.status === "attended") {
      form.hidden = true;  // a walk-in stays present
    } else {
      if (undo) { undo.remove(); }
      button.className = "btn btn-success btn-lg";
      button.querySelector("[data-label]").textContent = form.dataset.markLabel;
      form.hidden = false;
    }
    button.disabled = false;
  }

  // ---- The queue: what waits for the network, kept in this browser ------------------------------
  var storageKey = "tf-checkin-queue:" + (scanBox ? scanBox.dataset.session : root.dataset.stateUrl);
  var csrf = (root.querySelector('input[name="csrfmiddlewaretoken"]') || {}).value || "";
  var queue = load();
  var online = navigator.onLine !== false;
  var flushing = false;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(storageKey) || "[]"); } catch (e) { return []; }
  }
  function save() {
    try { window.localStorage.setItem(storageKey, JSON.stringify(queue)); } catch (e) { /* private mode: memory only */ }
    showNet();
  }

  function newId() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  var net = document.getElementById("checkin-net");
  function showNet() {
    if (!net) { return; }
    net.dataset.state = online ? "online" : "offline";
    net.querySelector("[data-net-label]").textContent = online ? text("online") : text("offline");
    var n = queue.length;
    net.querySelector("[data-pending-label]").textContent =
      n === 0 ? text("pending_none") : n === 1 ? text("pending_one") : text("pending_many", {n: n});
  }

  function setOnline(value) {
    if (online === value) { return; }
    online = value;
    showNet();
    if (online) { flush(); }
  }

  // Send one queued item; resolve with the server's answer, or reject when it should stay queued.
  function send(item) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    var url = item.url;
    if (item.kind === "ticket") {
      body.append("code", item.code);
      body.append("scan_id", item.id);
      body.append("scanned_at", item.at);
    }
    return fetch(url, {method: "POST", body: body, credentials: "same-origin", redirect: "manual",
                       headers: {"Accept": "application/json"}})
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.status >= 500) { throw {keep: "server_error"}; }
        if (type.indexOf("application/json") === -1) { throw {keep: "signed_out"}; }
        return response.json().then(function (data) { return {ok: response.ok, status: response.status, data: data}; });
      }, function () { throw {keep: "offline"}; });
  }

  function settle(item, answer, late) {
    queue = queue.filter(function (q) { return q.id !== item.id; });
    save();
    if (item.kind === "ticket") {
      var data = answer.data;
      showCounts(data.counts);
      if (data.person && data.person.id && data.result !== "refused") {
        updateRow(rowOf(data.person.id), {status: "attended", status_label: data.person.status_label});
      }
      showResult(item, data.result === "refused" ? "refused" : "ok", data, late);
    } else {
      var li = rowOf(item.regId);
      if (answer.ok) {
        showCounts(answer.data.counts);
        updateRow(li, answer.data);
      } else {
        var badge = li && li.querySelector("[data-status]");
        if (badge && badge.dataset.before) { badge.textContent = badge.dataset.before; badge.className = badge.dataset.beforeClass; }
        updateRow(li, {});
        window.alert(answer.data.error || text("mark_error"));
      }
    }
  }

  // Send what waits, oldest first, one at a time; stop at the first network failure.
  function flush() {
    if (flushing || !queue.length) { return; }
    flushing = true;
    var item = queue[0];
    send(item).then(function (answer) {
      flushing = false;
      setOnline(true);
      settle(item, answer, item.waited);
      flush();
    }, function (failure) {
      flushing = false;
      if (failure && failure.keep === "offline") {
        setOnline(false);
      } else {
        setOnline(true);
        note(text(failure && failure.keep === "signed_out" ? "signed_out" : "server_error"));
        if (failure && failure.keep === "signed_out") { refreshToken(); }
      }
      markWaiting(item);
    });
  }

  // Signing in again (in another tab) renews the CSRF token, which this page cannot read from its cookie:
  // take it from a fresh copy of the page, so that the waiting scans can go. A copy without a token (still
  // signed out) leaves the next try to the 5-second retry; a token taken less than 4 s ago is not renewed,
  // so that a server that keeps refusing is not asked in a loop.
  var refreshing = false;
  var refreshedAt = 0;
  function refreshToken() {
    if (refreshing || Date.now() - refreshedAt < 4000) { return; }
    refreshing = true;
    fetch(window.location.pathname, {credentials: "same-origin", redirect: "manual"})
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        refreshing = false;
        var found = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
        if (found) { refreshedAt = Date.now(); csrf = found[1]; note(""); flush(); }
      }, function () { refreshing = false; });
  }

  function enqueue(item) {
    queue.push(item);
    save();
    if (online && queue.length === 1) {
      flush();
    } else {
      markWaiting(item);
      flush();
    }
  }

  // ---- Results: big, in words and colour, read out by screen readers -------------------------------
  var result = document.getElementById("scan-result");
  var log = document.getElementById("scan-log");
  var logTitle = document.getElementById("scan-log-title");
  var sound = document.getElementById("scan-sound");
  var audio = null;

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content) { node.textContent = content; }
    return node;
  }

  function guess(code) {
    var match = /^\s*TF[\s-]*(\d+)/i.exec(code || "");
    var li = match && rowOf(match[1]);
    return li ? li.dataset.display : "";
  }

  function card(kind, title, name, contact, message, prefix) {
    var box = el("div", "checkin-result-card is-" + kind);
    var head = el("p", "checkin-result-title");
    head.appendChild(el("span", "checkin-result-icon", kind === "ok" ? "\u2714" : kind === "pending" ? "\u25F7" : "\u2716"))
      .setAttribute("aria-hidden", "true");
    head.appendChild(document.createTextNode(" " + title));
    if (prefix) { box.appendChild(el("p", "checkin-result-prefix", prefix)); }
    box.appendChild(head);
    if (name) {
      var who = el("p", "checkin-result-name", name);
      if (contact) { who.appendChild(document.createTextNode(" ")); who.appendChild(el("span", "checkin-hint", contact)); }
      box.appendChild(who);
    }
    if (message) { box.appendChild(el("p", "checkin-result-message", message)); }
    return box;
  }

  function logLine(item, kind, label) {
    if (!log) { return; }
    var li = log.querySelector('[data-scan="' + item.id + '"]');
    if (!li) {
      li = el("li", "checkin-log-item");
      li.dataset.scan = item.id;
      log.insertBefore(li, log.firstChild);
      while (log.children.length > 10) { log.removeChild(log.lastChild); }
    }
    li.className = "checkin-log-item is-" + kind;
    li.textContent = clock(item.at) + " \u00b7 " + label;
    if (logTitle) { logTitle.hidden = false; }
  }

  // Times as the sessions are shown: in Paris, whatever the device's own zone.
  function clock(iso) {
    return new Date(iso).toLocaleTimeString(document.documentElement.lang,
                                            {hour: "2-digit", minute: "2-digit", hour12: false,
                                             timeZone: "Europe/Paris"});
  }

  function beep(ok) {
    if (!sound || !sound.checked) { return; }
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = ok ? 880 : 220;
      gain.gain.value = 0.15;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + (ok ? 0.15 : 0.45));
    } catch (e) { /* no sound on this device */ }
    if (navigator.vibrate) { navigator.vibrate(ok ? 60 : [120, 80, 120]); }
  }

  // On a phone the result may fall below the screen's edge: bring it into view (no move when it is visible).
  function reveal() {
    var box = result.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) { result.scrollIntoView({block: "nearest"}); }
  }

  function showResult(item, kind, data, late) {
    var person = data.person || {};
    var prefix = late ? text("synced", {time: clock(item.at)}) : "";
    result.replaceChildren(card(kind, data.title, person.name, person.contact, data.message, prefix));
    reveal();
    logLine(item, kind, (person.name ? person.name + " \u00b7 " : "") + data.title +
            (kind === "refused" ? " \u00b7 " + data.message : ""));
    beep(kind === "ok");
  }

  // An item that could not go: said once. A later try that fails again (the network still down) changes
  // nothing on screen: the desk has moved on to another ticket or row, and a card swapped or a scroll to it
  // under a finger would show the wrong person or turn a tap into a tap on something else.
  function markWaiting(item) {
    if (item.waited) { return; }
    item.waited = true;
    save();
    showWaiting(item);
  }

  function showWaiting(item) {
    if (item.kind === "ticket") {
      // A send that fails after a later scan was shown (two scans in a row on a slow network) leaves the
      // card to the later one: it is the person in front of the desk.
      if (!lastScanId || lastScanId === item.id) {
        var name = guess(item.code);
        var message = text("pending_message") + (name ? " " + text("pending_guess", {name: name}) : "");
        result.replaceChildren(card("pending", text("pending_title"), item.code, "", message));
        reveal();
      }
      logLine(item, "pending", text("pending_title") + " \u00b7 " + item.code);
    } else {
      var li = rowOf(item.regId);
      var badge = li && li.querySelector("[data-status]");
      if (badge) {
        if (!badge.dataset.before) { badge.dataset.before = badge.textContent; badge.dataset.beforeClass = badge.className; }
        badge.textContent = text("pending_title");
        badge.className = "badge text-bg-warning";
      }
    }
  }

  var noteNode = document.getElementById("scan-camera-note");
  function note(message) {
    if (!noteNode) { return; }
    noteNode.textContent = message || "";
    noteNode.hidden = !message;
  }

  // ---- A scan: from the camera, a handheld scanner or the keyboard --------------------------------
  var scanForm = document.getElementById("scan-form");
  var codeField = document.getElementById("scan-code");

  var lastScanId = null;  // the ticket scanned last on this page
  function scan(code) {
    code = (code || "").trim();
    if (!code) { return; }
    var item = {kind: "ticket", id: newId(), code: code.slice(0, 200), at: new Date().toISOString(), url: scanForm.action};
    lastScanId = item.id;
    if (!TICKET.test(code)) {
      showResult(item, "refused", {title: text("refused_title"), message: text("not_a_ticket")});
      return;
    }
    enqueue(item);
  }

  if (scanForm) {
    scanForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var typed = codeField.value;
      codeField.value = "";
      scan(typed);
      codeField.focus();
    });
  }
  // A handheld scanner types into whatever field has the focus: a ticket code in the name search is a scan.
  var searchForm = document.getElementById("checkin-search-form");
  if (searchForm && scanForm) {
    searchForm.addEventListener("submit", function (event) {
      if (!TICKET.test(search.value)) { return; }
      event.preventDefault();
      var typed = search.value;
      search.value = "";
      filter();
      scan(typed);
    });
  }

  // The camera: the browser's own QR reader where there is one, jsQR (served with this page) otherwise.
  var video = document.getElementById("scan-video");
  var cameraBox = document.getElementById("scan-camera");
  var startButton = document.getElementById("scan-start");
  var stopButton = document.getElementById("scan-stop");
  var stream = null, timer = null, detector = null, canvas = null, last = {code: "", at: 0}, reading = false;

  function readFrame() {
    if (detector) {
      return detector.detect(video).then(function (found) { return found.length ? found[0].rawValue : ""; });
    }
    var w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) { return Promise.resolve(""); }
    var scale = Math.min(1, 800 / Math.max(w, h));
    canvas = canvas || document.createElement("canvas");
    canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
    var ctx = canvas.getContext("2d", {willReadFrequently: true});
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(image.data, image.width, image.height, {inversionAttempts: "attemptBoth"});
    return Promise.resolve(found ? found.data : "");
  }

  function tick() {
    if (!stream) { return; }
    if (!reading && video.readyState >= 2) {
      reading = true;
      readFrame().then(function (code) {
        reading = false;
        var now = Date.now();
        // The ticket stays in front of the camera for a while: one scan per ticket every few seconds.
        if (code && (code !== last.code || now - last.at > 4000)) {
          last = {code: code, at: now};
          scan(code);
        } else if (code) {
          last.at = now;
        }
      }, function () { reading = false; });
    }
    timer = window.setTimeout(tick, 200);
  }

  function stopCamera() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    window.clearTimeout(timer);
    cameraBox.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
    note("");
  }

  function startCamera() {
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      note(text("camera_insecure")); return;
    }
    var ready = Promise.resolve();
    if ("BarcodeDetector" in window) {
      ready = window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") !== -1) { detector = new window.BarcodeDetector({formats: ["qr_code"]}); }
      }, function () {});
    }
    ready.then(function () {
      if (!detector && typeof window.jsQR !== "function") { note(text("camera_no_reader")); return null; }
      return navigator.mediaDevices.getUserMedia({audio: false, video: {facingMode: {ideal: "environment"}}});
    }).then(function (s) {
      if (!s) { return; }
      stream = s;
      video.srcObject = s;
      cameraBox.hidden = false;
      startButton.hidden = true;
      stopButton.hidden = false;
      note(text("camera_reading"));
      // The camera and the answer under it fill the screen of a phone.
      scanBox.scrollIntoView({block: "start"});
      return video.play().then(tick);
    }).catch(function (error) {
      stopCamera();
      note(text(error && (error.name === "NotAllowedError" || error.name === "SecurityError")
                ? "camera_denied" : "camera_missing"));
    });
  }

  if (startButton && video) {
    startButton.hidden = false;
    startButton.addEventListener("click", startCamera);
    stopButton.addEventListener("click", stopCamera);
    document.addEventListener("visibilitychange", function () { if (document.hidden) { stopCamera(); } });
  }

  // ---- Taps on "Présent·e" and its undo ------------------------------------------------------------
  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-mark")) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    var li = form.closest("li");
    var undoing = !!form.querySelector('input[name="undo"]');
    if (!online && undoing) { window.alert(text("undo_offline")); return; }
    if (!undoing) {
      // Marking present is idempotent on the server: without network it waits in the queue like a scan.
      button.disabled = true;
      enqueue({kind: "mark", id: newId(), regId: li.dataset.id, url: form.action, at: new Date().toISOString()});
      return;
    }
    button.disabled = true;
    fetch(form.action, {method: "POST", body: new FormData(form), headers: {"Accept": "application/json"},
                        credentials: "same-origin"})
      .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
      .then(function (answer) {
        if (!answer[0]) { button.disabled = false; window.alert(answer[1].error || text("mark_error")); return; }
        showCounts(answer[1].counts);
        updateRow(li, answer[1]);
      })
      .catch(function () { button.disabled = false; window.alert(text("undo_offline")); });
  });

  // ---- Network state and the live count --------------------------------------------------------------
  window.addEventListener("online", function () { setOnline(true); });
  window.addEventListener("offline", function () { setOnline(false); });
  showNet();
  queue.forEach(showWaiting);
  flush();

  var stateUrl = root.dataset.stateUrl;
  window.setInterval(function () {
    fetch(stateUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { setOnline(true); showCounts(data.counts); flush(); } })
      .catch(function () { setOnline(false); });
  }, 15000);
  // While something waits, try again every few seconds (the browser's "online" event is not always sent).
  window.setInterval(function () { if (queue.length && navigator.onLine !== false) { flush(); } }, 5000);
}());
