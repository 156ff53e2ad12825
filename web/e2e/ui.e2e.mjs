// End-to-end test of the web UI in Debian's chromium, driven by
// playwright-core, against a running rqwatch that
// tests/integration/test_web_ui.py started and filled with mail.
// Input: a JSON file (argv[2]) with the base URL, users, mail ids, the
// canary server's URL and where to put screenshots. Prints one JSON line
// of results; exits non-zero on the first failed check.
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";
import { fail, finish, launch, passwordLogin } from "./browser.mjs";

const cfg = JSON.parse(readFileSync(process.argv[2], "utf8"));
const base = cfg.base;
const results = { checks: [], listRenderMs: [], blocked: [] };
const check = (name) => results.checks.push(name);

const browser = await launch(cfg);

// A fresh context per person (its own cookies and storage); every request
// the page makes is recorded, and none may leave our origin.
async function session(user, password, timezoneId = "UTC") {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, timezoneId });
  const page = await context.newPage();
  // Requests that got an answer; the browser also reports the ones its
  // policies stopped (requestfailed, e.g. net::ERR_BLOCKED_BY_CSP): those
  // never left, which the canary server confirms.
  const requests = [];
  const consoleErrors = [];
  page.on("requestfinished", (r) => requests.push(r.url()));
  page.on("requestfailed", (r) => results.blocked.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  await passwordLogin(page, base, user, password);
  return { context, page, requests, consoleErrors };
}

const shot = (page, name, fullPage = true) => page.screenshot({ path: `${cfg.screenshots}/${name}.png`, fullPage });
const foreign = (requests) => requests.filter((u) => !u.startsWith(base + "/") && !u.startsWith("data:"));

