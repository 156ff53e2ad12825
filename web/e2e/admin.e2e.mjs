// End-to-end test of the admin pages, SSO, learning, keyboard use, phone
// width and both themes, in Debian's chromium driven by playwright-core,
// against the rqwatch that tests/integration/test_web_admin.py started (with
// an OIDC provider and rspamd). Input: a JSON file (argv[2]); writes the
// results to argv[3]; exits non-zero on the first failed check.
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";
import { fail, finish, launch, passwordLogin } from "./browser.mjs";

const cfg = JSON.parse(readFileSync(process.argv[2], "utf8"));
const base = cfg.base;
const results = { checks: [], shots: [] };
const check = (name) => results.checks.push(name);
const browser = await launch(cfg);
const shot = async (page, name, fullPage = true) => {
  await page.screenshot({ path: `${cfg.screenshots}/${name}.png`, fullPage });
  results.shots.push(name);
};
const json = (page, path) => page.evaluate(async (p) => (await fetch(p)).json(), path);
const accept = (page) => page.once("dialog", (d) => d.accept());

async function newPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, timezoneId: "UTC" });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  return { context, page, errors };
}

try {
  // --- SSO: the login page's button, the provider's own login page, back logged in
  {
    const { context, page, errors } = await newPage();
    await page.goto(`${base}/`);
    await page.getByRole("link", { name: "Log in with SSO" }).click();
    await page.locator("#username").waitFor();  // glewlwyd's login.html
    assert.ok(!page.url().startsWith(base), "the browser is at the provider");
    await page.locator("#username").fill(cfg.sso.user);
    await page.locator("#password").fill(cfg.sso.password);
    await shot(page, "sso-provider");
    await page.locator("#loginbut").click();
    // glewlwyd greets the user and asks to continue to the client.
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { name: "Today's mail" }).waitFor({ timeout: 20000 });
    const me = await json(page, "/api/v1/session");
    assert.equal(me.username, cfg.sso.user);
    assert.equal(me.provider, "oidc");
    assert.equal(me.is_admin, false);
    assert.equal(await page.getByRole("link", { name: "Users" }).count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
    check("SSO: the button, the provider's login page, back logged in as an OIDC user");
  }

  const { context, page, errors } = await newPage();
  await passwordLogin(page, base, cfg.admin.user, cfg.admin.password);

  // --- users: search, edit, TOTP reset, token revoke
  {
    await page.goto(`${base}/users`);
    await page.getByRole("searchbox").fill(cfg.dave.user);
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForFunction(() => document.querySelectorAll("table.users tbody tr").length === 1);
    await page.getByRole("link", { name: `Edit user ${cfg.dave.user}` }).click();
    const editor = page.locator("section.editor");
    await editor.getByRole("heading", { name: `Edit user ${cfg.dave.user}` }).waitFor();
    await editor.getByLabel("Last name").fill("Dunn");
    await editor.getByLabel("Address").fill("dave.dunn@example.org");
    await editor.getByLabel("No notification mails").check();
    await editor.getByRole("button", { name: "Save" }).click();
    await page.getByText(`User ${cfg.dave.user} saved.`).waitFor();
    const dave = await json(page, `/api/v1/users/${cfg.dave.id}`);
    assert.equal(dave.last_name, "Dunn");
    assert.equal(dave.email, "dave.dunn@example.org");
    assert.equal(dave.notifications_disabled, true);
    await page.locator("table.users tbody tr").filter({ hasText: "dave.dunn@example.org" }).waitFor();
    // A bad address is refused in the server's words; nothing changes.
    await editor.getByLabel("Address").fill("dave.dunn@example.org");
    await editor.getByLabel("New password (empty: unchanged)").fill("short");
    await editor.getByRole("button", { name: "Save" }).click();
    assert.ok(await editor.getByLabel("New password (empty: unchanged)").evaluate((el) => !el.validity.valid),
      "a short password is refused before any request");
    await editor.getByLabel("New password (empty: unchanged)").fill("");
    check("admin searches and edits a user");

    await editor.getByText("On", { exact: true }).waitFor();
    accept(page);
    await editor.getByRole("button", { name: "Reset TOTP" }).click();
    await page.getByText(`Two-factor authentication of ${cfg.dave.user} turned off.`).waitFor();
    await editor.getByText("Off", { exact: true }).waitFor();
    assert.equal((await json(page, `/api/v1/users/${cfg.dave.id}`)).totp_enabled, false);
    check("admin resets a user's TOTP");

    await editor.getByRole("cell", { name: /dave's script/ }).waitFor();
    await shot(page, "users-edit");
    accept(page);
    await editor.getByRole("button", { name: "Revoke" }).click();
    await editor.getByText("No tokens.").waitFor();
    const st = await page.evaluate(async (tok) => (await fetch("/api/v1/profile/tokens", {
      headers: { Authorization: `Bearer ${tok}` }, credentials: "omit" })).status, cfg.dave.token);
    assert.equal(st, 401, "the revoked token no longer works");
    check("admin revokes a user's API token");
  }

  // --- "login as" and the way back
  {
    accept(page);
    await page.getByRole("button", { name: "Log in as" }).click();
    await page.getByRole("heading", { name: "Today's mail" }).waitFor();
    await page.getByText(`Acting as ${cfg.dave.user} (you are ${cfg.admin.user}).`).waitFor();
    const me = await json(page, "/api/v1/session");
    assert.equal(me.username, cfg.dave.user);
    assert.equal(me.impersonated_by, cfg.admin.user);
    assert.equal(await page.getByRole("link", { name: "Users" }).count(), 0, "the user's navigation");
    await page.getByRole("link", { name: "All mail" }).click();
    await page.locator("table.mails tbody tr").first().waitFor();
    assert.ok(await page.getByText(`Acting as ${cfg.dave.user}`).isVisible(), "the banner stays on every page");
    await shot(page, "acting-as");
    await page.getByRole("button", { name: "Return to my account" }).click();
    await page.getByRole("heading", { name: `Edit user ${cfg.dave.user}` }).waitFor();
    assert.equal(await page.getByText(/^Acting as /).count(), 0);
    const back = await json(page, "/api/v1/session");
    assert.equal(back.username, cfg.admin.user);
    assert.equal(back.impersonated_by, null);
    check("admin logs in as a user (banner) and returns to the user's editor");
  }

  // --- no delete for oneself; another user deleted after a confirmation
  {
    const admins = await json(page, `/api/v1/users?contains=${cfg.admin.user}`);
    const self = admins.items.find((u) => u.username === cfg.admin.user);
    await page.goto(`${base}/users?id=${self.id}`);
    await page.getByRole("heading", { name: `Edit user ${cfg.admin.user}` }).waitFor();
    assert.equal(await page.locator("section.editor").getByRole("button", { name: "Delete" }).count(), 0);
    assert.equal(await page.getByRole("button", { name: "Log in as" }).count(), 0);
    assert.ok(await page.getByLabel("Administrator", { exact: true }).first().isDisabled(), "one's own admin flag");
    const erin = (await json(page, `/api/v1/users?contains=${cfg.erin}`)).items[0];
    await page.goto(`${base}/users?id=${erin.id}`);
    page.once("dialog", (d) => d.dismiss());
    await page.locator("section.editor").getByRole("button", { name: "Delete" }).click();
    assert.equal((await json(page, `/api/v1/users?contains=${cfg.erin}`)).items.length, 1, "a dismissed confirmation deletes nothing");
    accept(page);
    await page.locator("section.editor").getByRole("button", { name: "Delete" }).click();
    await page.getByText(`User ${cfg.erin} deleted.`).waitFor();
    await page.waitForURL(`${base}/users`);
    await page.getByRole("cell", { name: cfg.erin, exact: true }).waitFor({ state: "detached" });
    check("no delete of oneself; a user deleted after a confirmation");
  }

  // --- a directory (OIDC) user: the directory's fields are locked
  {
    const sso = (await json(page, `/api/v1/users?contains=${cfg.sso.user}`)).items.find((u) => u.provider === "oidc");
    await page.goto(`${base}/users?id=${sso.id}`);
    const editor = page.locator("section.editor");
    await editor.getByText(/logs in through OIDC/).waitFor();
    for (const f of ["User name", "Address", "First name", "Last name"]) assert.ok(await editor.getByLabel(f).isDisabled(), f);
    assert.equal(await editor.getByLabel("New password (empty: unchanged)").count(), 0);
    await editor.getByLabel("No notification mails").check();
    await editor.getByRole("button", { name: "Save" }).click();
    await page.getByText(`User ${cfg.sso.user} saved.`).waitFor();
    await shot(page, "users-directory");
    check("a directory user's name, address and password are locked; the rest saves");
  }

  // --- aliases: search, edit in place, add, delete
  {
    await page.goto(`${base}/aliases`);
    await page.getByRole("searchbox").fill("dave");
    await page.getByRole("button", { name: "Search" }).click();
    const row = page.locator("table.aliases tbody tr").filter({ hasText: "dave.alias@example.org" });
    await row.getByRole("link", { name: cfg.dave.user }).waitFor();
    await row.getByRole("button", { name: "Edit alias dave.alias@example.org" }).click();
    const box = page.getByRole("textbox", { name: "Edit alias dave.alias@example.org" });
    await box.fill("not an address");
    await page.getByRole("button", { name: "Save" }).click();
    assert.ok(await box.evaluate((el) => !el.validity.valid), "refused before any request");
    await box.fill("dave.new@example.org");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Alias dave.new@example.org saved.").waitFor();
    await page.getByRole("cell", { name: "dave.new@example.org", exact: true }).waitFor();
    await page.getByRole("combobox", { name: /^User/ }).selectOption({ label: `${cfg.sso.user} (${cfg.sso.user}@example.org)` });
    await page.getByLabel("Alias address").fill("extra@example.org");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByText(/^Alias extra@example.org added\.$|directory/).first().waitFor();
    // An OIDC user's aliases come from the directory: refused in words.
    assert.equal(await page.getByRole("alert").filter({ hasText: /directory/ }).count(), 1);
    await page.getByRole("combobox", { name: /^User/ }).selectOption({ label: `${cfg.dave.user} (dave.dunn@example.org)` });
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByText("Alias extra@example.org added.").waitFor();
    await page.getByRole("searchbox").fill("");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("cell", { name: "extra@example.org", exact: true }).waitFor();
    await shot(page, "aliases");
    accept(page);
    await page.locator("table.aliases tbody tr").filter({ hasText: "extra@example.org" }).getByRole("button", { name: "Delete" }).click();
    await page.getByText("Alias extra@example.org deleted.").waitFor();
    await page.getByRole("cell", { name: "extra@example.org", exact: true }).waitFor({ state: "detached" });
    check("aliases: searched, edited in place, added (refused for a directory user), deleted");
  }

  // --- maps: an entry edited in place; the map emptied behind its typed name
  {
    const mapText = () => page.evaluate(async () => (await fetch("/maps/ip_block.txt")).text());
    const until = async (pred, what) => {
      for (let i = 0; !pred((await mapText()).split("\n")); i++) {
        assert.ok(i < 50, what);
        await page.waitForTimeout(100);
      }
    };
    await page.goto(`${base}/map-lists?name=ip_block`);
    await page.locator("textarea[name=lines]").fill("192.0.2.10\n192.0.2.20");
    await page.getByLabel("Comment").first().fill("first");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByText("2 added.").waitFor();
    await page.getByRole("button", { name: "Edit 192.0.2.10" }).click();
    const form = page.getByRole("form", { name: "Edit 192.0.2.10" });
    await form.getByLabel("Value").fill("192.0.2.11");
    await form.getByLabel("Comment").fill("second");
    const tomorrow = new Date(Date.now() + 86400_000).toISOString().slice(0, 16);
    await form.getByLabel("Expires (empty: never)").fill(tomorrow);
    await form.getByRole("button", { name: "Save" }).click();
    await page.getByText("Entry saved.").waitFor();
    const row = page.locator("table.entries tbody tr").filter({ hasText: "192.0.2.11" });
    await row.getByRole("cell", { name: "second" }).waitFor();
    assert.ok(!(await row.textContent()).includes("never"), "the expiry is shown");
    await until((l) => l.includes("192.0.2.11") && !l.includes("192.0.2.10"), "the edit reaches the map file");
    // A bad value stays in the form with the server's reason.
    await page.getByRole("button", { name: "Edit 192.0.2.20" }).click();
    const bad = page.getByRole("form", { name: "Edit 192.0.2.20" });
    await bad.getByLabel("Value").fill("not-an-ip");
    await bad.getByRole("button", { name: "Save" }).click();
    await bad.getByRole("alert").waitFor();
    await bad.getByRole("button", { name: "Cancel" }).click();
    await shot(page, "map-entry-edit");
    check("map entry edited in place (value, comment, expiry) and in the map file; a bad value refused");

    await page.getByRole("button", { name: "Delete all entries…" }).click();
    const dialog = page.getByRole("form", { name: "Delete every entry of ip_block" });
    await dialog.getByLabel("Map name").fill("ip_bloc");
    assert.ok(await dialog.getByRole("button", { name: "Delete all entries" }).isDisabled());
    await dialog.getByLabel("Map name").fill("ip_block");
    await shot(page, "map-delete-all");
    await dialog.getByRole("button", { name: "Delete all entries" }).click();
    await page.getByText("2 deleted.").waitFor();
    await page.getByText("No entries.").waitFor();
    await until((l) => !l.includes("192.0.2.11") && !l.includes("192.0.2.20"), "the map file is emptied");
    check("map emptied after its name was typed");
  }

  // --- a successful learn against real rspamd
  {
    await page.goto(`${base}/mail?id=${cfg.learnMail}`);
    await page.getByText("Not learned yet.").waitFor();
    await page.getByRole("button", { name: "Learn as spam" }).click();
    await page.getByText(/^Learned as spam by /).first().waitFor({ timeout: 30000 });
    await page.locator("table.learns tbody tr").first().waitFor();
    await page.getByRole("button", { name: "Relearn as ham" }).waitFor();
    await shot(page, "learned");
    check("a mail learned as spam through the detail page");
  }

  // --- statistics: traffic per day by action (test_web_admin put mail on today,
  // yesterday and three days ago), the by-action and top-report bars
  {
    await page.goto(`${base}/stats`);
    const chart = page.locator(".chart.traffic");
    await chart.locator("canvas").first().waitFor();
    const labels = await chart.locator(".u-legend .u-series .u-label").allTextContents();
    assert.deepEqual(labels, ["Day", "Rejected", "Spam (header added)", "Clean", "Quarantined"], "a series per action");
    // The legend's markers, the by-action bars and the list rows share the colours.
    const colours = await page.evaluate(() => {
      const probe = document.createElement("tr");
      probe.className = "row-reject";
      document.body.append(probe);
      const row = getComputedStyle(probe).backgroundColor;
      probe.remove();
      const marker = [...document.querySelectorAll(".chart.traffic .u-legend .u-series")]
        .find((s) => s.textContent.startsWith("Rejected")).querySelector(".u-marker");
      const bar = document.querySelector("ul.bars .bar-fill.row-reject");
      return { row, marker: getComputedStyle(marker).backgroundColor, bar: bar && getComputedStyle(bar).backgroundColor };
    });
    assert.equal(colours.marker, colours.row, "the chart's reject colour is the rows'");
    assert.equal(colours.bar, colours.row, "the by-action bar's reject colour is the rows'");
    // One slot per day of the last 31, today last: the legend names the day
    // under the cursor (a date, no hour) and that day's own counts.
    const over = await chart.locator(".u-over").boundingBox();
    // Dates as the browser writes them (its locale, the server's UTC days).
    const dates = await page.evaluate(() => [0, 1, 2, 3].map((n) => new Intl.DateTimeFormat(undefined,
      { month: "short", day: "numeric", timeZone: "UTC" }).format(Date.now() - n * 86_400_000)));
    const day = (daysAgo) => dates[daysAgo];
    const at = async (daysAgo) => {
      await page.mouse.move(over.x + over.width * (30 - daysAgo + 0.5) / 31, over.y + over.height / 2);
      let values = [];
      for (let i = 0; i < 20 && values[0] !== day(daysAgo); i++) {
        if (i) await page.waitForTimeout(50);  // the legend follows the cursor on the next frame
        values = await chart.locator(".u-legend .u-series .u-value").allTextContents();
      }
      return values;
    };
    assert.deepEqual(await at(3), [day(3), "1", "1", "1", "2"], "three days ago: one of each, two kept");
    assert.deepEqual(await at(2), [day(2), "0", "0", "0", "0"], "a day without mail is a zero, not skipped");
    assert.deepEqual(await at(1), [day(1), "1", "1", "1", "2"]);
    // Top report: a bar per row, the longest for the first.
    await page.getByLabel("Report").selectOption("action");
    await page.locator("td.bar-cell .bar-fill.row-clean").first().waitFor();
    const widths = await page.locator("td.bar-cell .bar-fill").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    assert.ok(widths.length >= 3 && widths[0] > 0 && widths.every((w) => w <= widths[0]), `bars follow the counts: ${widths}`);
    await shot(page, "stats-traffic");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => document.querySelector(".chart.traffic canvas").getBoundingClientRect().right <= 390);
    await shot(page, "stats-traffic-phone");
    await page.setViewportSize({ width: 1280, height: 900 });
    check("statistics: traffic per day by action in the rows' colours, days as dates with quiet days at zero, top-report bars");
  }

  // --- keyboard only: Tab reaches the rows with a visible focus, Enter opens the detail
  {
    await page.goto(`${base}/mails`);
    await page.locator("table.mails tbody tr").first().waitFor();
    await page.locator("body").click({ position: { x: 1, y: 1 } });
    let where = null;
    for (let i = 0; i < 80 && !where; i++) {
      await page.keyboard.press("Tab");
      where = await page.evaluate(() => {
        const a = document.activeElement;
        return a?.tagName === "A" && a.closest("table.mails tbody tr") ? a.getAttribute("href") : null;
      });
      if (!where) {
        const style = await page.evaluate(() => {
          const a = document.activeElement;
          return a && a !== document.body ? getComputedStyle(a).outlineStyle : "solid";
        });
        assert.equal(style, "solid", `focus is visible at Tab ${i + 1}`);
      }
    }
    assert.ok(where, "Tab reaches a row's link");
    assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), "solid");
    await shot(page, "keyboard-focus", false);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${base}${where}`);
    await page.getByRole("heading", { name: "Symbols" }).waitFor();
    check("keyboard only: Tab reaches the rows (focus visible), Enter opens the detail");
  }

  // --- the main pages in light and dark, wide and at phone width (no horizontal scroll)
  {
    const pages = [["list", "/mails", "table.mails tbody tr"], ["detail", `/mail?id=${cfg.learnMail}`, "table.symbols"],
      ["viewer", `/mail?id=${cfg.htmlMail}`, "iframe.mail-html"], ["stats", "/stats", ".chart canvas"],
      ["maps", "/map-lists", "table.maps tbody tr"], ["users", "/users", "table.users tbody tr"],
      ["aliases", "/aliases", "table.aliases tbody tr"], ["profile", "/profile", "h1"]];
    for (const theme of ["light", "dark"]) {
      await page.evaluate((th) => localStorage.setItem("rqwatch.theme", th), theme);
      for (const [name, path, ready] of pages) {
        for (const [size, viewport] of [["wide", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]]) {
          await page.setViewportSize(viewport);
          await page.goto(`${base}${path}`);
          await page.locator(ready).first().waitFor();
          // The viewer's frame loads on its own: shoot the mail, not a white box.
          if (name === "viewer") {
            await page.frameLocator("iframe.mail-html").getByText(cfg.htmlMarker).waitFor();
            // Chromium paints the sandboxed (out-of-process) frame only once it was in view.
            await page.locator("iframe.mail-html").scrollIntoViewIfNeeded();
            await page.waitForTimeout(500);
          }
          await page.waitForLoadState("networkidle");
          assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
          if (size === "phone") {
            const wide = await page.evaluate(() => [document.documentElement.scrollWidth, document.body.scrollWidth]);
            assert.ok(Math.max(...wide) <= 390, `${name} (${theme}) scrolls sideways at 390 px: ${wide}`);
          }
          await shot(page, `${name}-${theme}-${size}`, size === "wide");
        }
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    check("main pages in light and dark; none scrolls sideways at 390 px");
  }
  assert.deepEqual(errors, []);
  await context.close();
  await finish(browser, results, process.argv[3]);
} catch (e) {
  await fail(browser, results, e);
}
