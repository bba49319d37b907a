// What every screen is given by the app shell: the wallet's status, the account shown, and the shell's
// few actions. A module of its own, so that the screens never import the shell (App.tsx imports them).
import type { AppStatus } from "./api";

export type Tab = "home" | "pay" | "receive" | "history" | "settings";

export type Session = {
  status: AppStatus;
  account: number;
  setAccount: (i: number) => void;
  refreshStatus: () => Promise<AppStatus>;
  setStatus: (s: AppStatus) => void;
  go: (tab: Tab) => void;
};
