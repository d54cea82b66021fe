"""What the portal's browser checks share: headless Chromium through selenium and chromedriver,
signing in through the login form, and the checks every page gets (it fits the screen, no severe
console message). Imported by Scripts/portal-browser-check and Scripts/portal-browser-review."""
import sys


class Checks:
    """Prints one line per check and remembers the failures."""

    def __init__(self):
        self.failures = []

    def __call__(self, ok, what):
        print(("ok: " if ok else "FAIL: ") + what)
        if not ok:
            self.failures.append(what)

    @property
    def status(self):
        return 1 if self.failures else 0


def browser(phone):
    """A headless Chromium: an emulated 390-px phone, or a 1280-px desktop window. Raises when
    selenium or Chromium is missing (the caller exits 2, a skip)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--lang=zh-CN"):
        options.add_argument(arg)
    if phone:
        # A phone's screen: headless windows are at least 500 px wide, so emulate the device.
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2}})
    else:
        options.add_argument("--window-size=1280,900")
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(60)
    return driver


def start(phone):
    """`browser(phone)`, or exit 2 with the reason when it cannot start."""
    try:
        return browser(phone)
    except Exception as error:  # no selenium, no browser: the caller reports a skip
        print(f"skip: {error}".splitlines()[0])
        sys.exit(2)


def sign_in(driver, base, login, password, check):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(base + "/")
    check(driver.current_url.endswith("/login"), "a visitor is sent to the login page")
    driver.find_element(By.NAME, "login").send_keys(login)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    try:
        WebDriverWait(driver, 60).until(EC.url_to_be(base + "/"))
    except Exception:
        pass
    check(driver.current_url == base + "/", f"{login} signs in and lands on the home page")


def fits(driver, what, screen_width, check):
    width, screen = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    check(screen == screen_width and width <= screen, f"{what} fits a {screen_width}-px screen (scrollWidth {width}, screen {screen})")


def console_clean(driver, what, check):
    severe = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    check(not severe, f"no severe console messages ({what})" + (f": {severe}" if severe else ""))


def body_text(driver):
    from selenium.webdriver.common.by import By
    return driver.find_element(By.TAG_NAME, "body").text
