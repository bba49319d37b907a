// The app shell: picks the screen from the wallet's status, keeps the session (account, auto-lock
// activity, deep links), and hosts the navigation.
import { accountName, errorText } from "./messages";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { commands, events, asError, type AppStatus, type CommandError, type Portfolio, type Theme } from "./api";
import { setLanguage, t } from "./i18n";
import { Onboarding } from "./screens/Onboarding";
import { Unlock } from "./screens/Unlock";
import { Home } from "./screens/Home";
import { Pay } from "./screens/Pay";
import { Receive } from "./screens/Receive";
import { HistoryScreen } from "./screens/History";
import { SettingsScreen } from "./screens/Settings";

import type { Session, Tab } from "./session";

function applyTheme(theme: Theme) {
  const root = document.documentElement;
  if (theme === "light" || theme === "dark") root.dataset.theme = theme;
  else delete root.dataset.theme;
}

export function App() {
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [fatal, setFatal] = useState<CommandError | null>(null);
  const [tab, setTab] = useState<Tab>("home");
  // Each press of a tab opens its screen afresh: History pressed from one of its receipts returns to
  // the list.
  const [visit, setVisit] = useState(0);
  const [account, setAccount] = useState(0);
  const [link, setLink] = useState<string | null>(null);
  const [lockReason, setLockReason] = useState<string | null>(null);
  // The balances the unlock brought, for the home screen's first paint.
  const [first, setFirst] = useState<Portfolio | null>(null);
  const lastTouch = useRef(0);

  const refreshStatus = useCallback(async () => {
    const s = await commands.walletStatus();
    setStatus(s);
    return s;
  }, []);

  useEffect(() => {
    refreshStatus().catch((e) => setFatal(asError(e)));
    const takeLinks = () => commands.paymentPendingLinks().then((links) => {
      if (links.length) {
        setLink(links[links.length - 1]);
        setTab("pay");
      }
    });
    const unlisten: Array<Promise<() => void>> = [
      events.walletLocked.listen((e) => {
        setLockReason(e.payload.reason);
        refreshStatus();
      }),
      // Rust keeps every link until it is taken here: the newest is reviewed (a sheet open meanwhile
      // is never replaced: Pay offers it beside), and none is ever left behind in the queue.
      events.paymentLinkOpened.listen(() => takeLinks()),
    ];
    takeLinks();
    // Activity resets the auto-lock timer (at most every 10 s).
    const touch = () => {
      const now = Date.now();
      if (now - lastTouch.current > 10_000) {
        lastTouch.current = now;
        commands.walletTouch();
      }
    };
    window.addEventListener("pointerdown", touch);
    window.addEventListener("keydown", touch);
    return () => {
      unlisten.forEach((u) => u.then((f) => f()));
      window.removeEventListener("pointerdown", touch);
      window.removeEventListener("keydown", touch);
    };
  }, [refreshStatus]);

  // The language is set while rendering, before the screens below read it: set in an effect, it took
  // effect only at the next render, so a change in Settings left the screen in the old language.
  if (status) setLanguage(status.settings.language);

  useEffect(() => {
    if (!status) return;
    applyTheme(status.settings.theme);
    if (account >= status.accounts.length) setAccount(0);
  }, [status]);

  if (fatal) return <main class="center"><p role="alert">{errorText(fatal)}</p></main>;
  if (!status) return <main class="center" aria-busy="true"><p>{t("loading")}</p></main>;
  if (!status.has_wallet) {
    return <Onboarding settings={status.settings} onSettings={(settings) => setStatus({ ...status, settings })}
      onDone={(s) => { setStatus(s); setTab("home"); }} />;
  }
  if (!status.unlocked) {
    return <Unlock status={status} account={account} reason={lockReason} linkWaiting={link != null}
      onUnlocked={(s, p) => { setLockReason(null); setFirst(p); setStatus(s); }} />;
  }

  const session: Session = { status, account, setAccount, refreshStatus, setStatus, go: setTab };
  const nav: Array<[Tab, string]> = [
    ["home", t("navHome")],
    ["pay", t("navPay")],
    ["receive", t("navReceive")],
    ["history", t("navHistory")],
    ["settings", t("navSettings")],
  ];
  return (
    <div class="shell">
      {/* First in the tab order: straight to the screen, past the header and the navigation. */}
      <a class="skip-link" href="#content" onClick={(e) => { e.preventDefault(); document.getElementById("content")?.focus(); }}>{t("skipToContent")}</a>
      <header class="top">
        <span class="brand"><img src="/icon.png" alt="" width="28" height="28" /> Tender</span>
        {status.accounts.length > 1 && (
          <label class="account-switch">
            <span class="sr-only">{t("account")}</span>
            <select id="account-switch" value={account} onChange={(e) => setAccount(Number((e.target as HTMLSelectElement).value))}>
              {status.accounts.map((a) => <option value={a.index}>{accountName(a)}</option>)}
            </select>
          </label>
        )}
        <button id="lock" class="ghost" onClick={async () => setStatus(await commands.walletLock())}>{t("lock")}</button>
      </header>
      <nav class="tabs" aria-label={t("navigation")}>
        {nav.map(([id, label]) => (
          <button id={`tab-${id}`} class={tab === id ? "active" : ""} aria-current={tab === id ? "page" : undefined} onClick={() => { setTab(id); setVisit((v) => v + 1); }}>
            {label}
          </button>
        ))}
      </nav>
      <main class="content" id="content" tabIndex={-1}>
        {tab === "home" && <Home session={session} first={first} />}
        {tab === "pay" && <Pay session={session} initialLink={link} onLinkUsed={() => setLink(null)} />}
        {tab === "receive" && <Receive session={session} />}
        {tab === "history" && <HistoryScreen key={visit} session={session} />}
        {tab === "settings" && <SettingsScreen session={session} />}
      </main>
    </div>
  );
}
