// What the chromium end-to-end scripts share: Debian's chromium, headless,
// with nothing phoning home, and the password login form.
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
