// Component test of restore: the Rust commands are replaced by a stand-in (vi.mock of the generated
// bindings), since there is no Tauri backend in vitest. The real thing is covered end to end by
// tests/e2e against the app.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { vi } from "vitest";

const check = vi.fn();
vi.mock("../bindings", () => ({
  commands: {
    onboardingWordlist: vi.fn(async () => ["abandon", "ability", "able", "about"]),
    onboardingCheckPhrase: (phrase: string) => check(phrase),
  },
  events: {},
}));

import { Onboarding } from "./Onboarding";

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
  render(<Onboarding onDone={() => {}} />);
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
  await screen.findByText(/Valid recovery phrase/);
  expect((document.getElementById("restore-next") as HTMLButtonElement).disabled).toBe(false);
});
