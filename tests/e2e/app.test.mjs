// End to end through the real app: tauri-driver drives WebKitWebDriver, which runs the debug build of
// src-tauri in a real WebKitGTK window (under Xvfb), against the dev chain (anvil) and the merchant
// checkout page (`tender merchant`) that scripts/e2e.sh starts. The vault goes to the real Secret
// Service (gnome-keyring) of the session scripts/keyring-session.sh provides.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, copyFileSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { remote } from "webdriverio";
import QRCode from "qrcode";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run tests/e2e through scripts/e2e.sh`);
  return v;
};
const APP = env("TENDER_APP");
const RPC = env("TENDER_RPC");
const MERCHANT = env("MERCHANT_URL");
const GASLESS = env("GASLESS_URL");
const CAST = env("CAST");
const WORK = env("E2E_DIR");
const SHOTS = env("SCREENSHOTS");
const DATA_A = env("DATA_DIR_A");
const PASSWORD = "Shop-happy 2026!";
const STORE = "0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35";
const PERMIT2 = "0x000000000022D473030F116dDEE9F6B43aC78BA3";
// anvil's account 0: a public development key holding the dev chain's test funds.
const FUNDER = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const DESKTOP = { width: 1024, height: 720 };
const PHONE = { width: 360, height: 740 };
// The phone at 200 % zoom: half its CSS pixels across.
const ZOOMED = { width: 180 };
mkdirSync(SHOTS, { recursive: true });

let browser = null;
after(async () => { if (browser) await browser.deleteSession().catch(() => {}); });

async function launch(dataDir, application = APP) {
  if (browser) await browser.deleteSession().catch(() => {});
  browser = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    connectionRetryTimeout: 120_000,
    capabilities: {
      browserName: "wry",
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application, args: [`--data-dir=${dataDir}`] },
    },
  });
  await browser.setTimeout({ implicit: 0 });
  await setSize(DESKTOP);
  return browser;
}

async function setSize(size) {
  await browser.setWindowSize(size.width, size.height);
  await browser.pause(300);
}

const $ = (sel) => browser.$(sel);
const $$ = (sel) => browser.$$(sel);
async function waitFor(sel, timeout = 30_000) {
  const el = await $(sel);
  await el.waitForDisplayed({ timeout, timeoutMsg: `${sel} not shown in ${timeout} ms` });
  return el;
}
// Scrolled to the middle first, as a person scrolls to what they press: WebDriver scrolls an element
// only to the window's bottom edge, under the sheet's sticky Cancel and Pay bar.
async function click(sel) {
  const el = await waitFor(sel);
  await browser.execute((e) => e.scrollIntoView({ block: "center" }), el);
  await el.click();
}
async function type(sel, text) {
  const el = await waitFor(sel);
  await el.clearValue();
  await el.setValue(text);
}
async function waitText(sel, predicate, timeout = 30_000) {
  let last = "";
  await browser.waitUntil(async () => {
    const el = await $(sel);
    if (!(await el.isExisting())) return false;
    last = await el.getText();
    return predicate(last);
  }, { timeout, timeoutMsg: `${sel}: last text ${JSON.stringify(last)}` });
  return last;
}
// axe-core, the accessibility engine, run in the real app on every screen the screenshots cover, at
// both sizes (and in both themes and languages where the screenshots take them).
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const audits = [];
async function audit(screen) {
  if (!(await browser.execute(() => typeof window.axe !== "undefined"))) await browser.execute(AXE_SOURCE);
  const violations = await browser.executeAsync((done) => {
    window.axe.run(document, { resultTypes: ["violations"] }).then(
      (r) => done(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }))),
      (e) => done([{ id: "axe-failed", impact: "critical", help: String(e), targets: [] }]),
    );
  });
  audits.push({ screen, violations });
  for (const v of violations) console.log(`axe: ${screen}: ${v.impact} ${v.id} (${v.help}): ${v.targets.join(" | ")}`);
  // Contrast with a margin (issue 21: the dark Home card's label passed at 4.55:1): every text axe
  // measured has at least 10 % more contrast than WCAG AA asks (4.5:1, 3:1 for large text).
  const low = await browser.executeAsync((done) => {
    window.axe.run(document, { runOnly: ["color-contrast"] }).then(
      (r) => done(r.passes.flatMap((p) => p.nodes).map((n) => ({ target: n.target.join(" "), ...(n.any[0]?.data ?? {}) }))
        .filter((d) => d.contrastRatio && d.expectedContrastRatio && d.contrastRatio < 1.1 * parseFloat(d.expectedContrastRatio))
        .map((d) => `${d.target} ${d.contrastRatio}:1 (${d.fgColor} on ${d.bgColor}, AA ${d.expectedContrastRatio})`)),
      (e) => done([`axe failed: ${e}`]),
    );
  });
  for (const l of low) { contrastProblems.push(`${screen}: ${l}`); console.log(`contrast: ${screen}: ${l}`); }
}
const contrastProblems = [];

// What a phone shows: the sheet's Pay button without scrolling, and every screen at 200 % zoom (a
// 360 px phone's width is then 180 CSS pixels) without scrolling sideways (WCAG 1.4.10).
const layoutProblems = [];
async function phoneLayout(name) {
  const pay = await browser.execute(() => {
    const el = document.getElementById("sheet-pay");
    if (!el) return null;
    window.scrollTo(0, 0);
    const box = el.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return { ok: box.bottom <= innerHeight && (hit === el || el.contains(hit)), bottom: Math.round(box.bottom), height: innerHeight };
  });
  const problem = (text) => { layoutProblems.push(text); console.log(`layout: ${text}`); };
  if (pay && !pay.ok) problem(`${name}: the Pay button is not in sight on a phone (its bottom at ${pay.bottom} px of ${pay.height})`);
  // Zoomed as a person zooms (Ctrl and =, 20 % a press: the app enables the zoom keys).
  const zoom = async (key, presses) => {
    for (let i = 0; i < presses; i++) await browser.keys(["Control", key]);
    await browser.pause(400);
  };
  await zoom("=", 5);
  const wide = await browser.execute(() => {
    const root = document.documentElement;
    const over = [...document.querySelectorAll("body *")].filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > innerWidth + 1)
      .slice(0, 3).map((el) => el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}.${el.className}`);
    return { width: innerWidth, scroll: root.scrollWidth, over };
  });
  if (wide.width > ZOOMED.width + 1) problem(`${name}: the zoom keys did not zoom to 200 % (${wide.width} CSS pixels across)`);
  if (wide.scroll > wide.width || wide.over.length) problem(`${name}: scrolls sideways at 200 % zoom (${wide.scroll} px wide in ${wide.width}): ${wide.over.join(", ")}`);
  await zoom("0", 1);
}

