#!/usr/bin/env python3
"""PropDesk in a real browser (issue 4): headless Chromium driven over WebDriver against the real
server on SQLite with the demo service center. Each check names the SPEC id it proves.

Run through scripts/browser-test, which starts the server and passes:
  PROPDESK_URL           e.g. http://127.0.0.1:8089
  PROPDESK_CREDENTIALS   the demo-credentials.txt the demo wrote
  PROPDESK_SCREENSHOTS   where to save screenshots (optional)
  PROPDESK_DB            the server's SQLite file: the test reads it to compare what pages show
                         with what is stored, and moves one clock back in time so that the
                         server's own sweeper has something to fire (INT-7), and one duty
                         period's deadline clock, so that the sweeper decides that period (PLT-1)
"""
import base64
import csv
import hashlib
import io
import json
import math
import os
import re
import sqlite3
import struct
import sys
import tempfile
import time
import urllib.parse
import zlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["PROPDESK_URL"].rstrip("/")
HOST = urllib.parse.urlparse(BASE).netloc
SHOTS = os.environ.get("PROPDESK_SCREENSHOTS", "")
DB = os.environ["PROPDESK_DB"]
DESKTOP = (1280, 900)
PHONE = (375, 812)

creds = open(os.environ["PROPDESK_CREDENTIALS"], encoding="utf-8").read()
PASSWORD = re.search(r"password: (\S+)", creds).group(1)
ACCOUNTS = {}  # username -> (role, display name)
for line in creds.splitlines():
    m = re.match(r"^(\S+)\s+(.+?) / (\S+)\s+(\S+)$", line)
    if m:
        ACCOUNTS[m.group(1)] = (m.group(2), m.group(4))

drivers = []
checks = []


def check(spec, what, ok, fatal=True):
    """Records one check. A failed check stops the run, unless `fatal` is False: then the run
    goes on (what follows does not depend on it) and fails at the end."""
    ok = bool(ok)
    checks.append((spec, what, ok))
    print(("  ok   " if ok else "  FAIL ") + f"[{spec}] {what}", flush=True)
    if not ok and fatal:
        raise AssertionError(f"[{spec}] {what}")


def browser(size):
    opts = webdriver.ChromeOptions()
    for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", f"--window-size={size[0]},{size[1]}",
              "--lang=zh-CN", "--force-device-scale-factor=1"]:
        opts.add_argument(a)
    if os.path.exists("/usr/bin/chromium"):
        opts.binary_location = "/usr/bin/chromium"
    opts.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver") if os.path.exists("/usr/bin/chromedriver") else None
    d = webdriver.Chrome(options=opts, service=service)
    d.set_window_size(*size)
    drivers.append(d)
    return d


def wait(d, cond, seconds=20):
    """Waits for a state, generously: on CI the server, three browsers and their live refreshes
    share two cores, and a page can take seconds to come back."""
    return WebDriverWait(d, seconds, ignored_exceptions=(StaleElementReferenceException,)).until(cond)


def observe(d, cond, seconds=20):
    """Like wait, but a state that never comes is an answer (None), not an exception: for a
    check that must be able to fail under its own name."""
    try:
        return wait(d, cond, seconds)
    except TimeoutException:
        return None


def until(cond, seconds=30, step=0.5):
    """Polls a condition that is not in a browser (the database), up to `seconds`."""
    end = time.time() + seconds
    while True:
        v = cond()
        if v or time.time() > end:
            return v
        time.sleep(step)


def db_rows(sql, args=()):
    """Reads the server's SQLite file (WAL: a reader never blocks the server)."""
    c = sqlite3.connect(DB, timeout=30)
    try:
        return c.execute(sql, args).fetchall()
    finally:
        c.close()


def make_clock_due(number, kind):
    """Moves the open `kind` clock of order `number` back in time so that its target passed a
    minute ago: started_at, due_at and next_fire_at each earlier by the same amount, so the
    clock stays coherent (due = start + target) and its first firing (the target itself) is due
    now. Fluent keeps dates in SQLite as REAL seconds since 1970 (SQLiteNIO's Date encoding).
    Nothing else is touched: it is the server's own sweeper that has to notice and fire it.
    Returns (clock id, new next_fire_at)."""
    c = sqlite3.connect(DB, timeout=30, isolation_level=None)
    try:
        c.execute("BEGIN IMMEDIATE")
        row = c.execute(
            "SELECT c.id, c.next_fire_at, typeof(c.next_fire_at), typeof(c.due_at), typeof(c.started_at) FROM sla_clocks c "
            "JOIN work_orders o ON o.id = c.subject_id "
            "WHERE o.number = ? AND c.kind = ? AND c.stopped_at IS NULL AND c.paused_at IS NULL AND c.level = 0 "
            "AND c.next_fire_at IS NOT NULL ORDER BY c.round DESC LIMIT 1", (number, kind)).fetchone()
        if row is None:
            c.execute("ROLLBACK")
            raise AssertionError(f"order {number} has no open {kind} clock waiting to fire")
        clock_id, next_fire_at, *types = row
        if any(t not in ("real", "integer") for t in types):
            c.execute("ROLLBACK")
            raise AssertionError(f"sla_clocks dates are stored as {types}, not seconds since 1970")
        shift = next_fire_at - (time.time() - 60)
        c.execute("UPDATE sla_clocks SET started_at = started_at - ?, due_at = due_at - ?, next_fire_at = next_fire_at - ? "
                  "WHERE id = ? AND stopped_at IS NULL AND level = 0", (shift, shift, shift, clock_id))
        changed = c.execute("SELECT changes()").fetchone()[0]
        c.execute("COMMIT")
        if changed != 1:
            raise AssertionError(f"could not move the {kind} clock of {number}")
        return clock_id, next_fire_at - shift
    finally:
        c.close()


def click(d, by, what):
    """Clicks, again if a live refresh replaced the element between finding and clicking it."""
    for attempt in range(10):
        try:
            wait(d, EC.element_to_be_clickable((by, what))).click()
            return
        except StaleElementReferenceException:
            time.sleep(0.2)
    raise AssertionError(f"could not click {what}")


def sign_in(d, username):
    d.get(BASE + "/login")
    d.find_element(By.ID, "username").send_keys(username)
    d.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
    wait(d, EC.presence_of_element_located((By.ID, "sign-out")))


def sign_out(d):
    click(d, By.ID, "sign-out")
    wait(d, EC.presence_of_element_located((By.ID, "username")))


