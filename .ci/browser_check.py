#!/usr/bin/env python3
"""Headless-browser check of a running Yingshang server (`yingshang serve --demo`).

For the administrator and every demo account printed in the server log, this script:

  * logs in through the real login form (the administrator first has to replace its
    one-time password on /password, exactly as a person would);
  * crawls, breadth-first up to depth 2, every same-origin link shown in the header
    navigation and on the home page, at most --max-pages pages per account;
  * fails a page on an HTTP status >= 400 for the document, an empty <title>, or any
    SEVERE browser console message (a JavaScript error, a failed resource load, ...);
  * fetches the CSV exports those pages link to with the browser's cookies (not opened
    in the browser) and fails on any answer that is not a CSV file;
  * saves a screenshot of every page as <login>-<n>-<slug>.png in --shots;
  * checks that the home page fits a 375 px wide phone screen (no horizontal scroll);
  * logs out with the header's 退出 button.

Once, before the accounts, it checks that a wrong password shows 用户名或密码错误.

Prints a summary per account and a last line `browser: N passed, M failed`; exits 1 on
any failure.

Usage: browser_check.py --base http://127.0.0.1:18080 --log server.log --shots DIR
"""

from __future__ import annotations

import argparse
import datetime
import collections
import json
import re
import urllib.parse
import secrets
import string
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

BAD_CREDENTIALS = "用户名或密码错误"
MOBILE_WIDTH, MOBILE_HEIGHT = 375, 812

# Links the crawler never opens: they end the session, download files, or are not pages.
# CSV exports (.csv) are fetched outside the browser instead and must answer with a CSV file.
SKIPPED_PATHS = ("/logout", "/login", "/metrics", "/healthz", "/api/")
SKIPPED_SUFFIXES = (".xlsx", ".zip", ".pdf", ".json")

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


# --------------------------------------------------------------------------------------
# Accounts from the server log
# --------------------------------------------------------------------------------------

# A small work-point document the import flow uploads.
LEDGER_DOCUMENT = """CI测试市2026年优化营商环境工作要点

一、提升政务服务水平
（一）推进企业开办一网通办。全面推行企业开办全程网上办理。（牵头单位：自治区市场监管局；配合单位：自治区大数据发展局；完成时限：2026年12月底前）
（二）优化纳税服务。压减办税时间。（牵头单位：自治区财政厅；完成时限：长期坚持）
"""


@dataclass
class Account:
    role: str          # role label as printed, e.g. 管理员
    login: str
    password: str
    name: str


def parse_accounts(log_text: str) -> list[Account]:
    """The administrator (one-time password) and the demo accounts, in the order printed."""
    text = ANSI_ESCAPE.sub("", log_text)
    accounts: list[Account] = []

    admin_login = re.search(r"登录名：\s*(\S+)", text)
    admin_password = re.search(r"一次性密码：\s*(\S+)", text)
    if admin_login and admin_password:
        accounts.append(Account("系统管理员", admin_login.group(1), admin_password.group(1), "管理员"))

    # Demo lines are tab separated: role label, login, password, display name.
    for line in text.splitlines():
        parts = [p.strip() for p in line.strip().split("\t")]
        if len(parts) == 4 and all(parts) and not parts[0].startswith("["):
            accounts.append(Account(*parts))
    return accounts


def strong_password() -> str:
    """A new password that meets the policy: >= 10 chars, upper, lower, digit and symbol."""
    alphabet = string.ascii_letters + string.digits
    return "Ci-" + "".join(secrets.choice(alphabet) for _ in range(12)) + "7a!Q"


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------

class ServerDown(Exception):
    """The server stopped answering: every further check would fail the same way."""

@dataclass
class RoleResult:
    login: str
    role: str
    passed: int = 0
    failures: list[str] = field(default_factory=list)
    pages: int = 0

    def check(self, ok: bool, what: str) -> bool:
        """Counts one check; records `what` as a failure when not ok."""
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)
            print(f"  FAIL [{self.login}] {what}", flush=True)
        return ok


# --------------------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------------------

def make_driver() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=zh-CN"):
        options.add_argument(arg)
    # Console messages for the checks, network events for each document's HTTP status.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


def drain_logs(driver: webdriver.Chrome) -> None:
    """Forgets console and network events so far (get_log empties the buffers)."""
    driver.get_log("browser")
    driver.get_log("performance")


def console_errors(driver: webdriver.Chrome) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def document_response(driver: webdriver.Chrome) -> tuple[int | None, str]:
    """(status, mime type) of the last top-level document the browser received since the last drain."""
    status, mime = None, ""
    for entry in driver.get_log("performance"):
        try:
            message = json.loads(entry["message"])["message"]
        except (KeyError, ValueError):
            continue
        if message.get("method") == "Network.responseReceived" and message["params"].get("type") == "Document":
            response = message["params"]["response"]
            status, mime = int(response.get("status", 0)), response.get("mimeType", "")
    return status, mime