// What axe cannot see: with the keyboard, every control gets focus in turn, on screen and not covered.
const focusProblems = [];
/** Tabs through every control of the screen at `size` (the phone's by default): after each Tab, focus is
 * on a control (never the page itself), scrolled on screen, and nothing (the sticky tab bar) covers its
 * centre. */
async function tabWalk(name, size = PHONE) {
  await setSize(size);
  const count = await browser.execute(() => {
    document.activeElement?.blur?.();
    window.scrollTo(0, 0);
    const tabbable = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";
    // Radio buttons of one group take one stop.
    const seen = new Set();
    return [...document.querySelectorAll(tabbable)].filter((el) => {
      if (el.getClientRects().length === 0 || getComputedStyle(el).visibility === "hidden") return false;
      if (el.type === "radio") { if (seen.has(el.name)) return false; seen.add(el.name); }
      return true;
    }).length;
  });
  for (let i = 0; i < count; i++) {
    await browser.keys("Tab");
    await browser.pause(60);
    const r = await browser.execute(() => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return { what: "the page itself", ok: false };
      const box = el.getBoundingClientRect();
      const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
      const y = box.top + Math.min(box.height / 2, 20);
      const hit = y >= 0 && y < innerHeight ? document.elementFromPoint(x, y) : null;
      const ok = hit != null && (hit === el || el.contains(hit) || hit.closest("label")?.control === el);
      return { what: el.id ? `#${el.id}` : `${el.tagName.toLowerCase()} "${(el.textContent || "").trim().slice(0, 30)}"`, ok, under: hit ? (hit.id || hit.tagName) : "off screen" };
    });
    if (!r.ok) focusProblems.push(`${name} (${size.width} px): ${r.what} (at its centre: ${r.under ?? "nothing"})`);
  }
  console.log(`focus: ${name}: ${count} controls tabbed through`);
  await setSize(DESKTOP);
}

/** Saves the current screen at desktop and phone sizes (docs/screenshots/NAME-desktop.png, -phone.png),
 * and audits each with axe-core. */
async function shots(name) {
  await browser.pause(400);
  await browser.saveScreenshot(join(SHOTS, `${name}-desktop.png`));
  await audit(`${name}-desktop`);
  await setSize(PHONE);
  await browser.pause(500);
  await browser.saveScreenshot(join(SHOTS, `${name}-phone.png`));
  await audit(`${name}-phone`);
  await phoneLayout(name);
  await setSize(DESKTOP);
}
async function merchantOrders() {
  return (await (await fetch(`${MERCHANT}status`)).json()).orders;
}
async function waitPaid(reference) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const o = (await merchantOrders()).find((x) => x.reference === reference);
    if (o?.state === "paid") return o;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`merchant never saw ${reference} paid`);
}
const featured = () => waitFor("#featured-balance .amount");
async function waitBalance(display) {
  await waitFor("#featured-balance");
  return waitText("#featured-balance .amount", (t) => t === display, 30_000);
}

let address = "";
let words = [];

test("create a wallet, pass the backup quiz, see it empty", async () => {
  await launch(DATA_A);
  await waitFor("#start-create");
  await shots("welcome");
  await tabWalk("welcome", DESKTOP);
  // With the keyboard: the pressed button leaves with its screen, and focus lands on the next one's
  // title, never on the page itself (issue 21).
  await browser.execute(() => document.getElementById("start-create").focus());
  await browser.keys("Enter");
  await waitFor("#generate");
  await browser.waitUntil(async () => (await browser.execute(() => document.activeElement?.tagName)) === "H1",
    { timeout: 5_000, timeoutMsg: "focus fell to the page when the welcome screen left" });
  await click("#generate");
  await waitFor("#phrase");
  words = await browser.execute(() => [...document.querySelectorAll("#phrase .w")].map((w) => w.textContent));
  assert.equal(words.length, 12);
  await shots("backup-phrase");
  await click("#phrase-saved");
  await click("#phrase-next");
  // A wrong answer is said at once, beside its field, and the quiz cannot be passed with it.
  const positions = await browser.execute(() => [...document.querySelectorAll("input[data-position]")].map((i) => i.dataset.position));
  assert.equal(positions.length, 3);
  for (let i = 0; i < 3; i++) await type(`#quiz-${i}`, words[Number(positions[i]) - 1] === "zoo" ? "abandon" : "zoo");
  await click("#quiz-0");
  await waitText("#quiz-wrong-0", (t) => t.includes(`#${positions[0]}`));
  assert.equal(await (await $("#quiz-next")).isEnabled(), false);
  await shots("backup-quiz-wrong");
  // The phrase can be shown again: the same words.
  await click("#quiz-show-again");
  await waitFor("#phrase");
  const again = await browser.execute(() => [...document.querySelectorAll("#phrase .w")].map((w) => w.textContent));
  assert.deepEqual(again, words);
  await click("#phrase-saved");
  await click("#phrase-next");
  for (let i = 0; i < 3; i++) await type(`#quiz-${i}`, words[Number(positions[i]) - 1]);
  await browser.waitUntil(async () => (await $("#quiz-next")).isEnabled(), { timeout: 10_000, timeoutMsg: "right answers not accepted" });
  await shots("backup-quiz");
  await click("#quiz-next");
  await type("#new-password", PASSWORD);
  await type("#confirm-password", PASSWORD);
  await waitText("#strength-label", (t) => t === "Strong" || t === "Good");
  await click("#password-submit");
  await waitBalance("0");
  assert.equal(await (await featured()).getText(), "0");
});

