// Component test of restore: the Rust commands are replaced by a stand-in (vi.mock of the generated
// bindings), since there is no Tauri backend in vitest. The real thing is covered end to end by
// tests/e2e against the app.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { vi } from "vitest";

const check = vi.fn();
const keyring = vi.fn(async () => true);
const quizCheck = vi.fn();
const showPhrase = vi.fn();
const settingsSet = vi.fn(async (s: unknown) => s);
const WORDS = ["abandon", "ability", "able", "about", "above", "absent", "absorb", "abstract", "absurd", "abuse", "access", "accident"];
vi.mock("../bindings", () => ({
  commands: {
    onboardingWordlist: vi.fn(async () => ["abandon", "ability", "able", "about"]),
    onboardingCheckPhrase: (phrase: string) => check(phrase),
    onboardingKeyringAvailable: () => keyring(),
    onboardingWordLists: vi.fn(async () => [{ id: "english", name: "English" }]),
    onboardingNewPhrase: vi.fn(async () => ({ words: WORDS, quiz: [2, 5, 9] })),
    onboardingQuizCheck: (answers: string[]) => quizCheck(answers),
    onboardingShowPhrase: () => showPhrase(),
    walletPasswordStrength: vi.fn(async () => 3),
    settingsSet: (s: unknown) => settingsSet(s),
  },
  events: {},
}));

import { useState } from "preact/hooks";
import type { Settings } from "../bindings";
import { language, setLanguage } from "../i18n";
import { Onboarding } from "./Onboarding";

const SETTINGS: Settings = { auto_lock_minutes: 5, theme: "system", language: "system" };

/** Onboarding as the app holds it: the saved settings, the language applied at each render. */
function Host() {
  const [settings, setSettings] = useState(SETTINGS);
  setLanguage(settings.language);
  return <Onboarding settings={settings} onSettings={setSettings} onDone={() => {}} />;
}

test("the language is chosen on the welcome screen, before anything else, and kept", async () => {
  render(<Host />);
  expect(screen.getByText("Create a new wallet")).toBeTruthy();
  fireEvent.change(document.getElementById("welcome-language")!, { target: { value: "fr" } });
  await waitFor(() => expect(settingsSet).toHaveBeenCalledWith({ ...SETTINGS, language: "fr" }));
  await screen.findByText("Créer un portefeuille");
  expect(language()).toBe("fr");
  fireEvent.click(screen.getByText("Créer un portefeuille"));
  await waitFor(() => expect(document.querySelector("main h1")?.textContent).not.toBe("Tender"));
  expect(document.body.textContent).not.toMatch(/Create a new wallet/);
  setLanguage("en");
});

test("a wrong word in restore shows the suggestions, and taking one fixes the word", async () => {
  check.mockImplementation(async (phrase: string) =>
    phrase.includes("abandn")
      ? {
          valid: false, word_count: 12, language: null,
          unknown_word: { index: 0, suggestions: ["abandon", "ability"] },
          error: { code: "unknown_word", message: "word 1 is not a recovery-phrase word" },
        }
      : { valid: true, word_count: 12, language: "english", unknown_word: null, error: null },
  );
  render(<Onboarding settings={SETTINGS} onSettings={() => {}} onDone={() => {}} />);
  fireEvent.click(screen.getByText("Restore a wallet"));
  const words = "abandn abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
  const first = document.getElementById("word-1") as HTMLInputElement;
  words.split(" ").forEach((w, i) => {
    fireEvent.input(document.getElementById(`word-${i + 1}`)!, { target: { value: w } });
  });
  const suggestion = await screen.findByRole("button", { name: "abandon" });
  expect(document.getElementById("word-suggestion")?.textContent).toContain("Word 1");
  expect(first.getAttribute("aria-invalid")).toBe("true");
  expect((document.getElementById("restore-next") as HTMLButtonElement).disabled).toBe(true);
  fireEvent.click(suggestion);
  await waitFor(() => expect(first.value).toBe("abandon"));
  // The word list by its own name, not its id (issue 21: "english").
  await screen.findByText("Valid recovery phrase (English).");
  expect((document.getElementById("restore-next") as HTMLButtonElement).disabled).toBe(false);
});

