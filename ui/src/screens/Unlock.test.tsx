// Component test of the lock screen (defect 13): the Rust commands are replaced by a stand-in (vi.mock
// of the generated bindings), since there is no Tauri backend in vitest.
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { vi } from "vitest";

const unlock = vi.fn();
vi.mock("../bindings", () => ({ commands: { walletUnlock: (p: string, i: number | null) => unlock(p, i) }, events: {} }));

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