test("receive: the address and QR code; funds sent to it show up on the home screen", async () => {
  await click("#tab-receive");
  address = await waitText("#receive-address", (t) => /^0x[0-9a-fA-F]{40}$/.test(t));
  await waitFor("#receive-qr svg");
  await shots("receive");
  // The QR code shown always says what the field says, or is withdrawn: never a stale amount.
  await click(".receive details summary");
  await type("#receive-amount", "2.5");
  await browser.waitUntil(async () => /uint256=2500000000000000000(\D|$)/.test(await (await $("#receive-qr")).getAttribute("data-for")),
    { timeout: 10_000, timeoutMsg: "the QR code never took the amount" });
  assert.match(await (await $("#receive-uri")).getText(), /uint256=2500000000000000000(\D|$)/);
  const qrBox = () => browser.execute(() => Math.round(document.getElementById("receive-qr").getBoundingClientRect().height));
  const drawn = await qrBox();
  await type("#receive-amount", "2,5");
  await waitFor("#receive-amount-error");
  assert.equal(await (await $("#receive-qr")).getAttribute("data-for"), "", "withdrawn at once");
  assert.equal(await browser.execute(() => document.querySelectorAll("#receive-qr svg, #receive-uri").length), 0);
  // Issue 21 defects: the QR box kept no size (the page jumped at each keystroke), and the address went too.
  assert.equal(await qrBox(), drawn, "the withdrawn QR code's box keeps its size");
  assert.equal(await (await $("#receive-address")).getText(), address, "the address stays");
  await (await $("#receive-amount")).clearValue();
  await browser.execute(() => document.getElementById("receive-amount").dispatchEvent(new Event("input", { bubbles: true })));
  await waitFor("#receive-qr svg");
  // The store token only, no ether: a shopper who was given store credit and never bought ether.
  execFileSync(CAST, ["send", "--rpc-url", RPC, "--private-key", FUNDER, STORE, "transfer(address,uint256)", address, "100000000000000000000"], { stdio: "ignore" });
  await click("#tab-home");
  await waitBalance("100");
  assert.equal(execFileSync(CAST, ["balance", "--rpc-url", RPC, address]).toString().trim(), "0");
  await shots("home");
});

test("a wallet with zero ether pays the shop's gasless QR from an image file: the shop pays the fee", async () => {
  const [order] = await merchantOrders();
  assert.equal(order.state, "unpaid");
  const link = `${GASLESS}pay/${order.number}`;
  const shop = new URL(GASLESS).host;
  const png = join(WORK, "checkout-qr.png");
  await QRCode.toFile(png, link, { width: 400 });
  await click("#tab-pay");
  await waitFor("#scan-camera");
  await shots("scan");
  await (await $("#qr-file")).setValue(png);
  await waitFor("#confirm-sheet", 30_000);
  assert.equal(await (await $("#sheet-amount")).getText(), "12.5 STORE");
  assert.equal(await (await $("#sheet-title")).getText(), `Pay ${shop}`);
  assert.match(await (await $("#sheet-shop")).getText(), /web address/);
  assert.equal(await (await $("#sheet-message")).getText(), "The shop says: Your order at Corner Shop");
  assert.equal((await (await $("#sheet-payee")).getText()).toLowerCase(), order.deposit.toLowerCase());
  assert.equal(await (await $("#sheet-fee")).getText(), "paid by the shop");
  // No total adding two currencies; the token by name and symbol, its contract under details.
  assert.equal(await (await $("#sheet-total")).isExisting(), false);
  assert.match(await (await $("#sheet-token")).getText(), / · STORE$/);
  await shots("gasless-confirm");
  await click("#sheet-pay");
  await waitText("#receipt-status", (t) => t === "Paid", 60_000);
  assert.equal(await (await $("#receipt-fee")).getText(), "paid by the shop");
  assert.match(await (await $("#receipt-tx")).getText(), /^0x[0-9a-f]{64}$/);
  await shots("gasless-receipt");
  await waitPaid(order.reference);
  await click("#receipt-done");
  await waitBalance("87.5");
  assert.equal(execFileSync(CAST, ["balance", "--rpc-url", RPC, address]).toString().trim(), "0", "ether stays zero");
  // The shop mints a receipt NFT for the paid order (issue 23); it arrives among the collectibles, its
  // image pixels the core drew, its owner the one cast reads.
  await browser.waitUntil(async () => (await merchantOrders()).find((x) => x.reference === order.reference)?.receipt_nft?.tx,
    { timeout: 30_000, timeoutMsg: "the shop minted no receipt" });
  await click("#tab-history");
  await click("#tab-home");
  const card = await waitFor("#nft-grid .nft-card", 30_000);
  const id = await card.getAttribute("data-token-id");
  assert.equal(execFileSync(CAST, ["call", "--rpc-url", RPC, await card.getAttribute("data-contract"), "ownerOf(uint256)(address)", id]).toString().trim().toLowerCase(), address.toLowerCase());
  assert.match(await (await card.$("img")).getAttribute("src"), /^data:image\/png;base64,/);
  await browser.execute(() => document.getElementById("collectibles").scrollIntoView({ block: "start" }));
  await shots("collectibles");
  await click("#nft-grid .nft-card");
  await waitFor("#nft-screen");
  assert.equal(await (await $("#nft-title")).getText(), `Receipt #${id}`);
  assert.match(await (await $("#nft-description")).getText(), new RegExp(order.reference));
  assert.match(await (await $("#nft-vouched")).getText(), /listed by Tender/);
  await shots("nft-page");
  await click("#nft-back");
  await waitBalance("87.5");
});

test("an on-chain request with no ether says it needs ETH for the fee; with ether it is paid", async () => {
  const created = await (await fetch(`${MERCHANT}orders`, { method: "POST" })).json();
  const order = (await merchantOrders()).find((o) => o.number === created.number);
  await click("#tab-pay");
  await type("#payment-link", order.uri);
  await click("#open-link");
  const blocker = await waitText('#sheet-warnings [data-kind="needs_native_for_fee"]', (t) => t.length > 0);
  assert.match(blocker, /needs up to [\d.]+ ETH for the network fee; this account has 0 ETH/);
  assert.equal(await (await $("#sheet-amount")).getText(), "12.5 STORE", "what was asked, though it cannot be paid");
  assert.equal(await (await $("#sheet-pay")).isEnabled(), false);
  await shots("needs-eth");
  await click("#sheet-cancel");
  execFileSync(CAST, ["send", "--rpc-url", RPC, "--private-key", FUNDER, "--value", "1ether", address], { stdio: "ignore" });
  await click("#tab-home");
  await waitText("#balances", (t) => t.includes("1 ETH"));
});

