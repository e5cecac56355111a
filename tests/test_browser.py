"""The suite as a user meets it, in a real browser: JupyterLab on a free localhost port, driven
by headless Debian Chromium (selenium + /usr/bin/chromedriver; nothing is downloaded). Each
notebook in notebooks/ is opened, run with Run > Run All Cells, and checked: no error output,
every figure rendered, explorers drawn. The HTML report is opened too. Screenshots go to
test-artifacts/ (gitignored). Sockets stay blocked except to 127.0.0.1.
"""
from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.browser

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
ARTIFACTS = ROOT / "test-artifacts"
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
RUN_TIMEOUT = 240  # seconds for one notebook to run all cells
#: JupyterLab settings: no news or update checks (they would go to the web), every cell kept in the page.
LAB_SETTINGS = {
    "apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}
# Everything on the page that shows an error: a traceback on stderr, an error output, a widget that failed.
ERRORS_JS = """
const out = [];
document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
  .forEach(e => { if (e.textContent.includes('Traceback')) out.push(e.textContent.slice(0, 800)); });
document.querySelectorAll('.jp-RenderedText[data-mime-type*="error"]')
  .forEach(e => out.push(e.textContent.slice(0, 800)));
document.querySelectorAll('.jp-OutputArea-output').forEach(e => {
  if (e.textContent.includes('Error displaying widget')) out.push(e.textContent.slice(0, 200)); });
return out;"""
STATE_JS = """
const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
  .map(e => e.textContent.trim());
const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
return {prompts: prompts, status: status ? status.getAttribute('data-status') : null};"""


def chromium_or_skip() -> None:
    """Install Debian's chromium + chromium-driver when missing (as .ci/run does); skip only if that fails."""
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return
    if shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"], capture_output=True,
                       timeout=900)
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("chromium/chromedriver are not installed and apt-get could not install them "
                    "(run: apt-get install chromium chromium-driver)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    chromium_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--window-size=1400,1000", f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(60)
    ARTIFACTS.mkdir(exist_ok=True)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def lab(tmp_path_factory, offline_environ):
    """JupyterLab on 127.0.0.1 over a copy of notebooks/ (seeds/ linked, so the bundled corpus is
    recognised); yields (base_url, token)."""
    chromium_or_skip()
    suite = tmp_path_factory.mktemp("suite")
    shutil.copytree(ROOT / "notebooks", suite / "notebooks")
    (suite / "seeds").symlink_to(ROOT / "seeds")
    settings = suite / "lab-settings" / "@jupyterlab"
    for name, values in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values))
    port, token = free_port(), "corpus-tools-browser-test"
    log = (suite / "jupyter.log").open("w")
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--allow-root", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={suite / 'notebooks'}",
         "--LabApp.extension_manager=readonly",  # the 'pypi' manager would query the web
         f"--LabApp.user_settings_dir={suite / 'lab-settings'}",
         f"--LabApp.workspaces_dir={suite / 'workspaces'}"],
        env=offline_environ, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"JupyterLab did not start: {(suite / 'jupyter.log').read_text()[-2000:]}")
            time.sleep(0.5)
    yield base, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