def shot(d, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        # Full page height so a screenshot shows the whole screen, not just the fold.
        w = d.get_window_size()["width"]
        h = d.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
        d.set_window_size(w, min(max(h + 20, 600), 2400))
        d.save_screenshot(os.path.join(SHOTS, name + ".png"))
        d.set_window_size(w, DESKTOP[1] if w >= 1000 else PHONE[1])


def first(role_word):
    return next(u for u, (r, _) in ACCOUNTS.items() if r == role_word and u.startswith("chhy."))


def png(path):
    """A small real PNG (a blue square) for the photo upload."""
    w = h = 64
    raw = b"".join(b"\x00" + bytes([30, 90, 200]) * w for _ in range(h))
    def chunk(t, data):
        return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return path


def foreign_requests(d):
    """Every URL this browser asked for that is not PropDesk itself."""
    out = []
    for entry in d.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            url = msg["params"]["request"]["url"]
            p = urllib.parse.urlparse(url)
            if p.scheme in ("http", "https", "ws", "wss") and p.netloc != HOST:
                out.append(url)
    return out


def fetch_bytes(d, url):
    """GETs a URL with the browser's own session (fetch, same origin): (status, content type,
    content disposition, bytes). Bytes, not text: Response.text() drops a leading UTF-8 BOM."""
    r = d.execute_async_script("""
        var done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: 'same-origin'}).then(function (r) {
          return r.arrayBuffer().then(function (b) {
            var u = new Uint8Array(b), s = '';
            for (var i = 0; i < u.length; i += 8192) s += String.fromCharCode.apply(null, u.subarray(i, i + 8192));
            done([r.status, r.headers.get('content-type') || '', r.headers.get('content-disposition') || '', btoa(s)]);
          });
        }).catch(function (e) { done([0, String(e), '', '']); });""", url)
    return r[0], r[1], r[2], base64.b64decode(r[3])


# The standards scorecard (REP-2): one row per registered duty, in this order.
DUTIES = ["duty-S0-2.3-emergency-arrival", "duty-S0-2.3-contract-arrival", "duty-S4-4.9-no-show-callback"]
VALUE = re.compile(r"^(\d+(?:\.\d)?%) \((\d+)/(\d+)\)$")


def scorecard_rows(d):
    """The scorecard as shown: per duty, its outcome, value, period link and records
    ([number, href, missed?] each)."""
    return d.execute_script("""
        return Array.prototype.map.call(document.querySelectorAll('#scorecard tr[id^="duty-"]'), function (tr) {
          var p = tr.querySelector('td a.period'), v = tr.querySelector('td.value');
          return {id: tr.id, outcome: tr.dataset.outcome, value: v ? v.textContent.trim() : null, period: p ? p.getAttribute('href') : null,
                  records: Array.prototype.map.call(tr.querySelectorAll('.records a'), function (a) {
                    return [a.textContent.trim(), a.getAttribute('href'), a.classList.contains('missed')]; })};
        });""")


def row_reads_right(r, over):
    """A row's value reads "93.3% (14/15)" (the share rounded down to a tenth) or "—" (nothing
    counted); its outcome follows from it: met or missed once the month is over,
    in progress or at risk before; every record links an order page."""
    links = all(re.fullmatch(r"/orders/[0-9A-Fa-f-]{36}", href or "") for _, href, _ in r["records"])
    if r["value"] == "—":
        return r["outcome"] == "no_records" and links
    m = VALUE.match(r["value"] or "")
    if not m or int(m.group(3)) == 0 or int(m.group(2)) > int(m.group(3)):
        return False
    met, of = int(m.group(2)), int(m.group(3))
    pm = met * 1000 // of
    share = f"{pm // 10}%" if pm % 10 == 0 else f"{pm // 10}.{pm % 10}%"
    outcome = ("met" if met == of else "missed") if over else ("in_progress" if met == of else "at_risk")
    return m.group(1) == share and r["outcome"] == outcome and links


def pick_month(d, month):
    """Picks a month with the scorecard's own form (a plain GET) and waits for its page."""
    d.execute_script("document.getElementById('scorecard-month').value = arguments[0]", month)
    click(d, By.XPATH, "//input[@id='scorecard-month']/ancestor::form//button[@type='submit']")
    wait(d, lambda x: f"month={month}" in x.current_url and x.find_element(By.ID, "scorecard-month").get_attribute("value") == month)


def decide_period_now(period_id):
    """Makes the deadline clock of one duty period due now, as if its month had just ended: only
    next_fire_at moves (REAL seconds since 1970); the server's own sweeper then measures the
    period from the records, decides it and, on a miss, alerts the duty's owner (PLT-1)."""
    c = sqlite3.connect(DB, timeout=30, isolation_level=None)
    try:
        c.execute("BEGIN IMMEDIATE")
        c.execute("UPDATE sla_clocks SET next_fire_at = ? WHERE subject_kind = 'duty_period' AND upper(subject_id) = upper(?) "
                  "AND kind = 'deadline' AND level = 0 AND stopped_at IS NULL AND next_fire_at IS NOT NULL", (time.time() - 1, period_id))
        changed = c.execute("SELECT changes()").fetchone()[0]
        c.execute("COMMIT")
    finally:
        c.close()
    if changed != 1:
        raise AssertionError(f"duty period {period_id} has no open deadline clock")


def period_page(d, row, month):
    """Opens a missed row's period from its citation link and returns what a check needs: its
    timeline entries, its alerts, whether it has the evidence section, and where "back" goes."""
    click(d, By.CSS_SELECTOR, f"[id='{row['id']}'] td a.period")
    wait(d, EC.presence_of_element_located((By.ID, "period-title")))
    return {
        "path": urllib.parse.urlparse(d.current_url).path,
        "title": d.find_element(By.ID, "period-title").text,
        "events": [(li.get_attribute("data-event"), li.text) for li in d.find_elements(By.CSS_SELECTOR, "#timeline li")],
        "alerts": [li.get_attribute("data-alert-kind") for li in d.find_elements(By.CSS_SELECTOR, "ul.alerts li")],
        "evidence": bool(d.find_elements(By.CSS_SELECTOR, "section#evidence-section")),
        "back": [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "main a[href*='/scorecard?month=']")],
    }


def period_reads_right(p, row, month, scorecard_path):
    """A decided miss: its page is the row's link, names the month, has one "decided" entry
    that says missed, at least one "alerted" entry and open alert, the evidence section, and
    leads back to that month's row."""
    decided = [text for kind, text in p["events"] if kind == "decided"]
    return (p["path"] == row["period"] and month in p["title"] and len(decided) == 1 and "未达标" in decided[0]
            and any(kind == "alerted" for kind, _ in p["events"]) and "duty_missed" in p["alerts"] and p["evidence"]
            and any(urllib.parse.urlparse(h).path == scorecard_path and f"month={month}" in h and h.endswith("#" + row["id"]) for h in p["back"]))


def draw(d, pad, strokes=3):
    """Signs on a canvas with the mouse: `strokes` wavy strokes side by side, every point inside
    the pad (WebDriver offsets are from its centre)."""
    w, h = pad.size["width"], pad.size["height"]
    a = ActionChains(d, duration=10)  # 10 ms a move, not the default 250
    for s in range(strokes):
        x0, y0 = -0.4 * w + s * 0.25 * w, -0.1 * h
        a.move_to_element_with_offset(pad, int(x0), int(y0)).click_and_hold()
        for k in range(1, 13):
            a.move_to_element_with_offset(pad, int(x0 + k * 0.018 * w), int(y0 + 0.3 * h * math.sin(k / 2)))
        a.release()
    a.perform()