test("pay a checkout on chain from a deep link (a second launch hands the link to the running app, even without a session bus)", async () => {
  const order = (await merchantOrders())[1];
  // Defect 4: without a D-Bus session the link opened a second, separate Tender at its welcome screen.
  const withoutBus = { ...process.env };
  delete withoutBus.DBUS_SESSION_BUS_ADDRESS;
  const second = spawn(APP, [order.uri], { stdio: "ignore", env: withoutBus });
  const code = await new Promise((r) => second.on("exit", r));
  assert.equal(code, 0, "the second instance hands over and exits");
  await waitFor("#confirm-sheet", 30_000);
  assert.equal(await (await $("#sheet-order")).getText(), order.reference);
  assert.match(await (await $("#sheet-fee")).getText(), /ETH/);
  // The request's label is its own claim, beside the payee, never the sheet's title.
  assert.equal(await (await $("#sheet-title")).getText(), "Confirm payment");
  assert.match(await (await $("#sheet-claim")).getText(), /Corner Shop.*not checked/);
  // A shop's order, to the address it made for it: not pointed out as a first payment (issue 21).
  assert.equal(await (await $("#sheet-payee-facts")).isExisting(), false);
  assert.match(await (await $("#sheet-fee")).getText(), /^(up to \d[\d.,]* ETH|less than 0\.0001 ETH)$/);
  await shots("confirm");
  await click("#sheet-pay");
  await waitText("#receipt-status", (t) => t === "Paid", 60_000);
  assert.match(await (await $("#receipt-tx")).getText(), /^0x[0-9a-f]{64}$/);
  await shots("receipt");
  await waitPaid(order.reference);
  await click("#receipt-done");
  await waitBalance("75");
});

test("the same request pasted again: a probable-duplicate warning that must be ticked before paying", async () => {
  const first = (await merchantOrders())[1];
  await click("#tab-pay");
  await type("#payment-link", first.uri);
  await click("#open-link");
  await waitFor('#sheet-warnings [data-kind="probable_duplicate"]');
  assert.equal(await (await $("#sheet-pay")).isEnabled(), false);
  await click("#ack-duplicate");
  assert.equal(await (await $("#sheet-pay")).isEnabled(), true);
  await shots("duplicate-warning");
  await tabWalk("duplicate-warning sheet");
  // Closed with the keyboard, the sheet gives focus back to the control that opened it (issue 21), and
  // the pasted link is still there.
  await browser.execute(() => document.getElementById("sheet-cancel").focus());
  await browser.keys("Enter");
  await waitFor("#payment-link");
  await browser.waitUntil(async () => (await browser.execute(() => document.activeElement?.id)) === "open-link",
    { timeout: 5_000, timeoutMsg: "focus did not return to the Review button that opened the sheet" });
  assert.equal(await (await $("#payment-link")).getValue(), first.uri);
  // A request for another chain is shown but cannot be paid.
  await type("#payment-link", first.uri.replace("@31337", "@1"));
  await click("#open-link");
  await waitFor('#sheet-warnings [data-kind="chain_mismatch"]');
  assert.equal(await (await $("#sheet-pay")).isEnabled(), false);
  await click("#sheet-cancel");
});

test("a payee that only looks like one this wallet paid: a strong warning with a tick of its own", async () => {
  const paid = (await merchantOrders())[1].deposit.toLowerCase();
  // The same first and last characters, every one between them changed: what an address poisoner makes.
  const middle = [...paid.slice(6, -4)].map((c) => (c === "0" ? "1" : "0")).join("");
  const lookalike = `${paid.slice(0, 6)}${middle}${paid.slice(-4)}`;
  await click("#tab-pay");
  await type("#payment-link", `ethereum:${lookalike}@31337?value=1e15`);
  await click("#open-link");
  const warning = await waitText('#sheet-warnings [data-kind="lookalike_payee"]', (t) => t.length > 0);
  assert.match(warning, /looks like/);
  assert.equal(await (await $("#sheet-payee-facts")).getText(), "First payment to this address");
  assert.equal(await (await $("#sheet-pay")).isEnabled(), false);
  await shots("lookalike-warning");
  await click("#ack-lookalike");
  assert.equal(await (await $("#sheet-pay")).isEnabled(), true);
  await click("#sheet-cancel");
});

test("in French, the confirmation sheet's warnings and the errors are French (worded by the UI from Rust's codes)", async () => {
  await click("#tab-settings");
  // Choosing an option through WebKitWebDriver did not reach the select's change handler here: set the
  // value and fire the change event the select fires when a person picks an option.
  const choose = (value) => browser.execute((v) => {
    const select = document.getElementById("language");
    select.value = v;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }, value);
  await waitFor("#language");
  await choose("fr");
  const tabText = () => browser.execute(() => document.getElementById("tab-pay")?.textContent?.trim() ?? "");
  await browser.waitUntil(async () => (await tabText()) === "Payer", { timeout: 10_000, timeoutMsg: "the UI did not switch to French" });
  const first = (await merchantOrders())[1];
  await click("#tab-pay");
  await type("#payment-link", first.uri);
  await click("#open-link");
  const warning = await waitText('#sheet-warnings [data-kind="probable_duplicate"]', (t) => t.length > 0);
  assert.match(warning, /Payer à nouveau paie deux fois/);
  assert.doesNotMatch(warning, /already paid|transaction 0x/);
  await shots("fr-duplicate-warning");
  await click("#sheet-cancel");
  // A request the parser refuses: the error is French too.
  await type("#payment-link", "ethereum:0x12345");
  await click("#open-link");
  const error = await waitText("#pay-error", (t) => t.length > 0);
  assert.match(error, /adresse/);
  await shots("fr-error");
  await click("#tab-settings");
  await waitFor("#language");
  await choose("en");
  await browser.waitUntil(async () => (await tabText()) === "Pay", { timeout: 10_000, timeoutMsg: "back to English" });
});

test("history lists both payments and the transfer received", async () => {
  await click("#tab-history");
  await waitFor("#history li");
  const count = (sel) => browser.execute((s) => document.querySelectorAll(s).length, sel);
  await browser.waitUntil(async () => (await count("#history li")) >= 3, { timeout: 20_000 });
  assert.equal(await count('#history li[data-direction="sent"][data-status="confirmed"]'), 2);
  assert.ok((await count('#history li[data-direction="received"]')) >= 1);
  // The gasless payment's row names the shop (its domain), not just an address.
  const rows = await browser.execute(() => [...document.querySelectorAll('#history li[data-direction="sent"] .who')].map((w) => w.textContent));
  assert.ok(rows.includes(new URL(GASLESS).host), JSON.stringify(rows));
  // A zero-value transfer (anyone can make one appear in anyone's history) is hidden until asked for,
  // and labelled when shown.
  execFileSync(CAST, ["send", "--rpc-url", RPC, "--private-key", FUNDER, STORE, "transfer(address,uint256)", address, "0"], { stdio: "ignore" });
  await click("#tab-home");
  await click("#tab-history");
  await waitText("#history-hidden", (t) => /hidden transfers \(1\)/.test(t));
  assert.equal(await count("#history li[data-suspicion]"), 0);
  await click("#history-hidden");
  await waitFor('#history li[data-suspicion="zero_value"] .suspicion');
  await shots("history");
  // A line opens as a receipt, dated (received ones by their block's date too).
  await click('#history li[data-direction="sent"] button');
  await waitFor("#history-receipt-date");
  await shots("history-receipt");
  await click("#history-back");
  await click('#history li[data-direction="received"] button');
  await waitFor("#history-receipt-date");
  // The History tab, pressed from a receipt, returns to the list (it stayed on the receipt).
  await click("#tab-history");
  await waitFor("#history li");
  assert.equal(await (await $("#history-receipt")).isExisting(), false);
});

