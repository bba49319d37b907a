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

const start = [], unlock = [], rssApp = [], rssAll = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const b = await remote({
    hostname: "127.0.0.1", port: 4450, logLevel: "error",
    capabilities: { browserName: "wry", "wdio:enforceWebDriverClassic": true, "tauri:options": { application: APP, args: [`--data-dir=${DATA}`] } },
  });
  await (await b.$("#unlock-password")).waitForDisplayed({ timeout: 30_000, interval: 10 });
  start.push(performance.now() - t0);
  await (await b.$("#unlock-password")).setValue("bench-password");
  const t1 = performance.now();
  await (await b.$("#unlock")).click();
  await (await b.$("#featured-balance .amount")).waitForDisplayed({ timeout: 30_000, interval: 10 });
  unlock.push(performance.now() - t1);
  await b.pause(10_000);
  const pid = Number(execSync(`pgrep -n -f '^${APP}'`).toString().trim());
  rssApp.push(rssKiB(pid));
  rssAll.push([pid, ...descendants(pid)].reduce((s, p) => s + rssKiB(p), 0));
  await b.deleteSession();
}
const ms = (x) => `${Math.round(x)} ms`;
const mib = (k) => `${(k / 1024).toFixed(0)} MiB`;
console.log(`runs: ${RUNS}`);
console.log(`cold start → unlock screen painted: median ${ms(median(start))} (min ${ms(Math.min(...start))}, max ${ms(Math.max(...start))})`);
console.log(`unlock → balances painted from cache: median ${ms(median(unlock))} (Argon2id unlock included)`);
console.log(`idle RSS, app process: median ${mib(median(rssApp))}; with its WebKit processes: ${mib(median(rssAll))}`);
