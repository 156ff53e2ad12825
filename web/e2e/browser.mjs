// What the chromium end-to-end scripts share: Debian's chromium, headless,
// with nothing phoning home, and the password login form.
import { writeFileSync } from "node:fs";
import { chromium } from "playwright-core";

export function launch(cfg) {
  return chromium.launch({
    executablePath: cfg.chromium || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
  });
}

// Log in through the form; resolves on the landing page.
export async function passwordLogin(page, base, user, password) {
  await page.goto(`${base}/`);
  await page.getByLabel("User name").fill(user);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("heading", { name: "Today's mail" }).waitFor();
}

// The end of a run: the results to outPath and stdout; or the checks passed
// so far and the error to stderr, and exit 1.
export async function finish(browser, results, outPath) {
  await browser.close();
  writeFileSync(outPath, JSON.stringify(results));
  console.log(JSON.stringify(results));
}

export async function fail(browser, results, error) {
  console.error("e2e failed after:", results.checks.join("; "));
  console.error(error);
  await browser.close();
  process.exit(1);
}