# How many pixels of a canvas or a loaded image are not transparent: the ink of a signature.
INK = """var c = arguments[0], x = document.createElement('canvas');
    x.width = c.naturalWidth || c.width; x.height = c.naturalHeight || c.height;
    var g = x.getContext('2d'); g.drawImage(c, 0, 0);
    var p = g.getImageData(0, 0, x.width, x.height).data, n = 0;
    for (var i = 3; i < p.length; i += 4) if (p[i] > 0) n++;
    return n;"""


def region_kept(d, mark):
    """Whether the order page's live region is still the element we marked with `mark`: a live
    refresh replaces the element, and the mark goes with the old one."""
    return d.execute_script("var r = document.getElementById('live-region'); return !!r && r.dataset.testMark === arguments[0];", mark)


def mark_region(d, mark):
    """Marks the order page's live region, once the page listens to the live stream."""
    wait(d, lambda x: x.execute_script("return document.body.dataset.liveConnected") == "1")
    d.execute_script("document.getElementById('live-region').dataset.testMark = arguments[0]", mark)


def listen(d):
    """Opens a second listener on the page's own live stream that keeps every event it gets
    (window.__seen): the proof that an event reached the page. Waits until it is connected."""
    d.execute_script("""
        window.__seen = []; var s = window.__probe = new EventSource(document.body.dataset.live);
        ['order.created', 'order.changed', 'alert.raised', 'alert.acknowledged', 'message'].forEach(function (t) {
          s.addEventListener(t, function (e) { try { window.__seen.push(JSON.parse(e.data)); } catch (err) {} });
        });""")
    wait(d, lambda x: x.execute_script("return window.__probe.readyState") == 1)


def order_step(d, url, name, reason=None):
    """Takes one step on an order from its page (hold with a reason, or resume) and waits until
    the page offers the step that undoes it."""
    d.get(url)
    wait(d, EC.presence_of_element_located((By.ID, f"step-{name}")))
    if reason:
        d.find_element(By.ID, f"{name}-reason").send_keys(reason)
    click(d, By.ID, f"do-{name}")
    wait(d, EC.presence_of_element_located((By.ID, {"hold": "step-resume", "resume": "step-hold"}[name])))