test("a payment refused for its fee (the base fee jumped) is sped up from the history and paid once", async () => {
  const payee = "0x6262626262626262626262626262626262626262";
  const balanceOf = () => execFileSync(CAST, ["call", "--rpc-url", RPC, STORE, "balanceOf(address)(uint256)", payee]).toString().trim().split(/\s/)[0];
  await click("#tab-pay");
  await type("#payment-link", `ethereum:${STORE}@31337/transfer?address=${payee}&uint256=2e18&order=E2E-STUCK`);
  await click("#open-link");
  await waitFor("#confirm-sheet");
  // Between the sheet and the confirmation the network's base fee jumps far above the fee quoted.
  execFileSync(CAST, ["rpc", "--rpc-url", RPC, "anvil_setNextBlockBaseFeePerGas", "50000000000"], { stdio: "ignore" });
  await click("#sheet-pay");
  // Refused for now is not final: the receipt says nothing is paid so far and the payment stays valid.
  await waitText("#receipt-status", (t) => /^Not paid so far/.test(t), 60_000);
  assert.match(await (await $("#receipt-detail")).getText(), /stays valid/);
  assert.equal(await (await $("#receipt-notice")).isExisting(), false, "the refusal said once");
  assert.equal(await (await $(".big")).getAttribute("data-moved"), "false");
  await shots("refused-receipt");
  await click("#receipt-done");
  await click("#tab-history");
  const row = '#history li[data-status="rejected"]';
  await waitFor(row);
  assert.equal(await (await $(`${row} .amount`)).getAttribute("data-moved"), "false");
  await shots("refused-history");
  await click(`${row} button`);
  assert.equal(await (await $(`#history-receipt .big`)).getAttribute("data-moved"), "false", "never shown as spent");
  // Still valid, so it can be cancelled too.
  await waitFor("#history-receipt #stuck-cancel");
  await click("#history-receipt #stuck-speed-up");
  await waitText("#stuck-offer", (t) => /same payment again/.test(t));
  await shots("stuck-speed-up");
  await click("#stuck-confirm");
  await browser.waitUntil(async () => (await browser.execute(() =>
    document.querySelectorAll('#history li[data-status="confirmed"] .kind[data-kind="speed_up"]').length)) === 1,
  { timeout: 60_000, timeoutMsg: "the sped-up payment never showed confirmed" });
  assert.equal(balanceOf(), "2000000000000000000", "paid exactly once");
  assert.equal(await browser.execute(() => document.querySelectorAll('#history li[data-status="rejected"]').length), 0,
    "one payment, one line");
});