def side_status(driver: webdriver.Chrome, url: str) -> int:
    """Fallback: the status of `url` fetched outside the browser with the browser's cookies."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookies})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError as error:
        raise ServerDown(f"{url}: {error}") from error


def first_line(error: WebDriverException) -> str:
    """WebDriver messages carry a "(Session info: ...)" tail: the first line is the message."""
    return (error.msg or str(error)).strip().splitlines()[0]


def click_and_wait(driver: webdriver.Chrome, element) -> None:
    """Clicks a submit button and waits until the next page has loaded.

    A marker set on the current window disappears with the new document; waiting for the
    old <html> element to go stale instead sometimes trips a chromedriver inspector error.
    """
    driver.execute_script("window.__ciOldPage = true")
    element.click()

    def loaded(d: webdriver.Chrome) -> bool:
        return d.execute_script("return !window.__ciOldPage && document.readyState === 'complete'")

    WebDriverWait(driver, 20, ignored_exceptions=(WebDriverException,)).until(loaded)


def slug(url: str) -> str:
    parts = urlsplit(url)
    text = (parts.path.strip("/") or "home") + (f"-{parts.query}" if parts.query else "")
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:60] or "page"


# --------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------

class BrowserCheck:
    def __init__(self, base: str, shots: Path, max_pages: int, depth: int):
        self.base = base.rstrip("/")
        self.origin = urlsplit(self.base).netloc
        self.shots = shots
        self.max_pages = max_pages
        self.depth = depth
        self.driver = make_driver()
        self.current: RoleResult | None = None

    def close(self) -> None:
        self.driver.quit()

    def server_up(self) -> bool:
        try:
            with urllib.request.urlopen(self.url("/healthz"), timeout=10) as response:
                return response.status == 200
        except OSError:  # URLError and HTTPError are OSErrors too
            return False

    def url(self, path: str) -> str:
        return urljoin(self.base + "/", path.lstrip("/"))

    def path_of(self, url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def screenshot(self, name: str) -> None:
        self.driver.save_screenshot(str(self.shots / f"{name}.png"))

    # ---- forms ------------------------------------------------------------------------

    def submit_login(self, login: str, password: str) -> None:
        d = self.driver
        d.delete_all_cookies()
        d.get(self.url("/login"))
        form = d.find_element(By.CSS_SELECTOR, "form[action='/login']")
        form.find_element(By.NAME, "login").send_keys(login)
        form.find_element(By.NAME, "password").send_keys(password)
        click_and_wait(d, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))

    def wrong_password_check(self, result: RoleResult, login: str) -> None:
        """A wrong password keeps the user on the login form with the Chinese error."""
        self.submit_login(login, "definitely-Wrong-9!")
        body = self.driver.find_element(By.TAG_NAME, "body").text
        self.screenshot("login-wrong-password")
        result.check(BAD_CREDENTIALS in body and "/login" in self.driver.current_url,
                     f"wrong password: expected “{BAD_CREDENTIALS}” on /login, got {self.driver.current_url}")
        drain_logs(self.driver)  # the 401 of that form post is expected, not a console error

    def logged_out_mobile_check(self, result: RoleResult) -> None:
        """The login page also fits a phone screen."""
        self.driver.delete_all_cookies()
        self.mobile_check(result, "/login", "anonymous-mobile-login")

    def login(self, account: Account, result: RoleResult) -> bool:
        d = self.driver
        self.submit_login(account.login, account.password)
        path = urlsplit(d.current_url).path
        if path == "/login":
            body = d.find_element(By.TAG_NAME, "body").text
            self.screenshot(f"{account.login}-login-failed")
            return result.check(False, f"login failed (still on /login): {body[:200]!r}")

        if path == "/password":
            # First login with a one-time password: a new password must be set before anything else.
            new_password = strong_password()
            form = d.find_element(By.CSS_SELECTOR, "form[action='/password']")
            form.find_element(By.NAME, "current").send_keys(account.password)
            form.find_element(By.NAME, "new").send_keys(new_password)
            form.find_element(By.NAME, "confirm").send_keys(new_password)
            self.screenshot(f"{account.login}-0-password-change")
            click_and_wait(d, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))
            changed = urlsplit(d.current_url).path != "/password"
            if not result.check(changed, f"password change refused: "
                                         f"{d.find_element(By.TAG_NAME, 'body').text[:300]!r}"):
                return False
            account.password = new_password
            print(f"  [{account.login}] one-time password replaced", flush=True)

        signed_in = bool(d.find_elements(By.CSS_SELECTOR, "form[action='/logout'] button"))
        return result.check(signed_in, f"after login no 退出 button on {d.current_url}")

    def logout(self, result: RoleResult) -> None:
        d = self.driver
        d.get(self.url("/"))
        buttons = [b for b in d.find_elements(By.CSS_SELECTOR, "form[action='/logout'] button")
                   if "退出" in b.text]
        if not result.check(bool(buttons), "no 退出 button in the header"):
            return
        click_and_wait(d, buttons[0])
        still_in = bool(d.find_elements(By.CSS_SELECTOR, "form[action='/logout'] button"))
        result.check(not still_in and urlsplit(d.current_url).path == "/login",
                     f"logout: expected the login page, got {d.current_url}")
        drain_logs(d)

    # ---- pages ------------------------------------------------------------------------

    def same_site_links(self, selector: str) -> tuple[list[str], list[str]]:
        """Absolute URLs under `selector`, in page order, no duplicates: (pages to open, CSV exports)."""
        pages: list[str] = []
        exports: list[str] = []
        for anchor in self.driver.find_elements(By.CSS_SELECTOR, selector):
            href = anchor.get_attribute("href")
            if not href:
                continue
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme not in ("http", "https") or parts.netloc != self.origin:
                continue
            lowered = parts.path.lower()
            if any(lowered == p.rstrip("/") or lowered.startswith(p) for p in SKIPPED_PATHS):
                continue
            if lowered.endswith(".csv") or "format=csv" in parts.query.lower():
                target = exports
            elif lowered.endswith(SKIPPED_SUFFIXES) or anchor.get_dom_attribute("download") is not None:
                continue
            else:
                target = pages
            if href not in target:
                target.append(href)
        return pages, exports

    def check_export(self, url: str, result: RoleResult) -> None:
        """A CSV export is not opened in the browser, but fetched with its cookies: it must be a CSV."""
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        request = urllib.request.Request(url, headers={"Cookie": cookies})
        where = self.path_of(url)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                kind = response.headers.get("Content-Type", "")
                landed = urlsplit(response.geturl()).path
                size = len(response.read())
        except urllib.error.HTTPError as error:
            result.check(False, f"{where}: CSV export answered HTTP {error.code}")
            return
        except OSError as error:
            if not self.server_up():
                raise ServerDown(f"{where}: {error}") from error
            result.check(False, f"{where}: CSV export failed: {error}")
            return
        ok = landed == urlsplit(url).path and "csv" in kind.lower()
        if result.check(ok, f"{where}: CSV export gave {kind!r} at {landed}"):
            print(f"  ok [{result.login}] {where}  csv export, {size} bytes", flush=True)

    def visit(self, url: str, result: RoleResult, number: int) -> bool:
        """Opens one page and checks it; True when it is an HTML page whose links may be followed."""
        d = self.driver
        drain_logs(d)
        try:
            d.get(url)
        except WebDriverException as error:
            if not self.server_up():
                raise ServerDown(f"{self.path_of(url)}: {first_line(error)}") from error
            result.check(False, f"{self.path_of(url)}: could not load: {first_line(error)}")
            return False
        status, mime = document_response(d)
        if status is None:
            status = side_status(d, url)
        errors = console_errors(d)
        title = d.title.strip()
        self.screenshot(f"{result.login}-{number:02d}-{slug(url)}")
        result.pages += 1

        where = self.path_of(url)
        if d.current_url != url:
            where += f" (→ {self.path_of(d.current_url)})"
        problems = []
        if status >= 500:
            problems.append(f"HTTP {status} (server error)")
        elif status >= 400:
            problems.append(f"HTTP {status} on a link the role's own pages show")
        is_html = mime in ("", "text/html")
        # Every title ends with " · 营商环境工作平台"; the page's own part must not be empty.
        if is_html and (not title or title.startswith("·")):
            problems.append(f"empty <title> ({title!r})")
        for message in errors:
            problems.append(f"console error: {message}")
        if urlsplit(d.current_url).path == "/login":
            problems.append("signed out unexpectedly (landed on /login)")
        if result.check(not problems, f"{where}: " + "; ".join(problems)):
            print(f"  ok [{result.login}] {where}  {status}  {title}", flush=True)
        return is_html and status < 400

    def crawl(self, result: RoleResult) -> None:
        """Breadth-first from the home page and the header links, up to `depth` clicks away."""
        home = self.url("/")
        seen = {home}
        queue = collections.deque([(home, 0)])
        exports: list[str] = []
        number = 0
        while queue and number < self.max_pages:
            url, depth = queue.popleft()
            number += 1
            ok = self.visit(url, result, number)
            if not ok or depth >= self.depth:
                continue
            # From the home page: the header (nav, 站内信, 修改密码) and the page body.
            selector = "header a[href], main a[href]" if url == home else "main a[href], nav.main-nav a[href]"
            pages, page_exports = self.same_site_links(selector)
            for link in pages:
                if link not in seen:
                    seen.add(link)
                    queue.append((link, depth + 1))
            exports += [link for link in page_exports if link not in exports]
        if queue:
            print(f"  [{result.login}] page cap of {self.max_pages} reached, "
                  f"{len(queue)} links not opened", flush=True)
        for link in exports:
            self.check_export(link, result)

    def mobile_check(self, result: RoleResult, path: str, shot: str) -> None:
        """At a 375x812 phone viewport the page must not scroll sideways."""
        d = self.driver
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": MOBILE_WIDTH, "height": MOBILE_HEIGHT, "deviceScaleFactor": 2, "mobile": True})
        try:
            d.get(self.url(path))
            time.sleep(0.2)
            width = d.execute_script("return document.documentElement.scrollWidth")
            self.screenshot(shot)
            result.check(width <= MOBILE_WIDTH + 1,
                         f"mobile {path}: page is {width}px wide at a {MOBILE_WIDTH}px viewport (horizontal scroll)")
        finally:
            d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        drain_logs(d)

    def check_account(self, account: Account) -> RoleResult:
        result = RoleResult(account.login, account.role)
        self.current = result  # kept for the summary should the server go down half-way
        print(f"== {account.role} {account.login} ({account.name})", flush=True)
        one_time_password = account.password
        if not self.login(account, result):
            return result
        self.crawl(result)
        self.mobile_check(result, "/", f"{account.login}-mobile-home")
        self.logout(result)
        if account.password != one_time_password:
            self.relogin_check(account, one_time_password, result)
        return result

    # ---- the ledger's flows -----------------------------------------------------------------

    def ledger_import_flow(self, office: Account) -> RoleResult:
        """Import a work-point document → review it beside the source → publish the plan."""
        result = RoleResult(office.login, "工作台账导入")
        print(f"== ledger import → review → publish as {office.login}", flush=True)
        if not self.login(office, result):
            return result
        d = self.driver
        document = Path(self.shots) / "ci-workpoints.txt"
        # A title of its own, so that running the check again imports a new plan rather than an unchanged one.
        document.write_text(LEDGER_DOCUMENT.replace("工作要点", f"工作要点（第{int(time.time())}次检查）", 1), encoding="utf-8")
        d.get(self.url("/ledger/import"))
        form = d.find_element(By.CSS_SELECTOR, "form[action='/ledger/import']")
        form.find_element(By.NAME, "file").send_keys(str(document))
        click_and_wait(d, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))
        body = d.find_element(By.TAG_NAME, "body").text
        self.screenshot("ledger-import-review")
        if not result.check("/ledger/plans/" in d.current_url and "推进企业开办一网通办" in body and "原文" in body,
                            f"import: expected the review page with the source and the tasks, got {d.current_url}"):
            return result
        publish = d.find_element(By.CSS_SELECTOR, "form[action$='/publish']")
        click_and_wait(d, publish.find_element(By.CSS_SELECTOR, "button[type='submit']"))
        body = d.find_element(By.TAG_NAME, "body").text
        self.screenshot("ledger-import-published")
        result.check("已发布" in body and "计划已发布" in body, f"publish: expected 已发布, got {body[:200]!r}")
        errors = console_errors(d)
        result.check(not errors, f"console errors during the import flow: {errors}")
        self.logout(result)
        return result

    def ledger_report_flow(self, unit: Account, office: Account) -> RoleResult:
        """A department files this month's report with evidence; the office returns it; the department revises;
        the office accepts. Every step shows in the task's timeline."""
        result = RoleResult(unit.login, "逐月调度")
        print(f"== ledger report round trip: {unit.login} files, {office.login} reviews", flush=True)
        d = self.driver
        evidence = Path(self.shots) / "ci-evidence.pdf"
        evidence.write_bytes(b"%PDF-1.4\n% evidence for the CI browser check\n")

        def file_report(summary: str, attach: bool) -> str | None:
            if not self.login(unit, result):
                return None
            d.get(self.url("/ledger/my"))
            links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "ul.my a[href$='/report']")]
            if not result.check(bool(links), "my tasks this month: no report to file"):
                return None
            d.get(links[0])
            form = d.find_element(By.CSS_SELECTOR, "form[action$='/report']")
            text = form.find_element(By.NAME, "summary")
            text.clear()
            text.send_keys(summary)
            percent = form.find_element(By.NAME, "percent")
            percent.clear()
            percent.send_keys("60")
            if attach:
                form.find_element(By.NAME, "files[]").send_keys(str(evidence))
            click_and_wait(d, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))
            task_url = d.current_url
            result.check("/ledger/tasks/" in task_url and "已报送" in d.find_element(By.TAG_NAME, "body").text,
                         f"filing the report landed on {task_url}")
            self.logout(result)
            return task_url

        def review(task_url: str, decision: str, comment: str) -> None:
            if not self.login(office, result):
                return
            d.get(task_url)
            form = d.find_element(By.CSS_SELECTOR, "form[action$='/review']")
            form.find_element(By.NAME, "comment").send_keys(comment)
            click_and_wait(d, form.find_element(By.CSS_SELECTOR, f"button[value='{decision}']"))
            self.logout(result)

        task_url = file_report("本月完成系统改造，已上线试运行", attach=True)
        if not task_url:
            return result
        review(task_url, "return", "请补充办件量等量化数据")
        if not self.login(unit, result):
            return result
        d.get(self.url("/ledger/my"))
        result.check("请补充办件量等量化数据" in d.find_element(By.TAG_NAME, "body").text,
                     "the returned report and its comment are not on the department's my-tasks page")
        self.logout(result)
        if not file_report("本月办件 1200 件，平均用时 0.8 天", attach=False):
            return result
        review(task_url, "accept", "")
        if self.login(office, result):
            d.get(task_url)
            body = d.find_element(By.TAG_NAME, "body").text
            self.screenshot("ledger-report-timeline")
            result.check("审核通过" in body and "审核退回" in body and "ci-evidence.pdf" in body,
                         "the timeline lacks the return, the acceptance or the evidence file")
            self.logout(result)
        return result

    def appeal_public_flow(self, office: Account | None, unit: Account | None) -> RoleResult:
        """The reviewer's walk: an anonymous visitor submits an appeal on the public form and follows it on the query
        page while the office dispatches it, the unit signs and answers, the visitor rates 不满意, the office reopens
        it, the unit answers again, the visitor rates 满意 and the office closes it. Every step is in the timeline."""
        result = RoleResult("public", "诉求受理到办结")
        print("== appeal: public form → dispatch → sign → answer → 不满意 → reopen → answer → 满意 → close", flush=True)
        d = self.driver
        d.delete_all_cookies()
        d.get(self.url("/appeal"))
        form = d.find_element(By.CSS_SELECTOR, "form[action='/appeal']")
        form.find_element(By.NAME, "title").send_keys("施工许可审批时间过长（浏览器检查）")
        form.find_element(By.NAME, "content").send_keys("厂房项目施工许可申请已提交二十个工作日，至今没有结果。<script>alert(1)</script>")
        form.find_element(By.NAME, "contact_phone").send_keys("13900003333")
        click_and_wait(d, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))
        body = d.find_element(By.TAG_NAME, "body").text
        self.screenshot("appeal-receipt")
        numbers = re.findall(r"YS\d{4}-\d{8}", body)
        if not result.check(bool(numbers) and "已受理" in body, f"no appeal number on the receipt: {body[:200]!r}"):
            return result
        number = numbers[0]
        query_url = self.url(f"/appeal/query?number={number}&credential=13900003333")

        def query_page() -> str:
            d.delete_all_cookies()
            d.get(query_url)
            return d.find_element(By.TAG_NAME, "body").text

        def rate(satisfaction: str, comment: str) -> None:
            query_page()
            form = d.find_element(By.CSS_SELECTOR, "form[action='/appeal/rate']")
            form.find_element(By.CSS_SELECTOR, f"input[name='satisfaction'][value='{satisfaction}']").click()
            form.find_element(By.NAME, "comment").send_keys(comment)
            click_and_wait(d, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))

        body = query_page()
        self.screenshot("appeal-query")
        result.check("已受理" in body and "施工许可审批时间过长" in body, f"the query page does not show {number}")
        result.check("<script>" not in d.page_source.split("<main", 1)[-1].replace("&lt;script&gt;", ""),
                     "the appellant's script is not escaped on the query page")
        if office is None or unit is None:
            return result

        def act(account: Account, action: str, fill=None) -> bool:
            """Signs in, opens the appeal from the handling list and submits one action form."""
            if not self.login(account, result):
                return False
            d.get(self.url(f"/appeals?q={number}"))
            links = d.find_elements(By.XPATH, f"//a[contains(., '{number}')]")
            if not result.check(bool(links), f"{account.login}: {number} is not in the handling list"):
                return False
            d.get(links[0].get_attribute("href"))
            forms = [f for f in d.find_elements(By.CSS_SELECTOR, "form.action-form")
                     if f.find_element(By.NAME, "action").get_attribute("value") == action]
            if not result.check(bool(forms), f"{account.login}: no “{action}” form on the appeal page"):
                return False
            if fill:
                fill(forms[0])
            click_and_wait(d, forms[0].find_element(By.CSS_SELECTOR, "button[type='submit']"))
            self.logout(result)
            return True

        def choose_unit(form) -> None:
            lead = Select(form.find_element(By.NAME, "lead"))
            option = next(o for o in lead.options if "市场监督管理局" in o.text)
            lead.select_by_value(option.get_attribute("value"))

        def write(text: str):
            return lambda form: form.find_element(By.NAME, "text").send_keys(text)

        steps = [
            (office, "dispatch", choose_unit), (unit, "sign", None),
            (unit, "draft_reply", write("已联系住建部门，承诺五个工作日内办结。")), (office, "approve_reply", None),
            ("rate", "dissatisfied", "五个工作日后仍未办结"), (office, "reopen", choose_unit), (unit, "sign", None),
            (unit, "draft_reply", write("施工许可证已于今日核发，请到窗口领取。")), (office, "approve_reply", None),
            ("rate", "satisfied", "已领到许可证，谢谢"), (office, "close", None),
        ]
        for who, what, how in steps:
            if who == "rate":
                rate(what, how)
            elif not act(who, what, how):
                return result
        body = query_page()
        self.screenshot("appeal-query-closed")
        result.check("已办结" in body and "施工许可证已于今日核发" in body,
                     f"the query page does not show the closed appeal with its second answer: {body[:300]!r}")
        if self.login(office, result):
            d.get(self.url(f"/appeals?q={number}"))
            appeal_url = d.find_element(By.XPATH, f"//a[contains(., '{number}')]").get_attribute("href")
            d.get(appeal_url)
            timeline = d.find_element(By.CSS_SELECTOR, "ol.timeline").text
            self.screenshot("appeal-timeline")
            for step in ("已受理", "已派单", "已签收", "评价：不满意", "重办", "评价：满意", "已办结"):
                result.check(step in timeline, f"the timeline lacks “{step}”")
            appeal_id = urlsplit(appeal_url).path.rstrip("/").split("/")[-1]
            d.get(self.url(f"/audit?entity_type=appeal&entity_id={appeal_id}"))
            rows = d.find_elements(By.CSS_SELECTOR, "table tbody tr")
            self.screenshot("appeal-audit")
            # Intake, then 11 changes: dispatch, sign, reply, approval, rating, reopen, sign, reply, approval, rating, close.
            result.check(len(rows) >= 12, f"the audit log has {len(rows)} entries for the appeal, expected at least 12")
            self.similar_while_typing(result)
            self.logout(result)
        errors = console_errors(d)
        result.check(not errors, f"console errors in the appeal flow: {errors}")
        return result

    def similar_while_typing(self, result: RoleResult) -> None:
        """Entering a phone appeal, the operator sees similar open appeals appear while typing (the page's script)."""
        d = self.driver
        d.get(self.url("/appeals?state=signed"))
        titles = [row.find_elements(By.TAG_NAME, "td")[4].text for row in d.find_elements(By.CSS_SELECTOR, "table tbody tr")]
        if not result.check(bool(titles), "no open (signed) appeal in the demo to type a duplicate of"):
            return
        title = titles[0]
        d.get(self.url("/appeals/new"))
        d.find_element(By.NAME, "title").send_keys(title)
        try:
            WebDriverWait(d, 10).until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#similar-appeals li"))
        except WebDriverException:
            pass
        found = d.find_elements(By.CSS_SELECTOR, "#similar-appeals li")
        self.screenshot("appeal-similar-while-typing")
        result.check(bool(found) and "可能为重复诉求" in found[0].text,
                     f"typing “{title}” on the entry form shows no similar open appeal")

    # ---- the policy library ------------------------------------------------------------------

    def policy_portal_flow(self, office: Account | None) -> RoleResult:
        """The public portal: search by document and article, open the article's anchor, a 文号 and a 2-character
        word, the phone layout, the print view; then the office edits a document's core clauses, which the public
        page shows first; a knowledge-base entry shows the text of the article it cites."""
        result = RoleResult("portal", "政策文件库")
        print("== policy library: search → article anchor → print → core clauses → knowledge base", flush=True)
        d = self.driver
        d.delete_all_cookies()
        d.get(self.url("/policies"))
        form = d.find_element(By.CSS_SELECTOR, "form.search-form")
        form.find_element(By.NAME, "q").send_keys("优化营商环境条例 第三十六条")
        click_and_wait(d, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))
        self.screenshot("policy-search-article")
        first = d.find_elements(By.CSS_SELECTOR, "#search-results li.result")
        if not result.check(bool(first), "no results for 优化营商环境条例 第三十六条"):
            return result
        result.check("优化营商环境条例" in first[0].find_element(By.TAG_NAME, "h2").text, "the regulation is not the first result")
        links = first[0].find_elements(By.CSS_SELECTOR, "ul.hits a")
        if result.check(bool(links) and links[0].text == "第三十六条", "the first hit is not 第三十六条"):
            click_and_wait(d, links[0])
            result.check(d.current_url.endswith("#art-36"), f"the article link goes to {d.current_url}")
            article = d.find_elements(By.ID, "art-36")
            result.check(bool(article) and "当场办结" in article[0].text, "the document page has no anchor art-36 with the article")
            self.screenshot("policy-document")
            document_url = d.current_url.split("#")[0]
            d.get(document_url + "/print")
            result.check("优化营商环境条例" in d.find_element(By.TAG_NAME, "h1").text, "the print view has no title")
        for query, expected in [("国务院令第722号", "优化营商环境条例"), ("发改委 价格", None), ("审批", None)]:
            d.get(self.url("/policies?q=" + urllib.parse.quote(query)))
            titles = [e.text for e in d.find_elements(By.CSS_SELECTOR, "#search-results li.result h2")]
            marks = [e.text for e in d.find_elements(By.CSS_SELECTOR, "#search-results mark")]
            result.check(bool(titles) and (expected is None or titles[0] == expected), f"{query}: results {titles[:3]}")
            result.check(bool(marks), f"{query}: no highlighted snippet")
        self.mobile_check(result, "/policies?q=" + urllib.parse.quote("审批"), "policy-mobile-search")
        d.get(self.url("/policies?q=" + urllib.parse.quote("优化营商环镜条例")))
        suggestion = d.find_elements(By.ID, "suggestion")
        result.check(bool(suggestion) and "优化营商环境条例" in suggestion[0].text, "no “您是不是要找” for a misspelled title")
        d.get(self.url("/knowledge"))
        entries = d.find_elements(By.CSS_SELECTOR, "#knowledge-list a")
        if result.check(bool(entries), "the knowledge base lists no entries"):
            click_and_wait(d, entries[0])
            cited = d.find_elements(By.CSS_SELECTOR, "#citations blockquote")
            result.check(bool(cited) and cited[0].text.startswith("第"), "a Q&A does not show the cited article's text")
        if office is None or not self.login(office, result):
            return result
        d.get(self.url("/policies?q=" + urllib.parse.quote("价格法")))
        titles = d.find_elements(By.CSS_SELECTOR, "#search-results li.result h2 a")
        if result.check(bool(titles), "价格法 not found"):
            click_and_wait(d, titles[0])
            document_url = d.current_url.split("#")[0]
            d.get(document_url + "/edit")
            form = d.find_element(By.CSS_SELECTOR, "form[action$='/edit']")
            field = form.find_element(By.NAME, "handling_unit")
            field.clear()
            field.send_keys("市发展改革委价格科（浏览器检查）")
            click_and_wait(d, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))
            clauses = d.find_elements(By.ID, "core-clauses")
            result.check(bool(clauses) and "浏览器检查" in clauses[0].text, "the saved core clause is not shown on the document page")
            self.screenshot("policy-core-clauses")
        self.logout(result)
        return result

    def evaluation_flow(self, office: Account | None, unit: Account | None, company: Account | None) -> RoleResult:
        """Evaluation: the market-regulation bureau uploads the current quarter; a rate of 120% is refused with the
        reason and nothing is imported; the corrected file is imported and submitted; the office approves, the ranking
        shows every city at once, a missed target has opened a rectification task that links back to the scorecard;
        the demo enterprise answers its survey; a fifth survey this quarter skips it."""
        result = RoleResult("evaluation", "营商评价")
        print("== evaluation: upload refused → upload → submit → approve → ranking → rectification; survey; cap", flush=True)
        d = self.driver
        if office is None or unit is None or company is None:
            result.check(False, "demo accounts office, scjg and qiye are needed for the evaluation flow")
            return result
        today = datetime.date.today()
        period = f"{today.year}Q{(today.month - 1) // 3 + 1}"
        cities = ["南宁市", "柳州市", "桂林市", "梧州市", "北海市", "防城港市", "钦州市", "贵港市", "玉林市", "百色市", "贺州市", "河池市", "来宾市", "崇左市"]

        def sheet(bad: bool) -> str:
            rows = ["指标编码,指标名称,地区,期间,数值,说明"]
            for city in cities:
                rate = "120" if bad and city == "南宁市" else ("90.5" if city == "梧州市" else "98.6")
                # A reason on every row: values far from last quarter's need one, and the check does not know them.
                rows += [f"KB01,开办企业时间,{city},{period},1.2,季度监测", f"KB02,电子营业执照同步制发率,{city},{period},{rate},季度监测",
                         f"KB03,开办企业环节,{city},{period},3,季度监测"]
            with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as handle:
                handle.write("\n".join(rows) + "\n")
            return handle.name

        if not self.login(unit, result):
            return result
        d.get(self.url(f"/evaluation/collect?period={period}"))
        result.check("电子营业执照同步制发率" in d.page_source, "the bureau's collection page does not list its indicators")
        d.find_element(By.CSS_SELECTOR, "#upload-form input[name='file']").send_keys(sheet(bad=True))
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, "#upload-form button[type='submit']"))
        problems = d.find_elements(By.CSS_SELECTOR, "#collect-problems tbody tr")
        result.check(len(problems) == 1 and "南宁市：“电子营业执照同步制发率”不能大于 100%（填写为 120）" in problems[0].text,
                     "the refused upload does not name 南宁市's 120%")
        result.check("未导入任何数据" in d.page_source, "the refused upload does not say nothing was imported")
        self.screenshot("evaluation-upload-refused")
        d.get(self.url(f"/evaluation/collect?period={period}"))
        d.find_element(By.CSS_SELECTOR, "#upload-form input[name='file']").send_keys(sheet(bad=False))
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, "#upload-form button[type='submit']"))
        result.check("已导入 42 项数据" in d.page_source, "the corrected upload was not imported")
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, "#submit-form button[type='submit']"))
        status = d.find_elements(By.ID, "submission-status")
        result.check(bool(status) and status[0].text == "待审核", "after 报送审核 the status is not 待审核")
        self.logout(result)

        if not self.login(office, result):
            return result
        d.get(self.url(f"/evaluation/submissions?period={period}"))
        rows = [r for r in d.find_elements(By.CSS_SELECTOR, "#submissions tbody tr") if "市场监管局" in r.text]
        approve = rows[0].find_elements(By.CSS_SELECTOR, "form[action$='/approve'] button") if rows else []
        if result.check(bool(approve), "the office sees no 审核通过 for 市场监管局"):
            click_and_wait(d, approve[0])
            result.check("排名和评分已更新" in d.page_source and "整改任务" in d.page_source,
                         "approval does not say the ranking updated and a rectification task was opened")
        d.get(self.url(f"/evaluation?period={period}"))
        ranked = [r for r in d.find_elements(By.CSS_SELECTOR, "#ranking tbody tr") if "/14" in r.text]
        result.check(len(ranked) == 14, f"the ranking of {period} does not show all 14 cities at once ({len(ranked)})")
        self.screenshot("evaluation-ranking")
        links = d.find_elements(By.LINK_TEXT, "梧州市")
        if result.check(bool(links), "no scorecard link for 梧州市"):
            click_and_wait(d, links[0])
            task_links = d.find_elements(By.CSS_SELECTOR, "#scorecard a.rectification-link")
            if result.check(bool(task_links), "梧州市's scorecard shows no rectification task for the missed 97%"):
                click_and_wait(d, task_links[0])
                origin = d.find_elements(By.CSS_SELECTOR, "#evaluation-origin a")
                result.check(bool(origin) and "电子营业执照同步制发率" in origin[0].text,
                             "the ledger task does not link back to the evaluation result")
                self.screenshot("evaluation-rectification-task")
                if origin:
                    click_and_wait(d, origin[0])
                    result.check("/evaluation/places/" in d.current_url, "the task's link does not open the scorecard")
        self.mobile_check(result, f"/evaluation?period={period}", "evaluation-mobile")
        self.logout(result)

        if not self.login(company, result):
            return result
        d.get(self.url("/my/surveys"))
        waiting = [r for r in d.find_elements(By.CSS_SELECTOR, "#my-surveys tbody tr") if "待填写" in r.text]
        if result.check(bool(waiting), "the enterprise sees no survey waiting for its answer"):
            click_and_wait(d, waiting[0].find_element(By.TAG_NAME, "a"))
            for radio in d.find_elements(By.CSS_SELECTOR, "#answer-form input[type='radio'][value='4']"):
                radio.click()
            click_and_wait(d, d.find_element(By.CSS_SELECTOR, "#answer-form button[type='submit']"))
            result.check("问卷已提交" in d.page_source, "the survey answer was not accepted")
        self.logout(result)

        if not self.login(office, result):
            return result
        d.get(self.url("/evaluation/surveys"))
        drafts = [r for r in d.find_elements(By.CSS_SELECTOR, "#survey-list tbody tr") if "草稿" in r.text]
        if result.check(bool(drafts), "the demo has no draft survey to send"):
            click_and_wait(d, drafts[0].find_element(By.TAG_NAME, "a"))
            click_and_wait(d, d.find_element(By.ID, "send-survey"))
            result.check("为不增加企业负担未发送" in d.page_source and "南宁某科技有限公司" in d.page_source,
                         "the fifth survey this quarter was not withheld from the demo enterprise")
            self.screenshot("evaluation-survey-cap")
        self.logout(result)
        return result

    def policy_matching_flow(self, office: Account | None, company: Account | None) -> RoleResult:
        """Policy matching: the demo enterprise sees 小型微利企业 awaiting its asset total, fills it in on its file and
        sees the policy move to 符合; the office's import refuses a CSV with a bad credit code naming the row; the
        policy page shows its cases passing and its reach; the editor points at a mistake by line and column."""
        result = RoleResult("matching", "惠企政策")
        print("== policy matching: 待补充信息 → fill in → 符合; import refusal; policy page; editor", flush=True)
        d = self.driver
        if company is None or not self.login(company, result):
            result.check(company is not None, "the demo enterprise account is missing")
            return result
        d.get(self.url("/my/benefits"))
        pending = d.find_elements(By.ID, "group-待补充信息")
        result.check(bool(pending) and "小型微利企业所得税优惠" in pending[0].text and "资产总额" in pending[0].text,
                     "小型微利企业 is not listed as awaiting 资产总额")
        self.screenshot("matching-my-benefits")
        links = d.find_elements(By.LINK_TEXT, "查看和补充企业信息")
        if result.check(bool(links), "no link from 可享政策 to the enterprise file"):
            click_and_wait(d, links[0])
            d.find_element(By.CSS_SELECTOR, "#edit-facts summary").click()
            form = d.find_element(By.CSS_SELECTOR, "#edit-facts form")
            field = form.find_element(By.NAME, "assets_wan")
            field.clear()
            field.send_keys("4000")
            click_and_wait(d, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))
            verdict = d.find_elements(By.ID, "small-low-profit")
            result.check(bool(verdict) and verdict[0].text == "是", "after filling in 资产总额 the portrait does not say 小型微利企业：是")
            self.screenshot("matching-enterprise-file")
            d.get(self.url("/my/benefits"))
            eligible = d.find_elements(By.ID, "group-符合")
            result.check(bool(eligible) and "小型微利企业所得税优惠" in eligible[0].text, "小型微利企业 did not move to 符合")
        self.mobile_check(result, "/my/benefits", "matching-mobile")
        self.logout(result)
        if office is None or not self.login(office, result):
            return result
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as csv_file:
            csv_file.write("统一社会信用代码,企业名称,从业人数\n91450103MA5KDEM10X,浏览器检查公司,10\n")
        d.get(self.url("/enterprises/import"))
        d.find_element(By.NAME, "file").send_keys(csv_file.name)
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, "form[action='/enterprises/import'] button[type='submit']"))
        problems = d.find_elements(By.CSS_SELECTOR, "#import-problems tbody tr")
        result.check(bool(problems) and problems[0].text.startswith("2") and "校验位" in problems[0].text,
                     "the import does not name row 2 and the bad check character")
        result.check("未导入任何企业" in d.page_source, "the refused import does not say nothing was imported")
        self.screenshot("matching-import-refused")
        d.get(self.url("/benefits"))
        policies = d.find_elements(By.LINK_TEXT, "小型微利企业所得税优惠")
        if result.check(bool(policies), "the policy list has no 小型微利企业所得税优惠"):
            click_and_wait(d, policies[0])
            cases = d.find_elements(By.CSS_SELECTOR, "#policy-cases tbody tr")
            result.check(len(cases) >= 5 and all("通过" in c.text for c in cases), "the policy's cases do not all pass")
            reach = d.find_elements(By.ID, "reach")
            result.check(bool(reach) and "家符合" in reach[0].text, "the policy page shows no reach")
            self.screenshot("matching-policy")
        d.get(self.url("/benefits/new"))
        editor = d.find_element(By.ID, "policy-editor")
        source = editor.find_element(By.NAME, "source")
        source.clear()
        source.send_keys("编号：T1\n名称：浏览器检查\n条件：从业人数 <= 300万元")
        click_and_wait(d, editor.find_element(By.CSS_SELECTOR, "button[value='check']"))
        result.check("第 3 行第 12 列" in d.page_source, "the editor does not point at the unit mistake by line and column")
        self.logout(result)
        return result

    def relogin_check(self, account: Account, old_password: str, result: RoleResult) -> None:
        """After a password change the new password signs in directly and the old one no longer does."""
        self.submit_login(account.login, old_password)
        result.check(urlsplit(self.driver.current_url).path == "/login",
                     f"the replaced one-time password still signs in (landed on {self.driver.current_url})")
        drain_logs(self.driver)  # the 401 is expected
        self.submit_login(account.login, account.password)
        landed = urlsplit(self.driver.current_url).path
        if result.check(landed == "/", f"sign-in with the new password landed on {landed}, expected /"):
            print(f"  ok [{account.login}] the new password signs in, the one-time password no longer does",
                  flush=True)
            self.logout(result)


