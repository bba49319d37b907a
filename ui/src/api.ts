// The one door to the Rust side: the generated, typed commands and events, plus error helpers.
export { commands, events } from "./bindings";
export type * from "./bindings";
import type { CommandError } from "./bindings";
import { errorText } from "./messages";

/** A command's error as `{ code, message }` (what every command throws). */
export function asError(e: unknown): CommandError {
  if (e && typeof e === "object" && "code" in e && "message" in e) return e as CommandError;
  return { code: "internal", message: String(e), params: {} };
}

/** A command's error in the person's language (worded from its code, never Rust's sentence). */
export function errorMessage(e: unknown): string {
  return errorText(asError(e));
}