test("dark theme and French: the sheet, the history and a receipt (screenshots)", async () => {
  // As in the French test: set the select's value and fire the change a person's pick fires.
  const choose = (id, value) => browser.execute((i, v) => {
    const select = document.getElementById(i);
    select.value = v;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }, id, value);
  const order = (await merchantOrders())[1];
  const screens = async (prefix) => {
    await click("#tab-pay");
    await type("#payment-link", order.uri);
    await click("#open-link");
    await waitFor("#confirm-sheet");
    await shots(`${prefix}-sheet`);
    await click("#sheet-cancel");
    await click("#tab-history");
    await waitFor('#history li[data-direction="sent"]');
    await shots(`${prefix}-history`);
    await click('#history li[data-direction="sent"][data-status="confirmed"] button');
    await waitFor("#history-receipt-date");
    await shots(`${prefix}-receipt`);
    await click("#history-back");
  };
  const settings = async (language, theme) => {
    await click("#tab-settings");
    await waitFor("#language");
    await choose("language", language);
    await choose("theme", theme);
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.dataset.theme ?? "system")) === theme,
      { timeout: 10_000, timeoutMsg: `theme ${theme} not applied` });
  };
  await settings("en", "dark");
  await screens("dark");
  await settings("fr", "dark");
  await screens("fr-dark");
  assert.equal(await (await $("#tab-history")).getText(), "Historique");
  await settings("fr", "light");
  await screens("fr");
  // Issue 23 in French: the token's overview, the collectibles with an airdrop nobody asked for (cast
  // deploys an open collection and mints to this wallet), an NFT's page, the privacy page.
  await click("#tab-home");
  await click("#featured-balance");
  await waitFor("#token-supply");
  assert.match(await (await $("#token-vouched")).getText(), /Listé par Tender/);
  await shots("fr-token-overview");
  await click("#token-back");
  const artifact = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "contracts", "out", "OpenCollectible.json"), "utf8"));
  const deployed = JSON.parse(execFileSync(CAST, ["send", "--rpc-url", RPC, "--private-key", FUNDER, "--json", "--create", artifact.bytecode.object]).toString());
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" onload="alert(1)"><rect width="40" height="40" fill="#c00"/></svg>';
  const doc = JSON.stringify({ name: "Réclamez 1000 STORE sur evil.example", image: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` });
  execFileSync(CAST, ["send", "--rpc-url", RPC, "--private-key", FUNDER, deployed.contractAddress, "mint(address,uint256,string)", address, "7",
    `data:application/json;base64,${Buffer.from(doc).toString("base64")}`], { stdio: "ignore" });
  await click("#tab-history");
  await click("#tab-home");
  await waitFor("#nft-unreviewed", 30_000);
  await click("#nft-unreviewed summary");
  assert.equal(await (await $("#nft-unreviewed img")).isExisting(), false, "nothing of an unreviewed item is loaded");
  assert.doesNotMatch(await (await $("#nft-unreviewed")).getText(), /evil\.example/, "nor its name");
  await browser.execute(() => document.getElementById("collectibles").scrollIntoView({ block: "start" }));
  await shots("fr-collectibles");
  await click("#nft-grid .nft-card");
  await waitFor("#nft-screen");
  assert.match(await (await $("#nft-vouched")).getText(), /La collection du magasin/);
  await shots("fr-nft-page");
  await click("#nft-back");
  await click("#tab-settings");
  await waitFor("#privacy");
  await browser.execute(() => document.getElementById("privacy").scrollIntoView({ block: "start" }));
  await shots("fr-privacy");
  await settings("system", "system");
  await click("#tab-home");
  await waitFor("#nft-unreviewed", 30_000);
  await click("#nft-unreviewed summary");
  await browser.execute(() => document.getElementById("nft-unreviewed").scrollIntoView({ block: "start" }));
  await shots("nft-unreviewed");
});

test("lock and unlock (a wrong password is refused)", async () => {
  await click("#tab-settings");
  await waitFor("#auto-lock");
  await shots("settings");
  await tabWalk("settings");
  await tabWalk("settings", DESKTOP);
  // The privacy page (issue 23): reading each account alone is the shopper's choice, kept in the
  // wallet's folder; what each network call reveals, and to whom, is said plainly.
  await click("#privacy-separate");
  await waitFor("#settings-message");
  await browser.waitUntil(async () => {
    try { return JSON.parse(readFileSync(join(DATA_A, "privacy.json"), "utf8")).separate_accounts === true; } catch { return false; }
  }, { timeout: 10_000, timeoutMsg: "the privacy choice was not kept" });
  await click("#privacy-reveals summary");
  await browser.execute(() => document.getElementById("privacy").scrollIntoView({ block: "start" }));
  await shots("privacy");
  // The retailer's signed token list (issue 23): the two files the shop publishes, picked as a shopper
  // would; the core checks the signature (made with cast) against the key pinned for the dev chain.
  const retailer = join(import.meta.dirname, "..", "..", "crates", "devtools", "retailer");
  await (await $("#token-list-file")).setValue(join(retailer, "tokenlist.json"));
  await (await $("#token-list-signature")).setValue(join(retailer, "tokenlist.json.sig"));
  await click("#token-list-take");
  await waitText("#token-list-in-use", (t) => t.includes("Tender Store") && t.includes("tEUR"), 15_000);
  await browser.execute(() => document.getElementById("token-list").scrollIntoView({ block: "start" }));
  await shots("token-list");
  await click("#lock");
  await type("#unlock-password", "not the password");
  await click("#unlock");
  await waitFor("#unlock-error");
  await shots("unlock");
  await type("#unlock-password", PASSWORD);
  await click("#unlock");
  await waitFor("#auto-lock");
  await click("#tab-home");
  await waitBalance("73");
});

/** A new order's link of the gateway's `kind` (pay, permit2-sponsored, upto, signed…), scanned from a
 * QR image saved as NAME.png: the sheet opens. Returns the order. */
async function openKind(kind, name = kind) {
  const created = await (await fetch(`${MERCHANT}orders`, { method: "POST" })).json();
  const order = (await merchantOrders()).find((o) => o.number === created.number);
  const png = join(WORK, `${name}.png`);
  await QRCode.toFile(png, `${GASLESS}${kind}/${order.number}`, { width: 400 });
  await click("#tab-pay");
  await waitFor("#scan-camera");
  await (await $("#qr-file")).setValue(png);
  await waitFor("#confirm-sheet", 30_000);
  return order;
}

/** A new order's gasless link, paid from a QR code image: the receipt's status when it settles. */
async function payGaslessOrder(name) {
  const order = await openKind("pay", name);
  await click("#sheet-pay");
  await waitText("#receipt-status", (t) => t === "Paid", 60_000);
  await waitPaid(order.reference);
  await click("#receipt-done");
}

test("a gasless checkout after the chain made no block for over a minute is paid (the chain's clock decides)", async () => {
  // This dev chain makes a block per transaction only: idle, its latest block's time stands still. The
  // authorization's window came from the machine's clock, and every payment failed after a minute.
  const latest = () => Number(execFileSync(CAST, ["block", "latest", "--rpc-url", RPC, "-f", "timestamp"]).toString().trim());
  await new Promise((r) => setTimeout(r, 65_000));
  assert.ok(Date.now() / 1000 - latest() >= 60, "the chain idled over a minute");
  await payGaslessOrder("idle-chain");
  await waitBalance("60.5");
});

test("with the machine's clock a quarter of an hour ahead, then behind, a gasless checkout is paid", async () => {
  // The test build's hook on the app's clock (TENDER_CLOCK_SKEW_FILE), no minutes of sleep.
  const skew = process.env.TENDER_CLOCK_SKEW_FILE;
  assert.ok(skew, "scripts/e2e.sh sets TENDER_CLOCK_SKEW_FILE");
  try {
    writeFileSync(skew, "900");
    await payGaslessOrder("clock-ahead");
    await waitBalance("48");
    writeFileSync(skew, "-900");
    await payGaslessOrder("clock-behind");
    await waitBalance("35.5");
  } finally {
    rmSync(skew, { force: true });
  }
});

test("Permit2: the shopper's own approval and its revocation, the shop's sponsored approval, upto, and a signed offer and receipt (issue 22)", async () => {
  const ether = () => execFileSync(CAST, ["balance", "--rpc-url", RPC, address]).toString().trim();
  const allowance = () => execFileSync(CAST, ["call", "--rpc-url", RPC, STORE, "allowance(address,address)(uint256)", address, PERMIT2]).toString().trim().split(" ")[0];
  // Permit2 without the shop's sponsorship: the one-time approval is needed first, said plainly, and
  // offered: this payment's amount by default (never unlimited), a transaction with a network fee.
  await openKind("permit2");
  await waitFor('#sheet-warnings [data-kind="approval_needed"]');
  assert.match(await (await $('#sheet-warnings [data-kind="approval_needed"]')).getText(), /one-time approval/);
  assert.equal(await (await $("#sheet-pay")).isEnabled(), false);
  assert.equal(await (await $("#approve-this-payment")).isSelected(), true);
  await shots("permit2-approval-needed");
  await click("#approve-ask");
  await waitFor("#approve-dialog");
  assert.match(await (await $("#approve-offer")).getText(), /Let Permit2 move up to 12\.5 STORE from this account/);
  await shots("permit2-approve-confirm");
  const etherBeforeApproval = ether();
  await click("#approve-confirm");
  // Approved on chain: the sheet is quoted again by itself and can be paid; cast reads the allowance.
  await browser.waitUntil(async () => (await $("#sheet-pay")).isEnabled(), { timeout: 60_000, timeoutMsg: "the sheet never became payable" });
  assert.equal(await (await $('#sheet-warnings [data-kind="approval_needed"]')).isExisting(), false);
  assert.equal(allowance(), "12500000000000000000");
  assert.ok(BigInt(ether()) < BigInt(etherBeforeApproval), "the approval's network fee was the shopper's");
  await click("#sheet-cancel");
  // Revoked from the token's screen: nothing may move the token any more.
  await click("#tab-home");
  await click("#featured-balance");
  // The token's overview, from its own contract (issue 23): cast reads the same supply.
  const supply = execFileSync(CAST, ["call", "--rpc-url", RPC, STORE, "totalSupply()(uint256)"]).toString().trim().split(" ")[0];
  const supplyShown = await (await waitFor("#token-supply")).getAttribute("data-amount");
  const [whole, fraction = ""] = supplyShown.split(".");
  assert.equal(BigInt(whole + fraction.padEnd(18, "0")), BigInt(supply), "the supply shown is cast's, exactly");
  assert.deepEqual(await browser.execute(() => [...document.querySelectorAll("#token-checkouts li")].map((l) => l.dataset.yes)), ["true", "true", "true"]);
  assert.match(await (await $("#token-vouched")).getText(), /Listed by Tender/);
  // What its transfers say, replayed by the app itself: they add up to the supply.
  await waitFor("#token-holders-count");
  assert.ok(Number((await (await $("#token-holders-count")).getText()).replace(/\D/g, "")) >= 2, "the funder and this wallet hold some");
  assert.equal(await (await $("#token-holders-approximate")).isExisting(), false);
  await shots("token-overview");
  await waitText("#token-approvals-permit2", (t) => /12\.5 STORE/.test(t));
  await browser.execute(() => document.getElementById("token-approvals").scrollIntoView({ block: "start" }));
  await shots("token-approvals");
  await click("#token-revoke");
  await waitFor("#approve-dialog");
  assert.match(await (await $("#approve-offer")).getText(), /Revoke/);
  await click("#approve-confirm");
  await waitFor("#token-approvals-none", 60_000);
  assert.equal(allowance(), "0");
  await click("#token-back");
  // Each is its own history line, an approval, never money spent.
  await click("#tab-history");
  await waitFor("#history");
  await browser.waitUntil(async () => (await $$('#history .kind[data-kind="approval"]')).length === 2, { timeout: 30_000, timeoutMsg: "two approval lines" });
  const moved = await browser.execute(() => [...document.querySelectorAll("#history li")]
    .filter((li) => li.querySelector('.kind[data-kind="approval"]')).map((li) => li.querySelector(".amount")?.dataset.moved));
  assert.deepEqual(moved, ["false", "false"], "an approval is never money spent");
  await shots("history-approvals");
  await click("#tab-home");
  await waitBalance("35.5");
  const etherBefore = ether();
  // Permit2: no approval yet, the shop sponsors it; still no ether.
  const first = await openKind("permit2-sponsored");
  assert.equal(await (await $("#sheet-amount")).getText(), "12.5 STORE");
  assert.match(await (await $("#sheet-approval")).getText(), /the shop sends the approval/);
  await shots("permit2-confirm");
  await click("#sheet-pay");
  await waitText("#receipt-status", (t) => t === "Paid", 60_000);
  await waitPaid(first.reference);
  await click("#receipt-done");
  await waitBalance("23");
  // upto: the sheet says "up to"; the till charges 75 %, and the receipt says both.
  await openKind("upto");
  assert.equal(await (await $("#sheet-amount")).getText(), "Up to 12.5 STORE");
  await shots("upto-confirm");
  await click("#sheet-pay");
  await waitText("#receipt-status", (t) => t === "Paid", 60_000);
  assert.equal(await (await $("#receipt-authorized")).getText(), "up to 12.5 STORE");
  assert.match(await (await $(".receipt .big")).getText(), /9\.375 STORE/);
  await shots("upto-receipt");
  await click("#receipt-done");
  await waitBalance("13.625");
  // A signed offer, checked before paying; its signed receipt kept, and the proof shown.
  const signed = await openKind("signed");
  assert.match(await (await $("#sheet-offer-signed")).getText(), /checked the signature/);
  await click("#sheet-pay");
  await waitText("#receipt-status", (t) => t === "Paid", 60_000);
  assert.equal(await (await $("#receipt-offer-signed")).getText(), "Receipt signed by the shop");
  await click("#receipt-proof summary");
  await waitText("#receipt-proof pre", (t) => t.includes("tender-payment-proof/1") && t.includes("x402 receipt"));
  // Saved as a file for the return desk, in the downloads folder, with what was shown.
  await click("#receipt-proof-save");
  const saved = (await waitText("#receipt-proof-saved", (t) => t.includes("tender-proof-"))).replace(/^Saved: /, "");
  assert.ok(saved.startsWith(process.env.TENDER_E2E_DOWNLOADS), saved);
  assert.equal(JSON.parse(readFileSync(saved, "utf8")).format, "tender-payment-proof/1");
  await shots("signed-receipt");
  await waitPaid(signed.reference);
  await click("#receipt-done");
  await waitBalance("1.125");
  assert.equal(ether(), etherBefore, "no network fee was paid by the shopper: the shops' facilitator paid them");
});

test("restore from the phrase in a fresh data folder: a wrong word gets a suggestion; same address and balance", async () => {
  const fresh = mkdtempSync(join(WORK, "restore-"));
  copyFileSync(join(DATA_A, "network.json"), join(fresh, "network.json"));
  await launch(fresh);
  await click("#start-restore");
  // Word 1 with a typo (a letter too many): BIP39 words are unique by their first four letters.
  const typo = `${words[0]}x`;
  for (let i = 0; i < 12; i++) await type(`#word-${i + 1}`, i === 0 ? typo : words[i]);
  await waitFor("#word-suggestion");
  await shots("restore-suggestion");
  await click(`#word-suggestion button[data-suggestion="${words[0]}"]`);
  await waitFor("#phrase-valid");
  await click("#restore-next");
  await type("#new-password", PASSWORD);
  await type("#confirm-password", PASSWORD);
  await click("#password-submit");
  await waitBalance("1.125");
  await click("#tab-receive");
  assert.equal(await waitText("#receive-address", (t) => t.startsWith("0x")), address);
});