try {
  // --- a wrong password is refused in words
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/mails`);
    await page.getByLabel("User name").fill(cfg.admin.user);
    await page.getByLabel("Password").fill("wrong-password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("Wrong user name or password.").waitFor();
    await shot(page, "login");
    await context.close();
    check("login refused with a wrong password");
  }

  // --- admin: lists, filters, detail, admin pages
  const admin = await session(cfg.admin.user, cfg.admin.password);
  {
    const { page } = admin;
    await page.goto(`${base}/mails`);
    await page.locator("table.mails tbody tr").first().waitFor();
    const rows = await page.locator("table.mails tbody tr").count();
    assert.equal(rows, 50, "the first page holds 50 mails");
    assert.ok(await page.locator("tr.row-reject").count() > 0, "reject rows are coloured");
    assert.ok(await page.locator(".legend li").count() >= 6, "a legend");
    await shot(page, "mails");
    check("admin sees the list (50 rows, colours, legend)");

    // The 50-row render time after the data arrived, over a few loads.
    for (let i = 0; i < 5; i++) {
      await page.goto(`${base}/mails`);
      await page.locator("table.mails tbody tr").nth(49).waitFor();
      const ms = await page.evaluate(() => (window.__rqwListRenderMs || [])[0]);
      results.listRenderMs.push(ms);
    }

    // Filter builder: subject contains the marker.
    await page.getByRole("button", { name: "Add filter" }).click();
    const row = page.locator("fieldset.filter-row").first();
    await row.getByLabel("Field").selectOption("subject");
    await row.getByLabel("Operator").selectOption("contains");
    await row.getByLabel("Value").fill(cfg.marker);
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/filter=subject%3Acontains/);
    await page.waitForFunction((n) => document.querySelectorAll("table.mails tbody tr").length === n, cfg.markerCount);
    // A bad value is refused before any request.
    await page.getByRole("button", { name: "Add filter" }).click();
    const second = page.locator("fieldset.filter-row").nth(1);
    await second.getByLabel("Field").selectOption("score");
    await second.getByLabel("Value").fill("lots");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByText("Check the highlighted filter.").waitFor();
    await shot(page, "filters");
    check("filter builder narrows the list and refuses a bad value");

    // Saved filters survive a reload (localStorage).
    await second.getByRole("button", { name: "Remove filter" }).click();
    await page.getByLabel("Save these filters as").fill("marked");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.reload();
    await page.getByRole("button", { name: "Use: marked" }).waitFor();
    check("saved filters");

    // Detail of the HTML mail.
    await page.goto(`${base}/mail?id=${cfg.htmlMail}`);
    await page.getByRole("heading", { name: "Symbols" }).waitFor();
    await page.locator("iframe.mail-html").waitFor();
    assert.equal(await page.locator("iframe.mail-html").getAttribute("sandbox"), "");
    const symbolRows = page.locator("table.symbols tbody tr");
    assert.ok(await symbolRows.count() >= 2);
    const scores = await symbolRows.locator("td.num").allTextContents();
    const abs = scores.map((s) => Math.abs(Number(s)));
    assert.deepEqual(abs, [...abs].sort((a, b) => b - a), "symbols sorted by weight");
    await page.getByRole("heading", { name: "Headers" }).waitFor();
    await shot(page, "detail");
    check("admin opens a detail (summary, symbols sorted, headers, HTML frame)");

    for (const [path, heading] of [["/users", "Users"], ["/aliases", "Aliases"], ["/audit", "Audit log"],
      ["/stats", "Statistics"], ["/quarantine", "Quarantine"], ["/profile", "Profile"], ["/today", "Today's mail"]]) {
      await page.goto(`${base}${path}`);
      await page.getByRole("heading", { name: heading, exact: true }).first().waitFor();
      await page.waitForLoadState("networkidle");
      assert.equal(await page.locator(".error").count(), 0, `no error on ${path}`);
      await shot(page, path.slice(1));
    }
    await page.goto(`${base}/audit`);
    await page.locator("tbody tr").first().waitFor();
    assert.ok((await page.locator("tbody").textContent()).includes("login"), "logins are audited");
    await page.goto(`${base}/users`);
    await page.getByRole("cell", { name: cfg.user.user, exact: true }).waitFor();
    await page.goto(`${base}/stats`);
    await page.locator(".chart canvas").first().waitFor();
    check("admin pages: users, aliases, audit, stats (uPlot), quarantine, profile");

    // Profile: create an API token (its secret shown once), then revoke it.
    await page.goto(`${base}/profile`);
    await page.getByLabel("Name", { exact: true }).fill("e2e script");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = await page.locator("p.notice code.secret").textContent();
    assert.match(secret, /^rqw_/);
    const st = await page.evaluate(async (tok) => (await fetch("/api/v1/profile/tokens", {
      headers: { Authorization: `Bearer ${tok}` }, credentials: "omit" })).status, secret);
    assert.equal(st, 200, "the new token works");
    await page.getByRole("cell", { name: "e2e script" }).waitFor();
    await page.getByRole("button", { name: "Revoke" }).click();
    await page.getByText("No tokens.").waitFor();
    check("profile: API token created and revoked");

    // Auto-refresh replaces the list but never the form or the selection
    // (a fake clock runs the 30 s timer at once).
    {
      const p2 = await admin.context.newPage();
      await p2.clock.install();
      await p2.goto(`${base}/mails`);
      await p2.locator("table.mails tbody tr").first().waitFor();
      await p2.getByRole("button", { name: "Add filter" }).click();
      await p2.locator("fieldset.filter-row").first().getByLabel("Value").fill("typed, not applied");
      const firstId = await p2.locator("table.mails tbody tr").first().getAttribute("data-id");
      await p2.getByLabel(`Select mail ${firstId}`).check();
      const refreshed = p2.waitForResponse((r) => r.url().includes("/api/v1/mails?") && r.status() === 200);
      await p2.clock.fastForward(31_000);
      await refreshed;
      await p2.waitForTimeout(300);
      assert.equal(await p2.locator("fieldset.filter-row").first().getByLabel("Value").inputValue(), "typed, not applied");
      assert.ok(await p2.getByLabel(`Select mail ${firstId}`).isChecked());
      await p2.close();
      check("auto-refresh keeps the form and the selection");
    }

    // The Rspamd panel of the statistics page: the configured node does not answer.
    for (let i = 0; i < 20; i++) {
      await page.goto(`${base}/stats`);
      await page.locator("table.rspamd-nodes tbody tr").first().waitFor();
      if (await page.locator("table.rspamd-nodes").getByText(/^Not answering: /).count()) break;
      await page.waitForTimeout(500);
    }
    await page.locator("table.rspamd-nodes").getByText(/^Not answering: /).waitFor({ timeout: 1000 });
    assert.equal(await page.locator("table.rspamd-nodes tbody th").first().evaluate((th) => th.firstChild.textContent), "testhost");
    await shot(page, "stats-rspamd");
    check("statistics: the Rspamd node that does not answer is shown as such");

    // Learning when the node's controller cannot be asked: refused in words.
    await page.goto(`${base}/mail?id=${cfg.release.id}`);
    await page.getByText("Not released yet.").waitFor();
    await page.getByRole("button", { name: "Learn as spam" }).click();
    await page.getByText(/^Not learned: /).waitFor();
    assert.equal(await page.getByText(/^Not learned: The server had a problem/).count(), 0, "the reason is given");
    await page.getByText("Not learned yet.").waitFor();
    await page.locator("table.learns tbody tr").first().waitFor();
    await shot(page, "detail-release-learn");
    check("learn buttons answer in words; the failed request is in the history");

    // Maps: the detail's quick link opens the map page with the box filled in.
    await page.getByRole("link", { name: "Block: Relay IP" }).click();
    await page.waitForURL(/\/map-lists\?name=ip_block/);
    const box = page.locator("textarea[name=lines]");
    assert.equal(await box.inputValue(), cfg.release.ip, "the add box holds the relay IP");
    await box.fill(`${cfg.release.ip}\nnot-an-ip`);
    await page.getByLabel("Comment").fill("added by the e2e test");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByText("1 added.").waitFor();
    await page.locator(".line-errors li").filter({ hasText: /^Line 2: / }).waitFor();
    assert.equal(await box.inputValue(), "not-an-ip", "only the refused line stays in the box");
    const mapText = async () => (await (await fetch(`${base}/maps/ip_block.txt`)).text());
    assert.ok((await mapText()).split("\n").includes(cfg.release.ip), "the entry is in the map file");
    await page.getByRole("cell", { name: "added by the e2e test" }).waitFor();
    await shot(page, "map-entries");
    check("map entry added through the UI is in /maps/ip_block.txt; a bad line is shown with its number");

    // An entry with an expiry; an import with a bad line; the export holds them.
    const tomorrow = new Date(Date.now() + 86400_000).toISOString().slice(0, 16);
    await box.fill("192.0.2.200");
    await page.getByLabel("Expires (empty: never)").fill(tomorrow);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    const expiring = page.locator("table.entries tbody tr").filter({ hasText: "192.0.2.200" });
    await expiring.waitFor();
    assert.ok(!(await expiring.textContent()).includes("never"), "the expiry is shown");
    await box.fill("192.0.2.202");
    await page.getByLabel("Import a text file").setInputFiles({
      name: "import.txt", mimeType: "text/plain", buffer: Buffer.from("192.0.2.201\nbad ip\n") });
    await page.getByRole("cell", { name: "192.0.2.201", exact: true }).waitFor();
    await page.locator(".line-errors li").filter({ hasText: /^Line 2: / }).waitFor();
    assert.equal(await box.inputValue(), "192.0.2.202", "an import leaves the add box alone");
    const [exported] = await Promise.all([page.waitForEvent("download"),
      page.getByRole("link", { name: "Export as text" }).click()]);
    const exportedLines = readFileSync(await exported.path(), "utf8").split("\n");
    for (const v of [cfg.release.ip, "192.0.2.200", "192.0.2.201"]) assert.ok(exportedLines.includes(v), `${v} exported`);
    check("map entry with an expiry; import shows a bad line; export holds the entries");

    // Disable it (leaves the file), search, then bulk delete with confirmation.
    await page.getByLabel(`Enable ${cfg.release.ip}`).uncheck();
    for (let i = 0; (await mapText()).split("\n").includes(cfg.release.ip); i++) {
      assert.ok(i < 50, "a disabled entry leaves the map file");
      await page.waitForTimeout(100);
    }
    await page.getByRole("searchbox").fill("no-such-entry");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.getByText("No entries.").waitFor();
    await page.getByRole("searchbox").fill(cfg.release.ip);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.getByLabel(`Select ${cfg.release.ip}`).check();
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Delete selected" }).click();
    await page.getByText("1 deleted.").waitFor();
    await page.getByText("No entries.").waitFor();
    check("map entry disabled, searched and bulk deleted");

    // The list of maps; a custom map created and deleted by the admin.
    await page.getByRole("link", { name: "All maps" }).click();
    await page.getByRole("link", { name: "ip_block" }).waitFor();
    assert.ok(await page.locator("table.maps tbody tr").count() >= 20, "the built-in maps are listed");
    await shot(page, "map-lists");
    await page.getByLabel("Name (a-z 0-9 . _ -)").fill("e2e-custom");
    await page.getByLabel("Holds").selectOption("text");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByText("Map e2e-custom created.").waitFor();
    await page.getByRole("link", { name: "e2e-custom" }).click();
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Delete this map" }).click();
    await page.getByRole("link", { name: "ip_block" }).waitFor();
    assert.equal(await page.getByRole("link", { name: "e2e-custom" }).count(), 0);
    check("admin creates and deletes a custom map");

    // Queue-ID jump to a mail, then delete it from its detail page.
    await page.goto(`${base}/mails`);
    await page.getByLabel("Jump to queue ID").fill(cfg.jump.qid);
    await page.getByRole("button", { name: "Go" }).click();
    await page.waitForURL(`${base}/mail?id=${cfg.jump.id}`);
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Delete from quarantine" }).click();
    await page.getByText("Deleted from the quarantine.").waitFor();
    await page.getByRole("button", { name: "Delete from quarantine" }).waitFor({ state: "detached" });
    await page.goto(`${base}/mails`);
    await page.getByLabel("Jump to queue ID").fill("NO-SUCH-QID");
    await page.getByRole("button", { name: "Go" }).click();
    await page.getByText("No mail with queue ID NO-SUCH-QID.").waitFor();
    check("queue-ID jump and delete from the detail page");

    // Bulk delete of a selection (two quarantined newsletters, not the HTML mail).
    await page.goto(`${base}/mails`);
    await page.locator("table.mails tbody tr").nth(3).waitFor();
    const picked = await page.locator("table.mails tbody tr").evaluateAll((rows) => rows.slice(2, 4).map((r) => Number(r.dataset.id)));
    for (const id of picked) await page.getByLabel(`Select mail ${id}`).check();
    await page.getByText("2 selected").waitFor();
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Delete selected" }).click();
    await page.getByText("2 deleted, 0 failed.").waitFor();
    for (const id of picked) {
      const st = await page.evaluate(async (id) => (await fetch(`/api/v1/mails/${id}/raw`)).status, id);
      assert.equal(st, 404, "the deleted mail's raw source is gone");
    }
    check("bulk select and delete");

    // Bulk release of a selection to another address only.
    await page.goto(`${base}/mails`);
    await page.getByLabel(`Select mail ${cfg.htmlMail}`).check();
    await page.getByRole("button", { name: "Release selected" }).click();
    const bulk = page.getByRole("dialog", { name: "Release 1 mail(s)" });
    await bulk.getByLabel("To the original recipients (those that are yours)").uncheck();
    await bulk.getByRole("button", { name: "Release", exact: true }).click();
    await bulk.getByText("Choose a recipient or enter an address.").waitFor();
    await bulk.getByLabel(/^Other addresses/).fill("ops@example.org");
    await bulk.getByRole("button", { name: "Release", exact: true }).click();
    await bulk.getByText(`Mail ${cfg.htmlMail}: delivered to ops@example.org`).waitFor();
    await shot(page, "bulk-release");
    check("bulk release to another address, refused without a recipient");

    // Keyboard: the first Tab reaches the skip link, visibly focused.
    await page.goto(`${base}/today`);
    await page.locator("table.mails tbody tr").first().waitFor();
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.className), "skip");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.equal(outline, "solid", "focus is visible");
    check("keyboard: skip link and visible focus");

    // Phone width and the dark theme.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/mails`);
    await page.locator("table.mails tbody tr").first().waitFor();
    await page.getByRole("button", { name: "Switch theme" }).click();
    await page.getByRole("button", { name: "Switch theme" }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    await shot(page, "mails-phone-dark", false);
    check("phone width and dark theme");
    assert.deepEqual(foreign(admin.requests), [], "no request left the site");
    assert.deepEqual(await (await fetch(`${cfg.canary}/__hits`)).json(), [], "the canary got nothing");
    assert.deepEqual(admin.consoleErrors, []);
  }

  // --- a user: own mail only, the hostile HTML mail, an attachment
  const user = await session(cfg.user.user, cfg.user.password, "Asia/Tokyo");
  {
    const { page, requests } = user;
    await page.goto(`${base}/mails`);
    await page.locator("table.mails tbody tr").first().waitFor();
    const ids = await page.locator("table.mails tbody tr").evaluateAll((rows) => rows.map((r) => Number(r.dataset.id)));
    assert.ok(ids.includes(cfg.htmlMail));
    assert.ok(!ids.includes(cfg.otherMail), "another user's mail is not listed");
    check("user sees only their own mail");

    // Times are shown in the browser's zone (Tokyo here: UTC+9).
    const shown = await page.locator("table.mails tbody tr").first().locator("td").nth(1).textContent();
    const expected = await page.evaluate((ms) => new Intl.DateTimeFormat(undefined, { year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "Asia/Tokyo" }).format(new Date(ms)), cfg.htmlMailAt);
    assert.equal(shown, expected);
    check("times in the browser's zone");

    // Release from the detail page: only her own recipient is offered.
    await page.goto(`${base}/mail?id=${cfg.release.id}`);
    await page.getByRole("button", { name: "Release…" }).click();
    const dialog = page.getByRole("dialog", { name: "Release this mail" });
    await dialog.getByRole("checkbox", { name: "alice@example.org" }).waitFor();
    assert.equal(await dialog.getByRole("checkbox").count(), 1, "a co-recipient is not shown");
    assert.equal(await dialog.getByText("bob@example.org").count(), 0);
    await dialog.getByRole("button", { name: "Release", exact: true }).click();
    await dialog.getByText("alice@example.org: delivered").waitFor();
    await page.locator("table.releases tbody tr").filter({ hasText: "alice@example.org" }).waitFor();
    await shot(page, "release");
    check("user releases from the detail page (own recipient only; result and history shown)");

    // The quick map links of a user point at her personal maps only.
    const mapLinks = await page.locator("ul.quick-maps a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.ok(mapLinks.length === 2 && mapLinks.every((h) => h.startsWith("/map-lists?name=personal_")), mapLinks.join());
    await page.goto(`${base}/map-lists`);
    await page.locator("table.maps tbody tr").first().waitFor();
    const mapNames = await page.locator("table.maps tbody td:first-child a").allTextContents();
    assert.ok(mapNames.includes("personal_smtp_from_rcpt_allow") && !mapNames.includes("ip_block"), mapNames.join());
    assert.equal(await page.getByText("Create a map").count(), 0);
    check("user sees personal maps, not the global ones");

    // From the quick link, she blocks the sender for herself.
    await page.goto(`${base}/mail?id=${cfg.release.id}`);
    await page.getByRole("link", { name: "Block: Sender for alice@example.org" }).click();
    await page.waitForURL(/\/map-lists\?name=personal_smtp_from_rcpt_block/);
    const personalBox = page.locator("textarea[name=lines]");
    assert.equal(await personalBox.inputValue(), "sender@example.org alice@example.org");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("cell", { name: "sender@example.org", exact: true }).waitFor();
    await personalBox.fill("sender@example.org bob@example.org");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.locator(".line-errors li, .notice").filter({ hasText: /bob@example.org|not allowed|Line 1/i }).first().waitFor();
    assert.equal(await page.locator("table.entries tbody tr").count(), 1, "not for another user's address");
    assert.ok((await (await fetch(`${base}/maps/personal_smtp_from_rcpt_block.txt`)).text())
      .includes("sender@example.org|alice@example.org"), "the personal entry is in the map file");
    await shot(page, "map-personal");
    check("user adds to her personal map from the quick link; not for another's address");

    await page.goto(`${base}/mail?id=${cfg.otherMail}`);
    await page.getByText("This was not found, or it is not yours to see.").waitFor();
    check("user cannot open another user's mail");

    // Hostile HTML: <script>, onerror=, a remote image and a form.
    await page.goto(`${base}/mail?id=${cfg.htmlMail}`);
    const frameEl = page.locator("iframe.mail-html");
    await frameEl.waitFor();
    const frame = await (await frameEl.elementHandle()).contentFrame();
    await frame.waitForLoadState("load");
    // The mail is shown; then try its form: a sandboxed frame may not submit it.
    await frame.getByText(cfg.htmlMarker).waitFor({ timeout: 10000 });
    await frame.locator("input[type=submit]").click({ timeout: 5000 });
    await page.waitForTimeout(1500);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, "no script ran in the page");
    assert.deepEqual(foreign(requests), [], "no request left the site");
    assert.equal(await page.getByText("Remote images and styles are blocked.").count(), 1);
    await shot(page, "hostile-html");
    let canary = await (await fetch(`${cfg.canary}/__hits`)).json();
    assert.deepEqual(canary, [], "the canary got no request (script, onerror, image, form)");
    check("hostile HTML: no script, no handler, no remote image, no form post");

    // Only after a click do remote images load, and still no script runs.
    await page.getByRole("button", { name: "Load remote content" }).click();
    await page.waitForFunction(() => document.querySelector("iframe.mail-html")?.getAttribute("src")?.includes("remote=1"));
    await page.waitForTimeout(1500);
    canary = await (await fetch(`${cfg.canary}/__hits`)).json();
    assert.deepEqual(canary, ["/remote.png"], "only the image, after the click");
    check("remote image loads only after the click");

    // Attachment download.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: cfg.attachment.name }).click(),
    ]);
    const path = await download.path();
    assert.equal(readFileSync(path, "utf8"), cfg.attachment.content);
    assert.equal(download.suggestedFilename(), cfg.attachment.name);
    check("attachment download");

    // Admin pages are not the user's.
    await page.goto(`${base}/users`);
    await page.getByText("There is no such page.").waitFor();
    assert.equal(await page.getByRole("link", { name: "Users" }).count(), 0);
    check("user has no admin pages");

    // Log out: back to the login form; the API answers 401.
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("button", { name: "Log in" }).waitFor();
    check("logout");
    assert.deepEqual(user.consoleErrors, []);
  }
  // --- the TOTP step of the login (a code the authenticator would show next)
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel("User name").fill(cfg.totp.user);
    await page.getByLabel("Password").fill(cfg.totp.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("This account asks for a second factor.").waitFor();
    await page.getByLabel("Code from your authenticator app").fill("000000x");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("That code is wrong or was already used.").waitFor();
    await shot(page, "login-totp");
    await page.getByLabel("Code from your authenticator app").fill(cfg.totp.code);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("heading", { name: "Today's mail" }).waitFor();
    await context.close();
    check("login with the TOTP step");
  }
  await finish(browser, results, process.argv[3]);
} catch (e) {
  await fail(browser, results, e);
}
