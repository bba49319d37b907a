// Issue 21 defect: the meter said "Too short" for 8- and 9-character passwords while the rule shown is
// "at least 8" (zxcvbn's score 0 was labelled "too short"), and a refused password only greyed the
// button. The strength is Rust's (a stand-in here: there is no Tauri backend in vitest).
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { vi } from "vitest";

const strength = vi.fn();
vi.mock("../bindings", () => ({
  commands: { walletPasswordStrength: (p: string) => strength(p) },
  events: {},
}));

import { PasswordFields } from "./PasswordFields";

test("a long enough but guessable password is called weak, not short, and the form says why it is refused", async () => {
  strength.mockResolvedValue(0);
  render(<PasswordFields error={null} submitLabel="Create" onSubmit={async () => {}} />);
  const field = document.getElementById("new-password")!;
  fireEvent.input(field, { target: { value: "abc1234" } });
  await waitFor(() => expect(document.getElementById("strength-label")!.textContent).toBe("Too short"));
  expect(document.getElementById("password-why")!.textContent).toBe("Use at least 8 characters.");
  for (const nine of ["abcd1234", "password1"]) {
    fireEvent.input(field, { target: { value: nine } });
    await waitFor(() => expect(strength).toHaveBeenLastCalledWith(nine));
    await waitFor(() => expect(document.getElementById("strength-label")!.textContent).toBe("Very weak — among the first a thief would try"));
    expect(document.getElementById("password-why")!.textContent).toMatch(/^Too easy to guess/);
  }
  strength.mockResolvedValue(3);
  fireEvent.input(field, { target: { value: "velvet hinge orbit" } });
  fireEvent.input(document.getElementById("confirm-password")!, { target: { value: "velvet hinge orbit" } });
  await screen.findByText("Good");
  expect(document.getElementById("password-why")!.textContent).toBe("");
  expect((document.getElementById("password-submit") as HTMLButtonElement).disabled).toBe(false);
});
