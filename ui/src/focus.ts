// Keyboard focus never falls to the page when the control that had it leaves with its screen (a step
// of onboarding, the sheet opening or closing, a receipt): it moves to the new screen's title, so a
// keyboard or screen-reader user goes on from there (WCAG 2.4.3). A control still on screen that lost
// focus (a click on the background) is left alone. And a focused control is never left under the
// sticky header or tab bar (WCAG 2.4.11).

/** The element focus goes to: the screen's title, made focusable from script only. */
function landing(): HTMLElement | null {
  const target = document.querySelector<HTMLElement>("main h1") ?? document.querySelector<HTMLElement>("main");
  if (target && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  return target;
}

/** The sticky bars: the header at the top, and the tab bar at the bottom (on phones). */
function stickyBars(): { top: number; bottom: number } {
  let top = 0;
  let bottom = window.innerHeight;
  for (const bar of document.querySelectorAll<HTMLElement>(".top, .tabs")) {
    if (getComputedStyle(bar).position !== "sticky") continue;
    const box = bar.getBoundingClientRect();
    if (box.top <= 1 && box.bottom < window.innerHeight / 2) top = Math.max(top, box.bottom);
    else if (box.bottom >= window.innerHeight - 1 && box.top > window.innerHeight / 2) bottom = Math.min(bottom, box.top);
  }
  return { top, bottom };
}

/** Scrolls the focused `el` clear of the sticky bars (WCAG 2.4.11), where the browser's own scrolling
 * into view left it under one. */
function clearOfBars(el: Element) {
  if (el === document.body || !(el instanceof HTMLElement) || el.matches("main, main h1")) return;
  const box = el.getBoundingClientRect();
  const bars = stickyBars();
  const margin = 8;
  if (box.top < bars.top) window.scrollBy(0, box.top - bars.top - margin);
  else if (box.bottom > bars.bottom) window.scrollBy(0, Math.min(box.bottom - bars.bottom + margin, box.top - bars.top - margin));
}

/** Watches `root` for as long as the app runs; returns how to stop. */
export function keepFocus(root: HTMLElement = document.body): () => void {
  let last: Element | null = null;
  // Only focus moved with the keyboard is scrolled clear: a click focuses at the press, and scrolling
  // then would move what is under the pointer before the release (the click would land elsewhere).
  let keyboard = false;
  const onKey = () => { keyboard = true; };
  const onPointer = () => { keyboard = false; };
  const onFocusIn = (e: FocusEvent) => {
    last = e.target as Element;
    if (keyboard) clearOfBars(last);
  };
  const observer = new MutationObserver(() => {
    const active = document.activeElement;
    if (!last || last.isConnected || (active && active !== document.body)) return;
    last = null;
    landing()?.focus();
  });
  document.addEventListener("keydown", onKey, true);
  document.addEventListener("pointerdown", onPointer, true);
  document.addEventListener("focusin", onFocusIn);
  observer.observe(root, { childList: true, subtree: true });
  return () => {
    document.removeEventListener("keydown", onKey, true);
    document.removeEventListener("pointerdown", onPointer, true);
    document.removeEventListener("focusin", onFocusIn);
    observer.disconnect();
  };
}
