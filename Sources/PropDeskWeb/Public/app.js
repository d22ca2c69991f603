/* PropDesk: the one small script. No framework, no build step, nothing from another host.
   - counts the SLA clocks down every second;
   - keeps live regions fresh from the server-sent event stream (INT-7);
   - the intake screen: caller typeahead, unit context, emergency badge, Ctrl+Enter (INT-3, INT-4);
   - small conveniences: auto-submitting selects, print buttons, double-submit guard. */
(function () {
  "use strict";

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  // The session's form token (CSRF): the server refuses our own POSTs without it.
  function csrfToken() { var m = $('meta[name="csrf-token"]'); return m ? m.content : ""; }

  /* ---- clocks ---- */
  // Said as people say it, like OrderViews.duration on the server: "52 天", "3 小时 5 分", "12 min".
  var zh = /^zh/.test(document.documentElement.lang || "zh");
  function unit(n, z, e) { return zh ? n + " " + z : n + " " + e + (e === "day" && n !== 1 ? "s" : ""); }
  function duration(s) {
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    if (d >= 3) return unit(d, "天", "day");
    if (d > 0) return unit(d, "天", "day") + (h > 0 ? " " + unit(h, "小时", "h") : "");
    if (h > 0) return unit(h, "小时", "h") + (m > 0 ? " " + unit(m, "分", "min") : "");
    if (m > 0) return unit(m, "分", "min");
    return unit(s, "秒", "s");
  }
  function tick() {
    var now = Date.now();
    $all(".clock[data-due]").forEach(function (el) {
      var left = Math.round((Date.parse(el.dataset.due) - now) / 1000);
      var target = parseInt(el.dataset.target, 10) || 1;
      var cls = left < 0 ? "late" : (left < target * 0.5 || left < 600 ? "warn" : "ok");
      el.classList.remove("ok", "warn", "late");
      el.classList.add(cls);
      el.textContent = el.dataset.label + " " + (left < 0 ? el.dataset.over : el.dataset.left) + " " + duration(Math.abs(left));
    });
  }
  tick();
  setInterval(tick, 1000);

  /* ---- live regions ---- */
  function busy(region) {
    // Never replace a form someone is filling in.
    var a = document.activeElement;
    if (a && region.contains(a) && /INPUT|TEXTAREA|SELECT/.test(a.tagName)) return true;
    // Nor a signature someone has started to draw.
    if (region.querySelector("canvas[data-inked='1']")) return true;
    return $all("input[type=text], textarea", region).some(function (i) { return i.value !== i.defaultValue; }) ||
           $all("input[type=file]", region).some(function (i) { return i.files && i.files.length > 0; });
  }
  var refreshing = false, again = false;
  function refresh() {
    var regions = $all("[data-refresh]");
    if (!regions.length) return;
    if (refreshing) { again = true; return; }
    refreshing = true;
    fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        regions.forEach(function (old) {
          var fresh = old.id && doc.getElementById(old.id);
          if (!fresh) return;
          if (busy(old)) { old.classList.add("stale"); return; }
          old.replaceWith(document.importNode(fresh, true));
        });
        tick();
        document.dispatchEvent(new CustomEvent("propdesk:refreshed"));
      })
      .catch(function () {})
      .then(function () {
        refreshing = false;
        if (again) { again = false; setTimeout(refresh, 150); }
      });
  }
  var pending = null;
  function schedule() { clearTimeout(pending); pending = setTimeout(refresh, 200); }

  var liveURL = document.body.dataset.live;
  if (liveURL && window.EventSource) {
    var status = $("#live-status");
    var source = new EventSource(liveURL);
    var onEvent = function (e) {
      var data = {};
      try { data = JSON.parse(e.data); } catch (err) { return; }
      var one = $("[data-order]");
      // An order page only cares about its own order (not other orders, not other subjects).
      if (one && (!data.orderId || one.dataset.order.toLowerCase() !== String(data.orderId).toLowerCase())) return;
      window.propdeskLastEvent = data;
      schedule();
    };
    ["order.created", "order.changed", "alert.raised", "alert.acknowledged", "message"].forEach(function (t) {
      source.addEventListener(t, onEvent);
    });
    source.onopen = function () { document.body.dataset.liveConnected = "1"; if (status) status.textContent = ""; };
    source.onerror = function () {
      document.body.dataset.liveConnected = "0";
      if (status) status.textContent = status.dataset.offline || "";
    };
  }

  /* ---- board: a sound when a new emergency arrives (optional, remembered per browser user) ---- */
  var soundKey = "propdesk.sound." + (document.body.dataset.user || "");
  function soundOn() { try { return localStorage.getItem(soundKey) === "1"; } catch (e) { return false; } }
  function showSound() {
    var b = $("#sound-toggle");
    if (b) { b.setAttribute("aria-pressed", soundOn() ? "true" : "false"); b.textContent = soundOn() ? b.dataset.on : b.dataset.off; }
  }
  function emergencies() { var el = $("#strip-emergencies"); return el ? parseInt(el.dataset.count, 10) || 0 : -1; }
  var lastEmergencies = emergencies();
  function beep() {
    try {
      var C = window.AudioContext || window.webkitAudioContext, ctx = new C(), o = ctx.createOscillator(), g = ctx.createGain();
      o.frequency.value = 880; g.gain.value = 0.2; o.connect(g); g.connect(ctx.destination);
      o.start(); o.stop(ctx.currentTime + 0.6);
    } catch (e) {}
  }
  document.addEventListener("click", function (e) {
    if (!e.target || e.target.id !== "sound-toggle") return;
    try { localStorage.setItem(soundKey, soundOn() ? "0" : "1"); } catch (err) {}
    showSound();
  });
  document.addEventListener("propdesk:refreshed", function () {
    var n = emergencies();
    if (n > lastEmergencies && lastEmergencies >= 0 && soundOn()) { document.body.dataset.beeped = String((parseInt(document.body.dataset.beeped, 10) || 0) + 1); beep(); }
    lastEmergencies = n;
    showSound();
  });
  showSound();

  /* ---- intake: typeahead, context, emergency badge ---- */
  var form = $("#intake-form");
  if (form) {
    var search = $("#caller-search"), list = $("#caller-results"), chosen = $("#caller-chosen");
    var active = -1, timer = null, seq = 0;
    function options() { return $all("li[role=option]", list); }
    function mark(i) {
      var opts = options();
      if (!opts.length) return;
      active = (i + opts.length) % opts.length;
      opts.forEach(function (o, k) { o.setAttribute("aria-selected", k === active ? "true" : "false"); });
      search.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }
    function close() { list.innerHTML = ""; active = -1; search.setAttribute("aria-expanded", "false"); }
    function pick(li) {
      // An order found by its number opens that order.
      if (li.dataset.href) { location.href = li.dataset.href; return; }
      form.elements.unitId.value = li.dataset.unit;
      form.elements.requesterId.value = li.dataset.person || "";
      form.elements.unitLabel.value = li.dataset.label;
      if (li.dataset.name && !form.elements.contactName.value) form.elements.contactName.value = li.dataset.name;
      chosen.textContent = chosen.dataset.label + ":" + li.textContent;
      chosen.className = "chosen";
      close();
      fetch(form.dataset.context + "?unit=" + encodeURIComponent(li.dataset.unit), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { if (html) $("#intake-context").innerHTML = html; });
      $("#description").focus();
    }
    function lookup() {
      var q = search.value.trim();
      if (!q) { close(); return; }
      var mine = ++seq;
      fetch(form.dataset.search + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (mine !== seq) return;
          var doc = new DOMParser().parseFromString(html, "text/html");
          var items = $all("li", doc.body);
          list.innerHTML = "";
          items.forEach(function (li) { list.appendChild(document.importNode(li, true)); });
          if (!items.length) { list.innerHTML = "<li class=\"empty\"></li>"; list.firstChild.textContent = list.dataset.empty; }
          search.setAttribute("aria-expanded", items.length ? "true" : "false");
          active = -1;
          if (items.length) mark(0);
        });
    }
    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookup, 120); });
    search.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); mark(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(active - 1); }
      else if (e.key === "Enter") {
        e.preventDefault();
        var opts = options();
        if (opts.length && active >= 0) pick(opts[active]);
      } else if (e.key === "Escape") { close(); }
    });
    list.addEventListener("mousedown", function (e) {
      var li = e.target.closest("li[role=option]");
      if (li) { e.preventDefault(); pick(li); }
    });

    var badge = $("#emergency-badge"), description = $("#description"), ctimer = null, cseq = 0;
    function classify() {
      var text = description.value.trim();
      if (!text) { badge.hidden = true; return; }
      var mine = ++cseq;
      fetch(form.dataset.classify, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrfToken() },
        body: JSON.stringify({ text: text })
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (r) {
        if (!r || mine !== cseq) return;
        // An emergency, or at least urgent (a leak into the flat below): the desk sees why.
        var urgent = r.priority === "urgent";
        badge.hidden = !(r.emergency || urgent);
        badge.classList.toggle("emergency", !!r.emergency);
        badge.classList.toggle("prio-urgent", urgent);
        badge.dataset.priority = r.priority || "";
        if (r.emergency || urgent) badge.textContent = "⚠ " + (urgent ? badge.dataset.urgent : badge.dataset.text) + (r.matched ? " · " + r.matched : "");
        form.dataset.category = r.category;
      });
    }
    description.addEventListener("input", function () { clearTimeout(ctimer); ctimer = setTimeout(classify, 150); });
    form.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
    });
    if (description.value) classify();
    // A form shown again after a refusal keeps its unit: show that unit's context again.
    if (form.elements.unitId.value) {
      fetch(form.dataset.context + "?unit=" + encodeURIComponent(form.elements.unitId.value), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { if (html) $("#intake-context").innerHTML = html; });
    }
  }

  /* ---- signature pad (PLT-4): draw with a finger or a mouse, saved as a PNG ---- */
  // Set up again whenever a live refresh brings a fresh pad; a pad with ink holds the refresh off.
  function setUpPad() { $all("canvas.signature-pad").forEach(setUpOnePad); }
  function setUpOnePad(pad) {
    if (!pad.getContext || pad.dataset.ready === "1") return;
    pad.dataset.ready = "1";
    var ctx = pad.getContext("2d"), drawing = false;
    ctx.lineWidth = 3; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#111";
    var point = function (e) {
      var r = pad.getBoundingClientRect();
      return { x: (e.clientX - r.left) * pad.width / r.width, y: (e.clientY - r.top) * pad.height / r.height };
    };
    pad.style.touchAction = "none";
    pad.addEventListener("pointerdown", function (e) {
      drawing = true; pad.setPointerCapture(e.pointerId);
      var p = point(e); ctx.beginPath(); ctx.moveTo(p.x, p.y); ctx.lineTo(p.x + 0.1, p.y + 0.1); ctx.stroke(); pad.dataset.inked = "1";
    });
    pad.addEventListener("pointermove", function (e) {
      if (!drawing) return;
      var p = point(e); ctx.lineTo(p.x, p.y); ctx.stroke(); pad.dataset.inked = "1";
    });
    var stop = function () { drawing = false; };
    pad.addEventListener("pointerup", stop);
    pad.addEventListener("pointercancel", stop);
    var form = pad.closest("form");
    if (!form) return;
    var clear = form.querySelector(".signature-clear");
    if (clear) clear.addEventListener("click", function () { ctx.clearRect(0, 0, pad.width, pad.height); delete pad.dataset.inked; });
    form.addEventListener("submit", function () {
      form.elements.signature.value = pad.dataset.inked === "1" ? pad.toDataURL("image/png") : "";
    });
  }
  setUpPad();
  document.addEventListener("propdesk:refreshed", setUpPad);

  /* ---- conveniences ---- */
  document.addEventListener("change", function (e) {
    if (e.target.matches("select[data-autosubmit]")) e.target.form.submit();
  });
  document.addEventListener("click", function (e) {
    if (e.target.matches("[data-print]")) window.print();
  });
  // A second click while the first is on its way sends nothing more (the server is idempotent too).
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f.dataset.sending === "1") { e.preventDefault(); return; }
    if (f.method.toLowerCase() === "post") f.dataset.sending = "1";
  });
  window.addEventListener("pageshow", function () { $all("form[data-sending]").forEach(function (f) { delete f.dataset.sending; }); });
})();
