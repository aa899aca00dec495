// Interview sheet: each scorecard saves itself while the recruiter types (a PATCH of the fields changed, sent
// once typing pauses), keeps what the server has not acknowledged in localStorage (no network, server
// unreachable, page closed) and sends it when the network returns or the page opens again. Without this
// script the form posts the whole card, which the server accepts as well.
(function () {
  "use strict";
  var root = document.getElementById("sheet");
  if (!root || !window.fetch || !window.JSON) { return; }
  var TYPING_PAUSE = 800;  // ms after the last keystroke
  var CHOICE_PAUSE = 150;  // a tapped choice goes almost at once
  var MAX_WAIT = 15000;    // longest wait between two tries
  var banner = document.getElementById("sheet-network");
  var storage = (function () {
    try {
      window.localStorage.setItem("tf-probe", "1");
      window.localStorage.removeItem("tf-probe");
      return window.localStorage;
    } catch (e) { return null; }  // private mode or storage refused: the page still saves, online only
  }());
  var cards = [];

  function Card(form) {
    this.form = form;
    this.id = form.getAttribute("data-interview");
    this.key = root.getAttribute("data-draft-prefix") + this.id;
    this.url = form.getAttribute("data-patch-url");
    this.state = form.querySelector("[data-save-state]");
    this.summary = document.querySelector('[data-summary="' + this.id + '"]');
    this.dirty = {};       // field name -> value the server has not acknowledged yet
    this.timer = null;
    this.sending = false;
    this.tries = 0;
    this.stopped = false;  // the server refused the link: trying again would not help
  }

  Card.prototype.inputs = function (name) {
    return this.form.querySelectorAll('[data-field="' + name + '"]');
  };

  Card.prototype.value = function (name) {
    var inputs = this.inputs(name);
    if (inputs.length && inputs[0].type === "radio") {
      for (var i = 0; i < inputs.length; i += 1) { if (inputs[i].checked) { return inputs[i].value; } }
      return "";
    }
    return inputs.length ? inputs[0].value : "";
  };

  Card.prototype.put = function (name, value) {
    var inputs = this.inputs(name);
    for (var i = 0; i < inputs.length; i += 1) {
      if (inputs[i].type === "radio") { inputs[i].checked = String(inputs[i].value) === String(value); }
      else { inputs[i].value = value; }
    }
  };

  Card.prototype.pending = function () { return Object.keys(this.dirty).length > 0; };

  Card.prototype.keep = function () {
    if (!storage) { return; }
    try {
      if (this.pending()) { storage.setItem(this.key, JSON.stringify({fields: this.dirty, at: Date.now()})); }
      else { storage.removeItem(this.key); }
    } catch (e) { /* storage full: the field stays pending in memory */ }
  };

  Card.prototype.show = function (kind, message) {
    this.state.setAttribute("data-kind", kind);
    this.state.textContent = message || root.getAttribute("data-text-" + kind) || "";
  };

  Card.prototype.changed = function (name, pause) {
    this.dirty[name] = this.value(name);
    this.stopped = false;
    this.keep();
    this.show("pending");
    this.later(pause);
  };

  Card.prototype.later = function (ms) {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.send(); }, ms);
  };

  Card.prototype.retry = function () {
    this.tries += 1;
    this.show(navigator.onLine === false ? "offline" : "retry");
    this.later(Math.min(MAX_WAIT, 1000 * Math.pow(2, this.tries)));
  };

  Card.prototype.send = function () {
    var self = this;
    window.clearTimeout(this.timer);
    if (this.sending || this.stopped || !this.pending()) { return; }
    if (navigator.onLine === false) { this.show("offline"); return; }  // the "online" event sends it
    var body = {};
    Object.keys(this.dirty).forEach(function (name) { body[name] = self.dirty[name]; });
    var token = this.form.querySelector('input[name="csrfmiddlewaretoken"]');
    this.sending = true;
    this.show("saving");
    window.fetch(this.url, {
      method: "PATCH", credentials: "same-origin", keepalive: true, body: JSON.stringify(body),
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRFToken": token ? token.value : ""}
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return {status: response.status, data: data};
      });
    }).then(function (result) {
      self.sending = false;
      if (result.status === 200) {
        // Only what was sent and not typed over since counts as saved.
        Object.keys(body).forEach(function (name) { if (self.dirty[name] === body[name]) { delete self.dirty[name]; } });
        self.tries = 0;
        self.keep();
        if (self.summary && typeof result.data.summary === "string") { self.summary.textContent = result.data.summary; }
        if (self.pending()) { self.later(TYPING_PAUSE); } else { self.show("saved", result.data.message); }
      } else if (result.status >= 500 || result.status === 429 || result.status === 0) {
        self.retry();
      } else {
        // Refused (a text too long, a link expired or replaced): say why; the draft stays on this device.
        self.stopped = true;
        self.show("refused", result.data.error);
      }
    }).catch(function () {
      self.sending = false;
      self.retry();
    });
  };

  function start(form) {
    var card = new Card(form);
    cards.push(card);
    form.addEventListener("input", function (event) {
      var name = event.target.getAttribute("data-field");
      if (name && event.target.type !== "radio") { card.changed(name, TYPING_PAUSE); }
    });
    form.addEventListener("change", function (event) {
      // Text fields were followed keystroke by keystroke ("input"); their "change" on leaving says nothing new.
      var name = event.target.getAttribute("data-field");
      if (name && event.target.type === "radio") { card.changed(name, CHOICE_PAUSE); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (card.pending()) { card.stopped = false; card.send(); } else { card.show("saved"); }
    });
    // A draft left by an earlier visit (network lost, page closed): put it back and send it.
    var saved = null;
    try { saved = storage && JSON.parse(storage.getItem(card.key) || "null"); } catch (e) { saved = null; }
    if (saved && saved.fields && typeof saved.fields === "object") {
      Object.keys(saved.fields).forEach(function (name) {
        if (card.inputs(name).length) { card.dirty[name] = saved.fields[name]; card.put(name, saved.fields[name]); }
      });
      if (card.pending()) {
        var details = form.closest("details");
        if (details) { details.open = true; }
        card.show("retry");
        card.later(CHOICE_PAUSE);
      }
    }
  }

  Array.prototype.forEach.call(root.querySelectorAll("form[data-scorecard]"), start);

  function network() {
    var online = navigator.onLine !== false;
    if (banner) { banner.hidden = online; }
    cards.forEach(function (card) {
      if (!card.pending()) { return; }
      if (online) { card.tries = 0; card.send(); } else { card.show("offline"); }
    });
  }
  window.addEventListener("online", network);
  window.addEventListener("offline", network);
  // Leaving the page (switching apps on a phone): send what waits for the end of typing now.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { cards.forEach(function (card) { card.send(); }); }
  });
  network();
}());