def wait_for(condition, *, timeout: float, what: str, poll: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(poll)


def click_menu(driver, menu: str, item: str) -> None:
    """Click a main-menu entry by its labels (e.g. Run > Run All Cells), as a user would."""
    from selenium.webdriver.common.by import By

    from selenium.common.exceptions import ElementClickInterceptedException
    from selenium.webdriver.common.keys import Keys

    for attempt in range(3):  # a toast or a menu still closing can cover the menu bar for a moment
        try:
            label = next(e for e in driver.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-itemLabel") if e.text == menu)
            label.click()
            entries = wait_for(lambda: [e for e in driver.find_elements(
                By.CSS_SELECTOR, ".lm-Menu-item .lm-Menu-itemLabel") if e.is_displayed() and e.text == item],
                               timeout=10, what=f"{menu} > {item}")
            entries[0].click()
            return
        except ElementClickInterceptedException:
            if attempt == 2:
                raise
            driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
            time.sleep(1)


def screenshots(driver, stem: str, *, scroller: str = ".jp-WindowedPanel-outer", most: int = 12) -> list[Path]:
    """Screenshots down the page (the notebook scrolls inside its own panel)."""
    shots = []
    height = driver.execute_script(f"const s = document.querySelector('{scroller}'); "
                                   "return s ? s.scrollHeight : document.documentElement.scrollHeight;")
    step = driver.get_window_size()["height"] - 200
    for i, top in enumerate(range(0, max(height, 1), step)):
        if i == most:
            break
        driver.execute_script(f"const s = document.querySelector('{scroller}'); "
                              f"if (s) s.scrollTop = {top}; else window.scrollTo(0, {top});")
        time.sleep(0.3)
        path = ARTIFACTS / f"{stem}-{i:02d}.png"
        driver.save_screenshot(str(path))
        shots.append(path)
    return shots


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_clean_in_jupyterlab(name, lab, driver):
    from selenium.webdriver.common.by import By

    base, token = lab
    driver.get(f"{base}/lab/tree/{name}?token={token}&reset")
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".jp-NotebookPanel .jp-Notebook .jp-Cell"),
             timeout=60, what=f"{name} to open")
    wait_for(lambda: driver.execute_script(STATE_JS)["status"] == "idle", timeout=60, what="the kernel to start")
    assert driver.execute_script(ERRORS_JS) == [], f"{name} as committed shows errors before running"
    click_menu(driver, "Edit", "Clear Outputs of All Cells")  # so every output checked below is fresh
    wait_for(lambda: not driver.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output"), timeout=20,
             what="outputs to clear")
    click_menu(driver, "Run", "Run All Cells")
    started = time.monotonic()

    def finished():
        state = driver.execute_script(STATE_JS)
        done = state["prompts"] and all(re.fullmatch(r"\[\d+\]:?", p) for p in state["prompts"])
        return done and state["status"] == "idle" and time.monotonic() - started > 1

    try:
        wait_for(finished, timeout=RUN_TIMEOUT, what=f"{name} to run all cells and the kernel to go idle", poll=1)
    finally:
        screenshots(driver, Path(name).stem)
    assert driver.execute_script(ERRORS_JS) == [], f"{name} shows errors"
    images = driver.execute_script(
        "return [...document.querySelectorAll('.jp-OutputArea-output img')].map(i => i.naturalWidth);")
    source = (ROOT / "notebooks" / name).read_text(encoding="utf-8")
    if "save_figure(" in source:
        assert images, f"{name} saves figures but shows none"
    assert all(width > 0 for width in images), f"{name}: an image did not render ({images})"
    if "_explorer(" in source:  # the explorers' live controls are drawn, not their static fallback
        # the widget manager draws the views after the kernel goes idle; on a loaded machine that takes seconds
        wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output .widget-text input"),
                 timeout=30, what=f"{name}: the explorer widgets to render")


def test_report_renders_offline_in_chromium(driver, tmp_path):
    """The report built from the committed notebooks: images load, code starts hidden, nothing is
    fetched from the web (every resource the page loaded is embedded)."""
    from selenium.webdriver.common.by import By

    from corpus_tools.report import build_report

    notebooks = [ROOT / "notebooks" / name for name in NOTEBOOKS]
    page = build_report(notebooks, tmp_path / "report", figures_dir=None)
    driver.get(page.as_uri())
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete", timeout=30,
             what="the report to load")
    images = driver.execute_script("return [...document.images].map(i => [i.naturalWidth, i.src.slice(0, 5)]);")
    assert images and all(width > 0 and src == "data:" for width, src in images)
    fetched = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name);")
    assert [url for url in fetched if not url.startswith(("data:", "file:"))] == []
    code = driver.find_elements(By.CSS_SELECTOR, "details.code .highlight")
    assert code and not any(block.is_displayed() for block in code)
    driver.find_elements(By.CSS_SELECTOR, "details.code > summary")[1].click()
    assert driver.find_elements(By.CSS_SELECTOR, "details.code .highlight")[1].is_displayed()
    assert driver.find_elements(By.CSS_SELECTOR, "figure figcaption")
    height = driver.execute_script("window.scrollTo(0, 0); return document.documentElement.scrollHeight")
    driver.set_window_size(1200, min(height, 12000))
    driver.save_screenshot(str(ARTIFACTS / "report-full.png"))
    driver.set_window_size(1400, 1000)


def test_report_of_a_markup_corpus_opens_no_dialog(driver, hostile_run):
    """The report of tests.hostile's corpus runs nothing: no alert/confirm/prompt (recorded by a stub
    installed before any of the page's own code), no script element, no event-handler attribute."""
    stub = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__dialogs = []; for (const name of ['alert', 'confirm', 'prompt', 'print'])"
        " window[name] = (...args) => { window.__dialogs.push(name + '(' + args.join(', ') + ')'); };")})
    try:
        driver.get((hostile_run / "report" / "report.html").as_uri())
        wait_for(lambda: driver.execute_script("return document.readyState") == "complete", timeout=30,
                 what="the report to load")
        time.sleep(1)  # images that fail to load fire their error handlers after the load event
        assert driver.execute_script("return window.__dialogs") == []
        assert driver.execute_script("return document.scripts.length") == 0
        handlers = driver.execute_script(
            "return [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))"
            ".filter(n => n.startsWith('on'));")
        assert handlers == []
        assert "<script>alert(1)</script>" in driver.find_element("tag name", "body").text
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": stub["identifier"]})