// The keyboard alone: Tab to a control (never a click), Enter or Space to press it, keys to type.
/** Tabs until the control `id` has focus (at most 80 presses): it is reachable with the keyboard. */
async function tabTo(id) {
  const focused = () => browser.execute(() => document.activeElement?.id ?? "");
  for (let i = 0; i < 80; i++) {
    if ((await focused()) === id) return;
    await browser.keys("Tab");
  }
  assert.fail(`#${id} was never reached with Tab (focus on #${await focused()})`);
}
/** Tabs to `id` and presses `key` there (Enter for buttons and forms, Space for tick boxes). */
async function pressOn(id, key = "Enter") {
  await waitFor(`#${id}`);
  await browser.waitUntil(async () => (await $(`#${id}`)).isEnabled(), { timeout: 10_000, timeoutMsg: `#${id} stayed disabled` });
  await tabTo(id);
  await browser.keys(key);
}
/** Tabs to the field `id` and types `text` into it, a key at a time (WebdriverIO's `keys` with an array
 * presses every key down before it lets any go: a doubled letter, "pp", was typed once). */
async function typeInto(id, text) {
  await waitFor(`#${id}`);
  await tabTo(id);
  for (const c of text) await browser.keys(c);
  assert.equal(await (await $(`#${id}`)).getValue(), text, `#${id} got what was typed`);
}

