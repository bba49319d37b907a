// Issue 21 defect: focus fell to <body> whenever the pressed button left with its screen (every
// onboarding step, the sheet opening and closing).
import { keepFocus } from "./focus";

const tick = () => new Promise((r) => setTimeout(r, 0));

test("focus that leaves with its screen lands on the new screen's title, and only then", async () => {
  document.body.innerHTML = `<main><h1>Welcome</h1><button id="next">Next</button></main>`;
  const stop = keepFocus();
  const next = document.getElementById("next")!;
  next.focus();
  expect(document.activeElement).toBe(next);
  // The step changes: its button goes, the next step's title comes.
  document.querySelector("main")!.innerHTML = `<h1 id="step-2">Your recovery phrase</h1><button>Done</button>`;
  await tick();
  expect(document.activeElement?.id).toBe("step-2");
  expect(document.getElementById("step-2")!.getAttribute("tabindex")).toBe("-1");

  // A control that is still there and lost focus (a click on the background) keeps the page as it is.
  const done = document.querySelector<HTMLButtonElement>("main button")!;
  done.focus();
  done.blur();
  document.querySelector("main")!.append(document.createElement("p"));
  await tick();
  expect(document.activeElement).toBe(document.body);
  stop();
});

test("a sheet is entered at its title and, when it goes, focus returns to the control that opened it", async () => {
  const input = `<h1>Scan to pay</h1><input id="link" /><button id="review">Review</button>`;
  document.body.innerHTML = `<main>${input}</main>`;
  const stop = keepFocus();
  const main = document.querySelector("main")!;
  document.getElementById("review")!.focus();
  // The sheet replaces the screen.
  main.innerHTML = `<section data-returns-focus><h1 id="sheet-title">Pay shop</h1><button id="cancel">Cancel</button></section>`;
  await tick();
  expect(document.activeElement?.id).toBe("sheet-title");
  document.getElementById("cancel")!.focus();
  // Cancelled: the screen behind comes back, and focus with it to Review, not to its title.
  main.innerHTML = input;
  await tick();
  expect(document.activeElement?.id).toBe("review");

  // An opener that cannot take focus again (disabled) sends focus to the title, never to <body>.
  main.innerHTML = `<section data-returns-focus><h1>Pay shop</h1><button id="cancel">Cancel</button></section>`;
  await tick();
  document.getElementById("cancel")!.focus();
  main.innerHTML = `<h1 id="title">Scan to pay</h1><button id="review" disabled>Review</button>`;
  await tick();
  expect(document.activeElement?.id).toBe("title");
  stop();
});
