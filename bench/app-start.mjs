// Launch-to-paint and idle-memory measurements of the release app (see bench/app.sh).
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { remote } from "../tests/e2e/node_modules/webdriverio/build/node.js";

const { APP, DATA } = process.env;
const RUNS = Number(process.env.RUNS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
const descendants = (pid) => {
  const kids = execSync(`pgrep -P ${pid} || true`).toString().split("\n").filter(Boolean).map(Number);
  return kids.flatMap((k) => [k, ...descendants(k)]);
};

// Where a process's resident memory is, by what is mapped (from /proc/PID/smaps), in KiB.
const files = {};
const breakdown = (pid) => {
  const parts = {};
  let what = "", path = "";
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      path = head[1];
      what = !path || path === "[heap]" ? "heap and anonymous (malloc arenas, Rust, GLib)"
        : path.startsWith("[") ? "stacks and kernel"
        : /LLVM|dri|mesa|libGL|libEGL|gbm|llvmpipe/i.test(path) ? "GL: Mesa and LLVM (llvmpipe under Xvfb)"
        : /webkit|javascriptcore/i.test(path) ? "WebKitGTK and JavaScriptCore libraries"
        : /gtk|gdk|glib|gio|pango|cairo|harfbuzz|freetype|fontconfig|icu|atk|pixman|soup|gst/i.test(path) ? "GTK, GLib, ICU and other toolkit libraries"
        : path === APP || path.endsWith("/tender-app") ? "Tender's own binary"
        : /memfd|\/dev\/shm|SYSV/.test(path) ? "shared memory buffers"
        : "other files and libraries";
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) {
      parts[what] = (parts[what] ?? 0) + Number(rss[1]);
      files[path || "(anonymous)"] = (files[path || "(anonymous)"] ?? 0) + Number(rss[1]);
    }
  }
  return parts;
};
const threads = (pid) => Number(/Threads:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);

const start = [], startInPage = [], unlock = [], rssApp = [], rssAll = [];
// Seconds the process `pid` has been running (10 ms resolution: /proc/uptime and its start time).
const processAge = (pid) => {
  const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return uptime - Number(fields[19]) / 100; // starttime, field 22, in clock ticks (100 a second)
};
let lastBreakdown = {}, lastThreads = 0, lastKids = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const b = await remote({
    hostname: "127.0.0.1", port: 4450, logLevel: "error",
    capabilities: { browserName: "wry", "wdio:enforceWebDriverClassic": true, "tauri:options": { application: APP, args: [`--data-dir=${DATA}`] } },
  });
  await (await b.$("#unlock-password")).waitForDisplayed({ timeout: 30_000, interval: 10 });
  start.push(performance.now() - t0);
  // Process start → lock screen in the document, without WebDriver: the page says how long ago it
  // marked the lock screen, /proc how long ago the process started.
  {
    const ago = await b.execute(() => performance.now() - (performance.getEntriesByName("tender:lock-screen-shown")[0]?.startTime ?? NaN));
    const appPid = Number(execSync(`pgrep -n -f '^${APP}'`).toString().trim());
    startInPage.push(processAge(appPid) * 1000 - ago);
  }
  await (await b.$("#unlock-password")).setValue("bench-password");
  const t1 = performance.now();
  await (await b.$("#unlock")).click();
  await (await b.$("#featured-balance .amount")).waitForDisplayed({ timeout: 30_000, interval: 10 });
  unlock.push(performance.now() - t1);
  await b.pause(10_000);
  const pid = Number(execSync(`pgrep -n -f '^${APP}'`).toString().trim());
  rssApp.push(rssKiB(pid));
  rssAll.push([pid, ...descendants(pid)].reduce((s, p) => s + rssKiB(p), 0));
  for (const k of Object.keys(files)) delete files[k];
  lastBreakdown = breakdown(pid);
  lastThreads = threads(pid);
  lastKids = descendants(pid).map((p) => `${readFileSync(`/proc/${p}/comm`, "utf8").trim()} ${mib(rssKiB(p))}`);
  await b.deleteSession();
}
function mib(k) { return `${(k / 1024).toFixed(0)} MiB`; }
// Unlock → paint as the page sees it (no WebDriver round trips), with every command the page calls
// on the way, from the click: one more launch, not counted above.
{
  const b = await remote({
    hostname: "127.0.0.1", port: 4450, logLevel: "error",
    capabilities: { browserName: "wry", "wdio:enforceWebDriverClassic": true, "tauri:options": { application: APP, args: [`--data-dir=${DATA}`] } },
  });
  await (await b.$("#unlock-password")).waitForDisplayed({ timeout: 30_000, interval: 10 });
  await (await b.$("#unlock-password")).setValue("bench-password");
  const timeline = await b.execute(async () => {
    // The frame rate here first: an idle page's ten frames.
    const f0 = performance.now();
    for (let i = 0; i < 10; i++) await new Promise((r) => requestAnimationFrame(r));
    const frame = (performance.now() - f0) / 10;
    const t0 = performance.now();
    document.querySelector("#unlock").click();
    // When the balances enter the document: a mutation observer (timers can be throttled).
    const inDom = await new Promise((resolve) => {
      const seen = () => document.querySelector("#featured-balance .amount");
      if (seen()) return resolve(performance.now() - t0);
      const watch = new MutationObserver(() => { if (seen()) { watch.disconnect(); resolve(performance.now() - t0); } });
      watch.observe(document.body, { childList: true, subtree: true });
    });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    // The app's own marks (User Timing): when the unlock answered, when the balances were rendered.
    const mark = (name) => performance.getEntriesByName(name).filter((e) => e.startTime >= t0).map((e) => Math.round(e.startTime - t0))[0];
    const calls = [`unlock answered ${mark("tender:unlocked")}`, `balances rendered ${mark("tender:balances-shown")}`];
    return { inDom: Math.round(inDom), painted: Math.round(performance.now() - t0), calls, frame: frame.toFixed(1) };
  });
  console.log(`unlock → balances, in the page (ms from the click): ${timeline.calls.join(", ")}, in the document ${timeline.inDom}, painted (two frames later) ${timeline.painted}; an idle frame ${timeline.frame} ms`);
  await b.deleteSession();
}
const ms = (x) => `${Math.round(x)} ms`;
console.log(`runs: ${RUNS}`);
console.log(`cold start → unlock screen painted: median ${ms(median(start))} (min ${ms(Math.min(...start))}, max ${ms(Math.max(...start))})`);
console.log(`cold start, process start → lock screen in the document (no WebDriver): median ${ms(median(startInPage))} (min ${ms(Math.min(...startInPage))}, max ${ms(Math.max(...startInPage))})`);
console.log(`unlock → balances painted from cache: median ${ms(median(unlock))} (Argon2id unlock included)`);
console.log(`idle RSS, app process: median ${mib(median(rssApp))}; with its WebKit processes: ${mib(median(rssAll))}`);
console.log(`app process, last run, ${lastThreads} threads; resident memory by mapping:`);
for (const [what, kib] of Object.entries(lastBreakdown).sort((a, b) => b[1] - a[1])) console.log(`  ${mib(kib).padStart(8)}  ${what}`);
console.log(`its child processes: ${lastKids.join(", ")}`);
if (process.env.TOP_FILES) {
  console.log("largest mappings:");
  for (const [f, kib] of Object.entries(files).sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP_FILES))) console.log(`  ${mib(kib).padStart(8)}  ${f}`);
}
