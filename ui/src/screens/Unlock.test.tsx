// Component test of the lock screen (defect 13): the Rust commands are replaced by a stand-in (vi.mock
// of the generated bindings), since there is no Tauri backend in vitest.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { vi } from "vitest";

const unlock = vi.fn();
const reset = vi.fn();
const WORDS = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
vi.mock("../bindings", () => ({
  commands: {
    walletUnlock: (p: string, i: number | null) => unlock(p, i),
    walletResetPassword: (phrase: string, passphrase: string, password: string) => reset(phrase, passphrase, password),
    walletPasswordStrength: async () => 3,
    onboardingWordlist: async () => [],
    onboardingWordLists: async () => [{ id: "english", name: "English" }],
    onboardingCheckPhrase: async () => ({ valid: true, word_count: 12, language: "english", unknown_word: null, error: null }),
  },
  events: {},
}));

import { Unlock } from "./Unlock";

const status = { retry_after_secs: 0 } as never;

test("after too many wrong passwords the delay counts down and the button waits for it", async () => {
  unlock.mockImplementation(async () => { throw { code: "too_many_attempts", message: "", params: { seconds: "3" } }; });
  render(<Unlock status={status} account={0} reason={null} linkWaiting={false} onUnlocked={() => {}} />);
  fireEvent.input(document.getElementById("unlock-password")!, { target: { value: "guess" } });
  fireEvent.click(document.getElementById("unlock")!);
  const wait = await screen.findByText(/Try again in 3 s/);
  expect(wait.id).toBe("unlock-wait");
  expect((document.getElementById("unlock") as HTMLButtonElement).disabled).toBe(true);
  await waitFor(() => expect(screen.getByText(/Try again in 2 s/)).toBeTruthy(), { timeout: 2_000 });
});

test("a delay already running when the screen opens is counted down too; a waiting link is said", () => {
  render(<Unlock status={{ retry_after_secs: 30 } as never} account={0} reason={null} linkWaiting={true} onUnlocked={() => {}} />);
  expect(screen.getByText(/Try again in 30 s/)).toBeTruthy();
  expect(screen.getByText(/A payment link is waiting/)).toBeTruthy();
});

test("forgot the password: the wallet's recovery phrase sets a new one; another wallet's phrase is refused and says why", async () => {
  const onUnlocked = vi.fn();
  reset.mockImplementationOnce(async () => { throw { code: "phrase_not_this_wallet", message: "", params: {} }; });
  reset.mockImplementationOnce(async () => ({ unlocked: true }));
  render(<Unlock status={status} account={0} reason={null} linkWaiting={false} onUnlocked={onUnlocked} />);
  fireEvent.click(document.getElementById("forgot-password")!);
  await screen.findByText("A new password");
  fireEvent.click(screen.getByText("Paste the whole phrase"));
  fireEvent.input(document.getElementById("paste-phrase")!, { target: { value: WORDS } });
  await screen.findByText("Valid recovery phrase (English).");
  fireEvent.click(document.getElementById("restore-next")!);
  const password = "velvet hinge orbit lantern";
  fireEvent.input(await screen.findByLabelText("New password"), { target: { value: password } });
  fireEvent.input(screen.getByLabelText("Repeat the password"), { target: { value: password } });
  await waitFor(() => expect((document.getElementById("password-submit") as HTMLButtonElement).disabled).toBe(false));
  fireEvent.submit(document.getElementById("password-submit")!.closest("form")!);
  await screen.findByText(/is not this wallet's/);
  expect(onUnlocked).not.toHaveBeenCalled();
  fireEvent.submit(document.getElementById("password-submit")!.closest("form")!);
  await waitFor(() => expect(onUnlocked).toHaveBeenCalledWith({ unlocked: true }, null));
  expect(reset).toHaveBeenLastCalledWith(WORDS, "", password);
});