/** The new-password form, filled and sent with the keyboard. */
async function passwordByKeyboard() {
  await typeInto("new-password", PASSWORD);
  await typeInto("confirm-password", PASSWORD);
  await pressOn("password-submit");
}

test("the keyboard alone: create a wallet and back it up, pay a checkout, lock, unlock, restore (issue 21)", async () => {
  const fresh = mkdtempSync(join(WORK, "keyboard-"));
  copyFileSync(join(DATA_A, "network.json"), join(fresh, "network.json"));
  await launch(fresh);
  await setSize(PHONE);
  // Create and back up.
  await pressOn("start-create");
  await pressOn("generate");
  await waitFor("#phrase");
  const phrase = await browser.execute(() => [...document.querySelectorAll("#phrase .w")].map((w) => w.textContent));
  assert.equal(phrase.length, 12);
  await pressOn("phrase-saved", "Space");
  await pressOn("phrase-next");
  await waitFor("#quiz-0");
  const positions = await browser.execute(() => [...document.querySelectorAll("input[data-position]")].map((i) => i.dataset.position));
  assert.equal(positions.length, 3);
  for (let i = 0; i < positions.length; i++) await typeInto(`quiz-${i}`, phrase[Number(positions[i]) - 1]);
  await pressOn("quiz-next");
  await passwordByKeyboard();
  await waitFor("#featured-balance");
  // Receive: the address, and store credit sent to it.
  await pressOn("tab-receive");
  const mine = await waitText("#receive-address", (t) => t.startsWith("0x"));
  execFileSync(CAST, ["send", "--rpc-url", RPC, "--private-key", FUNDER, STORE, "transfer(address,uint256)", mine, "20000000000000000000"], { stdio: "ignore" });
  await pressOn("tab-home");
  await waitBalance("20");
  // Pay a gasless checkout from its pasted link.
  const created = await (await fetch(`${MERCHANT}orders`, { method: "POST" })).json();
  const order = (await merchantOrders()).find((o) => o.number === created.number);
  await pressOn("tab-pay");
  await typeInto("payment-link", `${GASLESS}pay/${order.number}`);
  await browser.keys("Enter");
  await waitFor("#confirm-sheet", 30_000);
  await pressOn("sheet-pay");
  await waitText("#receipt-status", (t) => t === "Paid", 60_000);
  await waitPaid(order.reference);
  await pressOn("receipt-done");
  await waitBalance("7.5");
  // Lock and unlock.
  await pressOn("lock");
  await typeInto("unlock-password", PASSWORD);
  await browser.keys("Enter");
  await waitFor("#featured-balance");
  await waitBalance("7.5");
  // Restore in another data folder: the same address and balance.
  const again = mkdtempSync(join(WORK, "keyboard-restore-"));
  copyFileSync(join(DATA_A, "network.json"), join(again, "network.json"));
  await launch(again);
  await setSize(PHONE);
  await pressOn("start-restore");
  for (let i = 0; i < 12; i++) await typeInto(`word-${i + 1}`, phrase[i]);
  await pressOn("restore-next");
  await passwordByKeyboard();
  await waitBalance("7.5");
  await pressOn("tab-receive");
  assert.equal(await waitText("#receive-address", (t) => t.startsWith("0x")), mine);
  await setSize(DESKTOP);
});

test("without a keyring: the encrypted file is a choice of its own at the form's width, and the form does not jump while typing", async () => {
  const fresh = mkdtempSync(join(WORK, "no-keyring-"));
  copyFileSync(join(DATA_A, "network.json"), join(fresh, "network.json"));
  // The app without a session bus, so without a Secret Service: a desktop that has no keyring.
  const wrapper = join(WORK, "app-without-keyring.sh");
  writeFileSync(wrapper, `#!/bin/sh\nunset DBUS_SESSION_BUS_ADDRESS\nexec "${APP}" "$@"\n`, { mode: 0o755 });
  await launch(fresh, wrapper);
  await click("#start-restore");
  for (let i = 0; i < 12; i++) await type(`#word-${i + 1}`, words[i]);
  await waitFor("#phrase-valid");
  await click("#restore-next");
  await waitFor("#store-choice");
  await shots("no-keyring");
  for (const size of [PHONE, DESKTOP]) {
    await setSize(size);
    // Issue 21: the tick box's label was squeezed into a narrow column beside the legend.
    const w = await browser.execute(() => {
      const width = (el) => el.getBoundingClientRect().width;
      const form = document.querySelector("main form");
      return { label: width(document.getElementById("file-store").closest("label")), choice: width(document.getElementById("store-choice")), form: width(form) };
    });
    assert.ok(w.choice >= 0.95 * w.form && w.label >= 0.8 * w.form, `at ${size.width} px: ${JSON.stringify(w)}`);
  }
  // Issue 21: the form jumped as the password was typed (the reason a password is refused came and went).
  const submitTop = () => browser.execute(() => Math.round(document.getElementById("password-submit").getBoundingClientRect().top));
  const before = await submitTop();
  await type("#new-password", "abc");
  await waitText("#password-why", (t) => t.length > 0);
  assert.equal(await submitTop(), before, "a refused password's reason moved the form");
  await type("#new-password", PASSWORD);
  await waitText("#password-why", (t) => t.length === 0);
  assert.equal(await submitTop(), before, "the reason's going moved the form");
});

test("accessibility: axe-core finds no violation, of any impact, on any screen audited; every control focused is seen", () => {
  assert.ok(audits.length >= 20, `screens audited: ${audits.length}`);
  const found = audits.flatMap((a) => a.violations.map((v) => `${a.screen}: ${v.impact} ${v.id}`));
  console.log(`axe: ${audits.length} screen states audited, ${found.length} violations`);
  assert.deepEqual(found, []);
  assert.deepEqual(focusProblems, [], "a focused control off screen, covered, or focus on the page itself");
  assert.deepEqual(contrastProblems, [], "text with less than 10 % contrast to spare over WCAG AA");
  assert.deepEqual(layoutProblems, [], "the phone's layout");
});
