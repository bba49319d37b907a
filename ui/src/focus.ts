// Keyboard focus never falls to the page when the control that had it leaves with its screen (a step
// of onboarding, the sheet opening or closing, a receipt): it moves to the new screen's title, so a
// keyboard or screen-reader user goes on from there (WCAG 2.4.3). A control still on screen that lost
// focus (a click on the background) is left alone. And a focused control is never left under the
// sticky header or tab bar (WCAG 2.4.11).
//
// A layer marked `data-returns-focus` (the payment sheet) is entered at its title like any screen, and
// when it goes, focus goes back to the control that opened it (the link's Review button, the image
// picker) when that control is shown again, not to the top of the screen behind.

/** The element focus goes to: the screen's title, made focusable from script only. */
function landing(): HTMLElement | null {
  const target = document.querySelector<HTMLElement>("main h1") ?? document.querySelector<HTMLElement>("main");
  if (target && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  return target;
}

const BARS = ".top, .tabs, .sheet-actions";

/** The sticky bars: the header at the top, and the tab bar and the sheet's actions at the bottom (on
 * phones). */
function stickyBars(): { top: number; bottom: number } {
  let top = 0;
  let bottom = window.innerHeight;
  for (const bar of document.querySelectorAll<HTMLElement>(BARS)) {
    if (getComputedStyle(bar).position !== "sticky") continue;
    const box = bar.getBoundingClientRect();
    if (box.top <= 1 && box.bottom < window.innerHeight / 2) top = Math.max(top, box.bottom);
    else if (box.top > window.innerHeight / 2 && box.top < window.innerHeight) bottom = Math.min(bottom, box.top);
  }
  return { top, bottom };
}

/** Scrolls the focused `el` clear of the sticky bars (WCAG 2.4.11), where the browser's own scrolling
 * into view left it under one. */
function clearOfBars(el: Element) {
  if (el === document.body || !(el instanceof HTMLElement) || el.matches("main, main h1") || el.closest(BARS)) return;
  const box = el.getBoundingClientRect();
  const bars = stickyBars();
  const margin = 8;
  if (box.top < bars.top) window.scrollBy(0, box.top - bars.top - margin);
  else if (box.bottom > bars.bottom) window.scrollBy(0, Math.min(box.bottom - bars.bottom + margin, box.top - bars.top - margin));
}

/** Watches `root` for as long as the app runs; returns how to stop. */
export function keepFocus(root: HTMLElement = document.body): () => void {
  let last: Element | null = null;
  // The open layer and the id of the control that opened it.
  let layer: { el: Element; returnTo: string | null } | null = null;
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
    const fell = !!last && !last.isConnected && (!active || active === document.body);
    let returnTo: string | null = null;
    if (layer && !layer.el.isConnected) {
      returnTo = layer.returnTo;
      layer = null;
    }
    const opened = root.querySelector("[data-returns-focus]");
    if (opened && !layer) {
      // The opener: the control focused last (it left with the screen the layer replaced, or was
      // disabled while the layer was loading).
      layer = { el: opened, returnTo: last instanceof HTMLElement && last.id ? last.id : null };
    }
    if (!fell) return;
    last = null;
    const back = returnTo ? document.getElementById(returnTo) : null;
    back?.focus();
    if (!back || document.activeElement !== back) landing()?.focus();
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
