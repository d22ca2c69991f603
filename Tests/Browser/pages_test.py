#!/usr/bin/env python3
"""PropDesk in a real browser (issue 4): headless Chromium driven over WebDriver against the real
server on SQLite with the demo service center. Each check names the SPEC id it proves.

Run through scripts/browser-test, which starts the server and passes:
  PROPDESK_URL           e.g. http://127.0.0.1:8089
  PROPDESK_CREDENTIALS   the demo-credentials.txt the demo wrote
  PROPDESK_SCREENSHOTS   where to save screenshots (optional)
  PROPDESK_DB            the server's SQLite file: the test reads it to compare what pages show
                         with what is stored, and moves one clock back in time so that the
                         server's own sweeper has something to fire (INT-7)
"""
import base64
import json
import os
import re
import sqlite3
import struct
import sys
import tempfile
import time
import urllib.parse
import zlib

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
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


def main():
    desk_user, manager_user, engineer_users = first("Front desk"), first("Customer-service manager"), [u for u, (r, _) in ACCOUNTS.items() if r == "Engineer" and u.startswith("chhy.")]
    resident_user = next(u for u, (r, _) in ACCOUNTS.items() if r == "Resident")
    foreign = []

    print("== sign in as each role, navigation by role (SEC-2) ==")
    d = browser(DESKTOP)
    d.get(BASE + "/login")
    shot(d, "login-desktop")
    expected = {
        "admin": [],
        "chhy.head": ["nav-intake", "nav-board", "nav-register"],
        manager_user: ["nav-intake", "nav-board", "nav-register"],
        desk_user: ["nav-intake", "nav-board", "nav-register"],
        first("Area supervisor"): ["nav-intake", "nav-board", "nav-my", "nav-register"],
        engineer_users[0]: ["nav-intake", "nav-board", "nav-my", "nav-register"],
        resident_user: ["nav-portal", "nav-report", "nav-prices"],
    }
    every = ["nav-intake", "nav-board", "nav-my", "nav-register", "nav-portal", "nav-report", "nav-prices"]
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
    phone.find_element(By.ID, "complete-photos").send_keys(png(os.path.join(tempfile.mkdtemp(), "after.png")))
    shot(phone, "order-engineer-phone")
    click(phone, By.ID, "do-complete")
    wait(phone, EC.presence_of_element_located((By.ID, "photos")))
    check("INT-11", "completed with a photo that shows on the order", len(phone.find_elements(By.CSS_SELECTOR, "#photos img")) == 1)
    check("INT-11", "the engineer can hand the phone to the resident to sign off", bool(phone.find_elements(By.ID, "step-sign-off")))
    check("INT-7", "the board's copy of the order followed live",
          observe(board, lambda b: "completed" in (b.find_element(By.CSS_SELECTOR, ".order-head [data-status]").get_attribute("data-status") or ""), 30)
          and board.execute_script("return window.__noReload") == "still on the order")

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
    click(res, By.ID, "sign-off-rating-5")
    res.find_element(By.ID, "sign-off-comment").send_keys("师傅来得很快,谢谢")
    shot(res, "order-resident-phone")
    click(res, By.ID, "do-sign-off")
    wait(res, EC.presence_of_element_located((By.ID, "rating")))
    check("INT-11", "accepted and rated 5 by the resident", "★★★★★" in res.find_element(By.ID, "rating").text)
    res.get(BASE + "/portal/report")
    shot(res, "report-phone")
    res.get(BASE + "/portal/prices")
    check("INT-10", "the resident sees the paid-service price list", len(res.find_elements(By.CSS_SELECTOR, "#prices tr")) > 1)
    shot(res, "prices-phone")

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