def main():
    desk_user, manager_user, engineer_users = first("Front desk"), first("Customer-service manager"), [u for u, (r, _) in ACCOUNTS.items() if r == "Engineer" and u.startswith("chhy.")]
    resident_user = next(u for u, (r, _) in ACCOUNTS.items() if r == "Resident")
    foreign = []

    print("== sign in as each role, navigation by role (SEC-2) ==")
    d = browser(DESKTOP)
    d.get(BASE + "/login")
    shot(d, "login-desktop")
    # The standards scorecard (REP-2) is for whoever reviews orders: the head, the CS manager,
    # the front desk and area supervisors hold that permission; engineers do not.
    expected = {
        "admin": [],
        "chhy.head": ["nav-intake", "nav-board", "nav-register", "nav-scorecard"],
        manager_user: ["nav-intake", "nav-board", "nav-register", "nav-scorecard"],
        desk_user: ["nav-intake", "nav-board", "nav-register", "nav-scorecard"],
        first("Area supervisor"): ["nav-intake", "nav-board", "nav-my", "nav-register", "nav-scorecard"],
        engineer_users[0]: ["nav-intake", "nav-board", "nav-my", "nav-register"],
        resident_user: ["nav-portal", "nav-report", "nav-prices"],
    }
    every = ["nav-intake", "nav-board", "nav-my", "nav-register", "nav-scorecard", "nav-portal", "nav-report", "nav-prices"]
    board_path = None  # a real community's board, seen by staff, for the resident to ask for
    for user, navs in expected.items():
        sign_in(d, user)
        role = ACCOUNTS.get(user, ("Administrator",))[0]
        links = d.find_elements(By.CSS_SELECTOR, "a[id^=board-]")
        if links:
            # Staff land on their communities; open the first one's board.
            board_path = board_path or urllib.parse.urlparse(links[0].get_attribute("href")).path
            links[0].click()
        present = [n for n in every if d.find_elements(By.ID, n)]
        check("SEC-2", f"{user} ({role}) sees {navs or 'no order screens'}", present == navs)
        scorecard_path = board_path and board_path.rsplit("/", 1)[0] + "/scorecard"
        if "nav-scorecard" in present:
            href = urllib.parse.urlparse(d.find_element(By.ID, "nav-scorecard").get_attribute("href")).path
            check("REP-2", f"…the scorecard link goes to this community's scorecard ({href})", href == scorecard_path)
        if role == "Front desk":
            click(d, By.ID, "nav-scorecard")
            rows = observe(d, lambda x: [r["id"] for r in scorecard_rows(x)] or None, 10)
            check("REP-2", f"the front desk opens it from the nav: {len(rows or [])} duties", rows == DUTIES)
        if role == "Engineer":
            d.get(BASE + scorecard_path)
            check("REP-2", "an engineer asking for the scorecard is refused",
                  d.find_elements(By.TAG_NAME, "h1") and not d.find_elements(By.ID, "scorecard") and "规范符合度" not in d.title)
        if role == "Administrator":
            d.get(BASE + "/my")
            check("SEC-2", "an administrator asking for the engineer's view is refused", "my-orders" not in d.page_source)
        if role == "Resident":
            d.get(BASE + board_path)
            check("SEC-2", f"a resident asking for the board staff see ({board_path}) is refused", "board-live" not in d.page_source)
            d.get(BASE + "/portal")
        sign_out(d)
    foreign += foreign_requests(d)

    print("== the CS manager watches the board; the desk registers an emergency by keyboard (INT-3, INT-4, INT-7) ==")
    board = browser(DESKTOP)
    sign_in(board, manager_user)
    board.find_elements(By.CSS_SELECTOR, "a[id^=board-]")[0].click()
    wait(board, EC.presence_of_element_located((By.ID, "board-live")))
    wait(board, lambda b: b.execute_script("return document.body.dataset.liveConnected") == "1")
    board.execute_script("window.__noReload = 'still here'")

    desk = d
    sign_in(desk, desk_user)
    desk.find_elements(By.CSS_SELECTOR, "a[id^=intake-]")[0].click()
    wait(desk, EC.presence_of_element_located((By.ID, "intake-form")))
    resident_phone = resident_user
    keys = 0
    # Every mouse press on the intake page from here to saving is counted by the page itself.
    desk.execute_script("window.__mouse = 0; ['mousedown', 'pointerdown'].forEach(function (t) {"
                        " document.addEventListener(t, function () { window.__mouse++; }, true); });")
    search = desk.switch_to.active_element
    check("INT-3", "the search box has the focus when the intake opens", search.get_attribute("id") == "caller-search")
    fragment = resident_phone[-4:]
    search.send_keys(fragment); keys += len(fragment)
    wait(desk, EC.presence_of_element_located((By.CSS_SELECTOR, "#caller-results li[role=option]")))
    search.send_keys(Keys.ENTER); keys += 1
    wait(desk, lambda x: x.find_element(By.NAME, "unitId").get_attribute("value") != "")
    wait(desk, EC.presence_of_element_located((By.CSS_SELECTOR, "#intake-context #unit-context")))
    # What the context shows, list by list (open orders, recent complaints): the numbers linked,
    # [] for "none", None if a heading has neither a list nor a "none" under it.
    shown = desk.execute_script("""
        return Array.prototype.map.call(document.querySelectorAll('#unit-context h3'), function (h) {
          var n = h.nextElementSibling;
          if (n && n.tagName === 'UL') return Array.prototype.map.call(n.querySelectorAll('li a'), function (a) { return a.textContent.trim(); });
          return n && n.tagName === 'P' && n.textContent.trim() ? [] : null;
        });""")
    unit_label = desk.find_element(By.NAME, "unitLabel").get_attribute("value")
    context_title = desk.find_element(By.CSS_SELECTOR, "#intake-context h2").text
    open_statuses = ("received", "dispatched", "accepted", "contacted", "on_site", "on_hold")
    unit_id = desk.find_element(By.NAME, "unitId").get_attribute("value")
    # Fluent keeps UUIDs in SQLite as text (uuidString, upper case).
    stored_open = {n for (n,) in db_rows(
        f"SELECT number FROM work_orders WHERE upper(unit_id) = upper(?) AND status IN ({','.join('?' * len(open_statuses))})",
        (unit_id,) + open_statuses)}
    check("INT-17", f"the unit's open orders ({len(shown[0]) if shown and shown[0] is not None else '?'}, as stored) and complaints "
                    f"({len(shown[1]) if shown and len(shown) > 1 and shown[1] is not None else '?'}) show beside the form for {unit_label}",
          len(shown) == 2 and None not in shown and context_title == unit_label and set(shown[0]) == stored_open)
    focused = desk.switch_to.active_element
    check("INT-3", "picking the caller moves the focus to the description", focused.get_attribute("id") == "description")
    text = "厨房水管爆裂,水流不止"
    focused.send_keys(text); keys += len(text)
    wait(desk, EC.visibility_of_element_located((By.ID, "emergency-badge")))
    check("INT-4", "the emergency badge appears while typing", "15" in desk.find_element(By.ID, "emergency-badge").text)
    shot(desk, "intake-desktop")
    clicks = desk.execute_script("return window.__mouse")
    focused.send_keys(Keys.CONTROL, Keys.ENTER); keys += 1
    number_el = wait(desk, EC.visibility_of_element_located((By.ID, "created-number")))
    number = number_el.text
    control_keys = keys - len(text)
    print(f"     keystrokes: {keys} ({control_keys} to find the caller and save, {len(text)} for the description), mouse clicks: {clicks}")
    # Keystroke-level model (Card, Moran & Newell): ~0.28 s per keystroke for an average typist,
    # +1.35 s per mental step (find, pick, describe, save) and 0.5 s per wait for the screen.
    # Chinese is typed through pinyin: count ~3 keystrokes per character of the description.
    typed = control_keys + 3 * len(text)
    estimate = typed * 0.28 + 4 * 1.35 + 3 * 0.5
    check("INT-3", f"a phone request by keyboard only: {control_keys} keys + the description (~{typed} with pinyin), 0 clicks, ~{estimate:.0f} s by the keystroke-level model (< 30 s)",
          clicks == 0 and control_keys <= 8 and estimate < 30)
    check("INT-3", f"the order number {number} is on screen after saving", re.match(r"^[A-Z0-9-]+$", number) is not None)
    shot(desk, "intake-created-desktop")

    card = observe(board, EC.presence_of_element_located((By.CSS_SELECTOR, f"article[data-order-number='{number}']")), 15)
    # Received, or already dispatched by a dispatch rule: as stored.
    stored_status = db_rows("SELECT status FROM work_orders WHERE number = ?", (number,))
    check("INT-7", f"the new emergency appears live on another session's board ({stored_status[0][0] if stored_status else 'not stored'})",
          card is not None and stored_status and card.get_attribute("data-status") == stored_status[0][0]
          and "prio-emergency" in card.get_attribute("class"))
    check("INT-7", "…without reloading the page", board.execute_script("return window.__noReload") == "still here")
    shot(board, "board-desktop")

    print("== dispatch and the engineer's phone (INT-15, INT-5, INT-6) ==")
    click(board, By.CSS_SELECTOR, f"article[data-order-number='{number}'] a.number")
    wait(board, EC.presence_of_element_located((By.ID, "order-head")))
    order_url = board.current_url
    assignee = None
    if board.find_elements(By.ID, "step-dispatch"):
        sel = board.find_element(By.ID, "dispatch-to")
        engineer_name = ACCOUNTS[engineer_users[0]][1]
        for opt in sel.find_elements(By.TAG_NAME, "option"):
            if opt.text.startswith(engineer_name):
                opt.click()
        click(board, By.ID, "do-dispatch")
        # Done when the order page no longer offers to dispatch (a flash may be replaced by a live refresh).
        wait(board, lambda b: not b.find_elements(By.ID, "step-dispatch") and b.find_elements(By.ID, "order-head"))
    facts = board.find_element(By.CSS_SELECTOR, ".facts").text
    for u in engineer_users:
        if ACCOUNTS[u][1] in facts:
            assignee = u
    check("INT-15", f"the emergency is dispatched to an engineer ({assignee})", assignee is not None)
    shot(board, "order-desktop")

    print("== nobody on site in time: the server's sweeper raises an alert, the board shows it live (INT-7) ==")
    order_path = urllib.parse.urlparse(order_url).path
    click(board, By.ID, "nav-board")
    wait(board, EC.presence_of_element_located((By.ID, "board-live")))
    wait(board, lambda b: b.execute_script("return document.body.dataset.liveConnected") == "1")
    board.execute_script("window.__noReload = 'waiting for the alert'")
    alert_css = f"#alerts ul.alerts li[data-alert-kind='overdue'] a[href='{order_path}']"
    stored_alerts = lambda: db_rows("SELECT a.kind, a.level, a.clock_kind FROM alerts a JOIN work_orders o ON o.id = a.subject_id WHERE o.number = ?", (number,))
    check("INT-7", "before: no alert about the new emergency, on the board or stored",
          not board.find_elements(By.CSS_SELECTOR, alert_css) and not stored_alerts())
    clock_id, due = make_clock_due(number, "arrival")
    print(f"     moved the arrival clock of {number} back: due and next firing at {due:.0f} (now {time.time():.0f})")
    fired = until(lambda: [a for a in stored_alerts() if a[0] == "overdue" and a[2] == "arrival"], 30)
    check("INT-7", f"the server's own sweeper fired the overdue arrival clock within 30 s (alerts stored: {fired or stored_alerts()})",
          fired, fatal=False)
    shown_alert = observe(board, lambda b: b.find_elements(By.CSS_SELECTOR, alert_css), 10 if fired else 1)
    check("INT-7", "an alert appears on the live board without a reload",
          shown_alert and board.execute_script("return window.__noReload") == "waiting for the alert", fatal=False)
    # Back to the order on the board's session: it must follow the phone live from here on.
    board.get(order_url)
    wait(board, EC.presence_of_element_located((By.ID, "order-head")))
    wait(board, lambda b: b.execute_script("return document.body.dataset.liveConnected") == "1")
    board.execute_script("window.__noReload = 'still on the order'")

    phone = browser(PHONE)
    sign_in(phone, assignee)
    check("INT-5", "an engineer lands on their orders", "/my" in phone.current_url)
    wait(phone, EC.presence_of_element_located((By.CSS_SELECTOR, f"#my-orders article[data-order-number='{number}']")))
    shot(phone, "my-orders-phone")
    def my_status(p):
        """The status badge of the emergency's card in the engineer's list (None: no card)."""
        badges = p.find_elements(By.CSS_SELECTOR, f"#my-orders article[data-order-number='{number}'] [data-status]")
        return badges[0].get_attribute("data-status") if badges else None
    before = my_status(phone)
    click(phone, By.ID, f"accept-{number}")
    wait(phone, EC.presence_of_element_located((By.ID, f"check-in-{number}")))
    after = observe(phone, lambda p: my_status(p) == "accepted" and "accepted")
    check("INT-5", f"accept from the phone list: {before} → {after}", before == "dispatched" and after == "accepted")
    open_arrival = lambda: db_rows("SELECT count(*) FROM sla_clocks c JOIN work_orders o ON o.id = c.subject_id "
                                   "WHERE o.number = ? AND c.kind = 'arrival' AND c.stopped_at IS NULL", (number,))[0][0]
    arrivals_open = open_arrival()
    click(phone, By.ID, f"check-in-{number}")
    on_site = observe(phone, lambda p: not p.find_elements(By.ID, f"check-in-{number}") and my_status(p) == "on_site")
    check("INT-6", f"check in on site with one button (on site; the arrival clock stopped: {arrivals_open} open → {open_arrival()})",
          on_site and arrivals_open == 1 and open_arrival() == 0)
    phone.get(order_url)
    wait(phone, EC.presence_of_element_located((By.ID, "step-complete")))
    check("INT-5", "the call-the-resident link dials the full number for the assignee", phone.find_element(By.ID, "call-resident").get_attribute("href").startswith("tel:"))
    phone.find_element(By.ID, "complete-note").send_keys("更换厨房进水管及阀门,已试水无渗漏")
    photo_dir = tempfile.TemporaryDirectory()   # removed when the test ends
    phone.find_element(By.ID, "complete-photos").send_keys(png(os.path.join(photo_dir.name, "after.png")))
    shot(phone, "order-engineer-phone")
    click(phone, By.ID, "do-complete")
    wait(phone, EC.presence_of_element_located((By.ID, "photos")))
    check("INT-11", "completed with a photo that shows on the order", len(phone.find_elements(By.CSS_SELECTOR, "#photos img")) == 1)
    check("INT-11", "the engineer can hand the phone to the resident to sign off", bool(phone.find_elements(By.ID, "step-sign-off")))
    check("INT-7", "the board's copy of the order followed live",
          observe(board, lambda b: "completed" in (b.find_element(By.CSS_SELECTOR, ".order-head [data-status]").get_attribute("data-status") or ""), 30)
          and board.execute_script("return window.__noReload") == "still on the order")

    print("== the resident signs on the engineer's phone (PLT-4) ==")
    signer = ACCOUNTS[resident_user][1]
    stored_signatures = lambda: db_rows(
        "SELECT e.signed_by, e.size, e.digest FROM evidence e JOIN work_orders o ON upper(o.id) = upper(e.subject_id) "
        "WHERE o.number = ? AND e.subject_kind = 'work_order' AND e.kind = 'signature'", (number,))
    phone.get(order_url)
    form = observe(phone, EC.presence_of_element_located((By.ID, "signature-form")), 10)
    check("PLT-4", "the completed order offers a signature pad: signer's name, pad, clear and save",
          form and all(phone.find_elements(By.ID, i) for i in ("signature-name", "signature-pad", "signature-clear", "signature-save"))
          and phone.find_element(By.ID, "signature-name").get_attribute("name") == "signedBy")
    pad = phone.find_element(By.ID, "signature-pad")
    phone.execute_script("arguments[0].scrollIntoView({block: 'center'})", pad)
    box = phone.execute_script("var r = arguments[0].getBoundingClientRect(), e = document.documentElement;"
                               "return [r.left, r.right, r.width, r.height, e.clientWidth, e.scrollWidth];", pad)
    check("PLT-4", f"the pad fits the phone's screen: {box[2]:.0f}×{box[3]:.0f} px inside {box[4]} px, no sideways scrolling",
          box[0] >= 0 and box[1] <= box[4] and box[2] >= 0.75 * box[4] and abs(box[2] - 3 * box[3]) < 3 and box[5] <= box[4])
    # The name first, on every try: a form being filled in is not replaced by a live refresh.
    phone.find_element(By.ID, "signature-name").send_keys(signer)
    click(phone, By.ID, "signature-save")
    refused = observe(phone, lambda p: p.find_elements(By.CSS_SELECTOR, "#flash.error"), 10)
    check("PLT-4", f"saving without drawing keeps nothing and says so: {refused[0].text if refused else 'no message'}",
          refused and "请先在框内签名" in refused[0].text and phone.current_url == order_url
          and not phone.find_elements(By.CSS_SELECTOR, "#evidence li[data-kind=signature]") and not stored_signatures())
    pad = phone.find_element(By.ID, "signature-pad")
    phone.execute_script("arguments[0].scrollIntoView({block: 'center'})", pad)
    phone.find_element(By.ID, "signature-name").send_keys(signer)
    draw(phone, pad)
    drawn = phone.execute_script(INK, pad)
    click(phone, By.ID, "signature-clear")
    cleared = phone.execute_script(INK, pad)
    check("PLT-4", f"pointer strokes leave ink on the pad ({drawn} px), the clear button wipes it ({cleared} px)", drawn > 500 and cleared == 0)
    draw(phone, pad, strokes=4)
    inked = phone.execute_script(INK, pad)
    # What an empty pad would save, in this browser: a transparent PNG of the pad's size.
    blank = phone.execute_script("var c = document.createElement('canvas'); c.width = arguments[0].width; c.height = arguments[0].height;"
                                 "return atob(c.toDataURL('image/png').split(',')[1]).length;", pad)
    click(phone, By.ID, "signature-save")
    item = observe(phone, EC.presence_of_element_located((By.CSS_SELECTOR, "#evidence li[data-kind=signature]")), 10)
    saved = phone.find_elements(By.CSS_SELECTOR, "#flash.notice")
    src = item.find_element(By.CSS_SELECTOR, "img.signature").get_attribute("src") if item and item.find_elements(By.CSS_SELECTOR, "img.signature") else ""
    check("PLT-4", f"drawn ({inked} px) and saved: back on the order, signed by {signer}, the image at {urllib.parse.urlparse(src).path or 'nowhere'}",
          inked > 500 and item and phone.current_url == order_url and saved and "已保存签名" in saved[0].text and signer in item.text
          and re.fullmatch(re.escape(BASE) + r"/evidence/[0-9A-Fa-f-]{36}", src))
    shown = lambda p: p.execute_script(
        "var i = document.querySelector('#evidence li[data-kind=signature] img.signature');"
        "if (!i) return null; i.scrollIntoView({block: 'center'}); return i.complete && i.naturalWidth > 0 ? [i.naturalWidth, i.naturalHeight] : null;")
    size = observe(phone, shown, 10)
    img = phone.find_element(By.CSS_SELECTOR, "#evidence li[data-kind=signature] img.signature")
    ink = phone.execute_script(INK, img) if size else 0
    check("PLT-4", f"the browser shows the stored signature: {size[0] if size else 0}×{size[1] if size else 0} px, {ink} px of ink", size == [600, 200] and ink > 500)
    status, ctype, _, data = fetch_bytes(phone, src)
    stored = stored_signatures()
    # Measured with Chromium: an empty 600×200 pad saves ~3.3 KB, these four strokes ~16 KB.
    check("PLT-4", f"the stored file is a 600×200 PNG of {len(data):,} bytes (an empty pad's: {blank:,}), as stored: by {signer}, same size and SHA-256",
          status == 200 and ctype == "image/png" and data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
          and struct.unpack(">II", data[16:24]) == (600, 200) and len(data) > 2 * blank
          and len(stored) == 1 and stored[0][0] == signer and stored[0][1] == len(data) and stored[0][2] == hashlib.sha256(data).hexdigest())

    print("== the signature pad across live refreshes of the order page (PLT-4, INT-7) ==")
    # The front desk has another open order of the community open, pad empty; the CS manager
    # (the board's session) puts it on hold, resumes it, and changes a third order meanwhile.
    community_id = db_rows("SELECT community_id FROM work_orders WHERE number = ?", (number,))[0][0]
    others = db_rows("SELECT id, number FROM work_orders WHERE upper(community_id) = upper(?) AND status = 'dispatched' "
                     "AND priority <> 'emergency' AND number <> ? ORDER BY number LIMIT 2", (community_id, number))
    check("PLT-4", f"two more dispatched orders of the community to watch and to change: {', '.join(n for _, n in others)}", len(others) == 2)
    (watched_id, watched), (other_id, other) = others
    watched_url, other_url = f"{BASE}/orders/{watched_id}", f"{BASE}/orders/{other_id}"
    watched_signatures = lambda: [n for (n,) in db_rows(
        "SELECT signed_by FROM evidence WHERE subject_kind = 'work_order' AND upper(subject_id) = upper(?) AND kind = 'signature' "
        "ORDER BY uploaded_at", (watched_id,))]
    shown_status = lambda x: x.find_element(By.CSS_SELECTOR, "#order-head [data-status]").get_attribute("data-status")
    desk_signer = ACCOUNTS[desk_user][1]
    desk.get(watched_url)
    wait(desk, EC.presence_of_element_located((By.ID, "signature-pad")))
    mark_region(desk, "before the hold")
    order_step(board, watched_url, "hold", "业户出差,约定下周上门")
    refreshed = observe(desk, lambda x: not region_kept(x, "before the hold") and x.find_elements(By.ID, "signature-pad")
                        and shown_status(x) == "on_hold", 15)
    check("PLT-4", f"the hold of {watched} refreshed the desk's open page live (its live region replaced, now on_hold)", refreshed)
    pad = desk.find_element(By.ID, "signature-pad")
    desk.execute_script("arguments[0].scrollIntoView({block: 'center'})", pad)
    draw(desk, pad)
    inked = desk.execute_script(INK, pad)
    desk.find_element(By.ID, "signature-name").send_keys(desk_signer)
    click(desk, By.ID, "signature-save")
    item = observe(desk, EC.presence_of_element_located((By.CSS_SELECTOR, "#evidence li[data-kind=signature]")), 10)
    check("PLT-4", f"the signature pad still draws and saves after a live refresh of the order page: {inked} px of ink, "
                   f"stored {watched_signatures()}, listed: {item.text if item else 'nothing'}",
          inked > 500 and item and desk_signer in item.text and watched_signatures() == [desk_signer]
          and urllib.parse.urlparse(desk.current_url).path == urllib.parse.urlparse(watched_url).path)

    # Another order's event reaches this page's stream (a second listener in the page sees it)
    # and changes nothing here. The watched order is on hold: its clocks are paused, no alert
    # about it comes meanwhile.
    mark_region(desk, "other order")
    listen(desk)
    order_step(board, other_url, "hold", "等待配件到货")
    heard = observe(desk, lambda x: x.execute_script(
        "var id = arguments[0]; return window.__seen.some(function (e) { return String(e.orderId || '').toLowerCase() === id; })",
        other_id.lower()), 10)
    time.sleep(1.5)  # what a refresh would take: 200 ms of debounce and one page fetch
    last = desk.execute_script("return window.propdeskLastEvent || null")
    kept = region_kept(desk, "other order")
    check("INT-7", f"an event about another order ({other}) reaches the page's stream ({'heard' if heard else 'not heard'}) "
                   f"and does not refresh the page of {watched} ({'kept' if kept else 'replaced'})",
          heard and kept and not (last and str(last.get("orderId", "")).lower() == other_id.lower()))
    desk.execute_script("window.__probe.close()")
    order_step(board, other_url, "resume")

    # Ink on the pad, no name yet: the resume of the watched order must not wipe the drawing.
    pad = desk.find_element(By.ID, "signature-pad")
    desk.execute_script("arguments[0].scrollIntoView({block: 'center'})", pad)
    mark_region(desk, "ink on the pad")
    draw(desk, pad, strokes=4)
    inked = desk.execute_script(INK, pad)
    order_step(board, watched_url, "resume")
    held_off = observe(desk, lambda x: x.execute_script(
        "var e = window.propdeskLastEvent; return !!e && String(e.orderId).toLowerCase() === arguments[0] && e.status !== 'on_hold'"
        " && document.getElementById('live-region').classList.contains('stale')", watched_id.lower()), 15)
    kept = desk.execute_script(INK, pad) if region_kept(desk, "ink on the pad") else 0
    check("PLT-4", f"with ink on the pad ({inked} px), the resume of {watched} does not replace the page: still {kept} px of ink",
          held_off and inked > 500 and kept == inked)
    desk.find_element(By.ID, "signature-name").send_keys(desk_signer + "(二)")
    click(desk, By.ID, "signature-save")
    listed = observe(desk, lambda x: len(x.find_elements(By.CSS_SELECTOR, "#evidence li[data-kind=signature]")) == 2
                     and shown_status(x) == "dispatched", 10)
    check("PLT-4", f"…and that drawing is saved: {watched} resumed, signed {watched_signatures()}",
          listed and watched_signatures() == [desk_signer, desk_signer + "(二)"])

    print("== the resident follows, accepts and rates on their phone (INT-14, INT-11) ==")
    res = browser(PHONE)
    sign_in(res, resident_user)
    check("INT-14", "a resident lands on their requests", "/portal" in res.current_url)
    row = wait(res, EC.presence_of_element_located((By.CSS_SELECTOR, f"#my-requests li[data-order-number='{number}']")))
    shot(res, "portal-phone")
    click(res, By.CSS_SELECTOR, f"#my-requests li[data-order-number='{number}'] a")
    wait(res, EC.presence_of_element_located((By.ID, "timeline")))
    steps = [li.get_attribute("data-event") for li in res.find_elements(By.CSS_SELECTOR, "#timeline li")]
    check("INT-14", f"the resident sees every step: {steps}", {"created", "dispatched", "accepted", "checked_in", "completed"} <= set(steps))
    check("SEC-2", "the resident sees no alerts and no print forms",
          not res.find_elements(By.CSS_SELECTOR, "ul.alerts, #print-dispatch, #print-feedback"))
    theirs = observe(res, shown, 10)
    check("PLT-4", f"the resident sees their signature on the order ({theirs[0] if theirs else 0}×{theirs[1] if theirs else 0} px, by "
                   f"{', '.join(li.text for li in res.find_elements(By.CSS_SELECTOR, '#evidence li[data-kind=signature]')) or 'nobody'})",
          theirs == [600, 200] and signer in res.find_element(By.CSS_SELECTOR, "#evidence li[data-kind=signature]").text)
    click(res, By.ID, "sign-off-rating-5")
    res.find_element(By.ID, "sign-off-comment").send_keys("师傅来得很快,谢谢")
    shot(res, "order-resident-phone")
    click(res, By.ID, "do-sign-off")
    wait(res, EC.presence_of_element_located((By.ID, "rating")))
    check("INT-11", "accepted and rated 5 by the resident", "★★★★★" in res.find_element(By.ID, "rating").text)
    after = db_rows("SELECT status FROM work_orders WHERE number = ?", (number,))[0][0]
    finished = after in ("closed", "cancelled")
    check("PLT-4", f"after the sign-off ({after}) the signature stays, and the pad is {'gone' if finished else 'still offered'}",
          len(res.find_elements(By.CSS_SELECTOR, "#evidence li[data-kind=signature]")) == 1
          and bool(res.find_elements(By.ID, "signature-form")) == (not finished))
    res.get(BASE + "/portal/report")
    shot(res, "report-phone")
    res.get(BASE + "/portal/prices")
    check("INT-10", "the resident sees the paid-service price list", len(res.find_elements(By.CSS_SELECTOR, "#prices tr")) > 1)
    shot(res, "prices-phone")

    print("== the standards scorecard: each duty's value and the records behind it (REP-2, PLT-1) ==")
    sc = board  # the CS manager
    cid = board_path.split("/")[2]
    scorecard_path = f"/c/{cid}/scorecard"
    zone = ZoneInfo(db_rows("SELECT time_zone FROM communities WHERE upper(id) = upper(?)", (cid,))[0][0])
    created = datetime.fromtimestamp(db_rows("SELECT created_at FROM work_orders WHERE number = ?", (number,))[0][0], zone)
    month = created.strftime("%Y-%m")  # the new emergency's month: this month, in the community's time zone
    start = created.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    before = (start - timedelta(days=1)).replace(day=1)
    previous = before.strftime("%Y-%m")
    click(sc, By.ID, "nav-scorecard")
    wait(sc, EC.presence_of_element_located((By.ID, "scorecard")))
    today = datetime.now(zone).strftime("%Y-%m")
    check("REP-2", f"the CS manager's nav opens the scorecard of this month ({today} in {zone.key}) with its {len(DUTIES)} duties",
          urllib.parse.urlparse(sc.current_url).path == scorecard_path and sc.find_element(By.ID, "scorecard-month").get_attribute("value") == today
          and today in sc.find_element(By.CSS_SELECTOR, "main h2").text and [r["id"] for r in scorecard_rows(sc)] == DUTIES)

    # The month before, with the month picker. The demo here has 3 days of history, so that month
    # is usually empty; in the first days of a month it has values, and decided misses.
    pick_month(sc, previous)
    rows = scorecard_rows(sc)
    orders_then = db_rows("SELECT count(*) FROM work_orders WHERE upper(community_id) = upper(?) AND created_at >= ? AND created_at < ?",
                          (cid, before.timestamp(), start.timestamp()))[0][0]
    valued = [r for r in rows if r["value"] != "—"]
    check("REP-2", f"the month picker shows {previous}: {len(valued)} of {len(rows)} duties with a value ({orders_then} orders stored that month), "
                   f"each value like '93.3% (14/15)' or '—' with a final outcome ({', '.join(r['value'] + ' ' + r['outcome'] for r in rows)})",
          [r["id"] for r in rows] == DUTIES and previous in sc.find_element(By.CSS_SELECTOR, "main h2").text
          and all(row_reads_right(r, over=True) for r in rows) and (orders_then > 0 or not valued))
    missed_then = [r for r in rows if r["outcome"] == "missed" and r["period"]]
    if missed_then:
        p = period_page(sc, missed_then[0], previous)
        check("PLT-1", f"{missed_then[0]['id']} {previous} was missed: its period page has the decision, the alert and the evidence section",
              period_reads_right(p, missed_then[0], previous, scorecard_path))

    # This month: the emergency registered above was late (its arrival clock fired), so the
    # emergency duty counts it and lists it as a miss.
    sc.get(BASE + scorecard_path)
    pick_month(sc, month)
    rows = {r["id"]: r for r in scorecard_rows(sc)}
    em = rows.get(DUTIES[0], {"value": None, "outcome": None, "records": [], "period": None})
    counted = VALUE.match(em["value"] or "")
    check("REP-2", f"{month}: the emergency duty reads {em['value']} ({em['outcome']}) and lists {number} as a miss that links its order",
          list(rows) == DUTIES and all(row_reads_right(r, over=month != today) for r in rows.values())
          and counted and int(counted.group(2)) < int(counted.group(3)) and [number, order_path, True] in em["records"])
    click(sc, By.CSS_SELECTOR, f"[id='{DUTIES[0]}'] .records a.missed[href='{order_path}']")
    opened = observe(sc, lambda x: urllib.parse.urlparse(x.current_url).path == order_path and x.find_elements(By.ID, "order-head")
                     and number in x.find_element(By.TAG_NAME, "h1").text, 10)
    check("REP-2", f"the record link opens order {number}", opened)

    sc.get(BASE + f"{scorecard_path}?month={month}")
    wait(sc, EC.presence_of_element_located((By.ID, "scorecard-csv")))
    csv_href = sc.find_element(By.ID, "scorecard-csv").get_attribute("href")
    status, ctype, disposition, body = fetch_bytes(sc, csv_href)
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig", errors="replace"))))
    line = next((r for r in table[1:] if r and r[-1] == DUTIES[0][len("duty-"):]), [])
    check("REP-2", f"the CSV export ({len(body):,} bytes, {ctype}) starts with a UTF-8 BOM and has the {len(DUTIES)} duties, "
                   f"the emergency's {em['value']} and its miss {number}",
          urllib.parse.urlparse(csv_href).path == scorecard_path + ".csv" and f"month={month}" in csv_href
          and status == 200 and ctype.startswith("text/csv") and disposition.startswith("attachment") and body[:3] == b"\xef\xbb\xbf"
          and "S0 2.3" in body.decode("utf-8", errors="replace") and len(table) == 1 + len(DUTIES)
          and len(line) == 10 and line[3] == em["value"] and number in line[6].split()
          and counted and line[7:9] == [counted.group(2), counted.group(3)])

    # A month's period is decided when its deadline clock fires at the month's end. Make this
    # month's emergency period due now: the server's sweeper decides it (a miss: the late
    # emergency) and alerts the CS manager, and its page shows the hash-chained record.
    period_id = (em["period"] or "").rsplit("/", 1)[-1]
    check("PLT-1", f"the emergency duty's citation links its period ({em['period']})",
          re.fullmatch(r"/subjects/duty_period/[0-9A-Fa-f-]{36}", em["period"] or ""))
    closed_order = None
    if not db_rows("SELECT outcome FROM duty_periods WHERE upper(id) = upper(?)", (period_id,))[0][0]:
        # Meanwhile the front desk has a closed order's page open (nothing about that order
        # changes any more): the period's alert, an event about no order, must not refresh it.
        closed_order = db_rows("SELECT id, number FROM work_orders WHERE upper(community_id) = upper(?) AND status = 'closed' "
                               "ORDER BY number LIMIT 1", (community_id,))[0]
        desk.get(f"{BASE}/orders/{closed_order[0]}")
        wait(desk, EC.presence_of_element_located((By.ID, "order-head")))
        mark_region(desk, "period alert")
        listen(desk)
        decide_period_now(period_id)
    outcome = until(lambda: db_rows("SELECT outcome FROM duty_periods WHERE upper(id) = upper(?)", (period_id,))[0][0], 30)
    duty_alerts = db_rows("SELECT kind, level FROM alerts WHERE subject_kind = 'duty_period' AND upper(subject_id) = upper(?)", (period_id,))
    check("PLT-1", f"the server's sweeper decided the period within 30 s: {outcome}, alerts {duty_alerts}",
          outcome == "missed" and duty_alerts == [("duty_missed", "cs_manager")])
    if closed_order:
        heard = observe(desk, lambda x: x.execute_script(
            "var id = arguments[0]; return window.__seen.some(function (e) {"
            " return e.subjectKind === 'duty_period' && String(e.subjectId).toLowerCase() === id && !e.orderId; })", period_id.lower()), 10)
        time.sleep(1.5)  # what a refresh would take
        kept = region_kept(desk, "period alert")
        check("INT-7", f"the period's alert (about a duty period, no order) reaches the open page of order {closed_order[1]} "
                       f"({'heard' if heard else 'not heard'}) and does not refresh it ({'kept' if kept else 'replaced'})",
              heard and kept and not desk.execute_script("return window.propdeskLastEvent || null"))
        desk.execute_script("window.__probe.close()")
    p = period_page(sc, em, month)
    check("PLT-1", f"the period page: {', '.join(kind for kind, _ in p['events'])} ({next((t for k, t in p['events'] if k == 'decided'), '')}), "
                   f"alerts {p['alerts']}, the evidence section, back to the scorecard",
          period_reads_right(p, em, month, scorecard_path))

    print("== printable forms (INT-13) and language (every string in both) ==")
    board.get(order_url + "/print/dispatch")
    check("INT-13", "the dispatch sheet carries the order number", number in board.find_element(By.CSS_SELECTOR, ".sheet h2").text)
    shot(board, "print-dispatch-sheet")
    board.get(order_url)
    wait(board, EC.presence_of_element_located((By.ID, "lang-en"))).click()
    wait(board, EC.presence_of_element_located((By.ID, "timeline")))
    check("I18N", "switching to English translates the page", "Timeline" in board.page_source and "Order " + number in board.title)
    click(board, By.ID, "nav-board")
    wait(board, EC.presence_of_element_located((By.ID, "board-live")))
    check("I18N", "…and the board", "Dispatch board" in board.title)
    shot(board, "board-en-desktop")
    board.set_window_size(*PHONE)
    shot(board, "board-phone")
    click(board, By.ID, "lang-zh-Hans")
    back = observe(board, lambda b: "调度看板" in b.title)
    check("I18N", "…and back to Chinese",
          back and board.execute_script("return document.documentElement.lang") == "zh-Hans"
          and "调度看板" in board.find_element(By.TAG_NAME, "h1").text and "Dispatch board" not in board.page_source)

    for x in drivers:
        foreign += foreign_requests(x)
    check("RUN-1", f"no page asked any host other than PropDesk ({len(foreign)} foreign requests)", not foreign)
    failed = [f"[{spec}] {what}" for spec, what, ok in checks if not ok]
    if failed:
        raise AssertionError(f"{len(failed)} of {len(checks)} checks failed: " + "; ".join(failed))


if __name__ == "__main__":
    started = time.time()
    try:
        main()
    except (AssertionError, WebDriverException) as e:
        print(f"FAILED: {e!r}")
        for i, x in enumerate(drivers):
            try:
                print(f"--- browser {i}: {x.current_url}")
                if SHOTS:
                    x.save_screenshot(os.path.join(SHOTS, f"failure-{i}.png"))
            except Exception:
                pass
        sys.exit(1)
    finally:
        for x in drivers:
            try:
                x.quit()
            except Exception:
                pass
    print(f"{len(checks)} browser checks passed in {time.time() - started:.0f} s")