# --------------------------------------------------------------------------------------

def wait_for_accounts(log: Path, timeout: float = 60) -> list[Account]:
    """The log may still be written when this starts: wait for the demo accounts to appear."""
    deadline = time.monotonic() + timeout
    while True:
        accounts = parse_accounts(log.read_text(encoding="utf-8", errors="replace")) if log.exists() else []
        if len(accounts) > 1 or time.monotonic() > deadline:
            return accounts
        time.sleep(1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="server address, e.g. http://127.0.0.1:18080")
    parser.add_argument("--log", required=True, type=Path, help="stdout of `yingshang serve --demo`")
    parser.add_argument("--shots", required=True, type=Path, help="folder for the screenshots")
    parser.add_argument("--max-pages", type=int, default=60, help="pages per account (default 60)")
    parser.add_argument("--depth", type=int, default=2, help="link depth from home/header (default 2)")
    args = parser.parse_args()

    accounts = wait_for_accounts(args.log)
    if not accounts or accounts[0].login != "admin":
        print(f"browser: cannot find the administrator's one-time password in {args.log}", file=sys.stderr)
        print("browser: 0 passed, 1 failed")
        return 1
    args.shots.mkdir(parents=True, exist_ok=True)
    print(f"browser: {len(accounts)} accounts: {', '.join(a.login for a in accounts)}", flush=True)

    started = time.monotonic()
    check = BrowserCheck(args.base, args.shots, args.max_pages, args.depth)
    results: list[RoleResult] = []
    try:
        anonymous = RoleResult("anonymous", "未登录")
        # A demo account (not the admin) so a lockout could never hide the admin checks.
        check.wrong_password_check(anonymous, accounts[-1].login)
        check.logged_out_mobile_check(anonymous)
        results.append(anonymous)
        for account in accounts:
            # A WebDriver error is the browser's, not the app's: the account gets one more try.
            for attempt in (1, 2):
                try:
                    results.append(check.check_account(account))
                    break
                except WebDriverException as error:
                    if not check.server_up():
                        raise ServerDown(f"signed in as {account.login}: {first_line(error)}") from error
                    message = first_line(error)
                    if attempt == 1:
                        print(f"  [{account.login}] browser error, trying again: {message}", flush=True)
                        continue
                    failed = RoleResult(account.login, account.role)
                    failed.check(False, f"browser error: {message}")
                    results.append(failed)
        by_login = {a.login: a for a in accounts}
        results.append(check.appeal_public_flow(by_login.get("office"), by_login.get("scjg")))
        results.append(check.policy_portal_flow(by_login.get("office")))
        results.append(check.policy_matching_flow(by_login.get("office"), by_login.get("qiye")))
        if "office" in by_login and "scjg" in by_login:
            results.append(check.ledger_import_flow(by_login["office"]))
            results.append(check.ledger_report_flow(by_login["scjg"], by_login["office"]))
            results.append(check.evaluation_flow(by_login["office"], by_login["scjg"], by_login.get("qiye")))
        else:
            missing = RoleResult("ledger", "")
            missing.check(False, "demo accounts office and scjg are missing: the ledger flows were not checked")
            results.append(missing)
    except ServerDown as down:
        if check.current is not None and check.current not in results:
            results.append(check.current)
        stopped = RoleResult("server", "")
        stopped.check(False, f"the server stopped answering (/healthz does not answer); last request: {down}")
        results.append(stopped)
    finally:
        check.close()

    print("\nbrowser summary:")
    for r in results:
        state = "ok" if not r.failures else f"{len(r.failures)} FAILED"
        print(f"  {r.login:<10} pages {r.pages:>3}  checks passed {r.passed:>3}  {state:<10} {r.role}")
        for failure in r.failures:
            print(f"      - {failure}")
    passed = sum(r.passed for r in results)
    failed = sum(len(r.failures) for r in results)
    print(f"screenshots: {args.shots}  ({time.monotonic() - started:.0f}s)")
    print(f"browser: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