test("the backup quiz says at once that a word is wrong, and the phrase can be shown again (defect 2)", async () => {
  quizCheck.mockImplementation(async (answers: string[]) => answers.map((a, i) => a === WORDS[[2, 5, 9][i] - 1]));
  showPhrase.mockImplementation(async () => WORDS);
  render(<Onboarding settings={SETTINGS} onSettings={() => {}} onDone={() => {}} />);
  fireEvent.click(screen.getByText("Create a new wallet"));
  fireEvent.click(await screen.findByText("Continue"));
  fireEvent.click(await screen.findByLabelText(/I have written down/));
  fireEvent.click(screen.getByText("Continue"));
  const first = await waitFor(() => document.getElementById("quiz-0") as HTMLInputElement);
  fireEvent.input(first, { target: { value: "zoo" } });
  fireEvent.blur(first);
  await screen.findByText(/This is not word #2 of your phrase/);
  expect(first.getAttribute("aria-invalid")).toBe("true");
  expect((document.getElementById("quiz-next") as HTMLButtonElement).disabled).toBe(true);
  fireEvent.click(screen.getByText("Show the phrase again"));
  await waitFor(() => expect(document.querySelectorAll("#phrase .w").length).toBe(12));
  fireEvent.click(screen.getByLabelText(/I have written down/));
  fireEvent.click(screen.getByText("Continue"));
  ["ability", "above", "absurd"].forEach((w, i) => fireEvent.input(document.getElementById(`quiz-${i}`)!, { target: { value: w } }));
  await waitFor(() => expect((document.getElementById("quiz-next") as HTMLButtonElement).disabled).toBe(false));
});

test("without a system keyring the encrypted file is offered before anything fails, in words (defect 10)", async () => {
  keyring.mockImplementation(async () => false);
  check.mockImplementation(async () => ({ valid: true, word_count: 12, language: "english", unknown_word: null, error: null }));
  render(<Onboarding settings={SETTINGS} onSettings={() => {}} onDone={() => {}} />);
  fireEvent.click(screen.getByText("Restore a wallet"));
  fireEvent.click(screen.getByText("Paste the whole phrase"));
  fireEvent.input(document.getElementById("paste-phrase")!, { target: { value: WORDS.join(" ") } });
  await screen.findByText(/Valid recovery phrase/);
  fireEvent.click(document.getElementById("restore-next")!);
  await screen.findByText("No system keyring on this device");
  expect(document.getElementById("store-choice")?.textContent).not.toMatch(/TENDER_|environment/);
  expect((document.getElementById("file-store") as HTMLInputElement).checked).toBe(false);
  keyring.mockImplementation(async () => true);
});

test("restore: each field is named as a word of the phrase, and a mistyped word is flagged on leaving its field (issue 21)", async () => {
  check.mockImplementation(async (phrase: string) =>
    phrase.startsWith("abandn")
      ? {
          valid: false, word_count: 1, language: null,
          unknown_word: { index: 0, suggestions: ["abandon"] },
          error: { code: "unknown_word", message: "word 1 is not a recovery-phrase word" },
        }
      : { valid: false, word_count: 1, language: "english", unknown_word: null, error: null },
  );
  render(<Onboarding settings={SETTINGS} onSettings={() => {}} onDone={() => {}} />);
  fireEvent.click(screen.getByText("Restore a wallet"));
  // Named as a screen reader says it (the visible "1" is hidden from it): inputs with a word list are comboboxes.
  const first = await screen.findByRole("combobox", { name: "Word 1 of 12" });
  expect(screen.getByRole("combobox", { name: "Word 12 of 12" })).toBeTruthy();
  fireEvent.input(first, { target: { value: "abandn" } });
  await waitFor(() => expect(check).toHaveBeenLastCalledWith("abandn"));
  expect(document.getElementById("word-suggestion")).toBeNull();
  fireEvent.blur(first);
  await screen.findByText("abandon", { selector: "button" });
  expect(first.getAttribute("aria-invalid")).toBe("true");
});
