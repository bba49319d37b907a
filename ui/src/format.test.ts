import { localAmount, parseLocalAmount, roundedUp } from "./format";

test("amounts get the locale's grouping and decimal separator, digit for digit", () => {
  expect(localAmount("1234567.891", "en")).toBe("1,234,567.891");
  expect(localAmount("1234567.891", "fr")).toBe("1\u202f234\u202f567,891");
  expect(localAmount("12.5", "fr")).toBe("12,5");
  expect(localAmount("0.000000000000000001", "en")).toBe("0.000000000000000001");
  // Far beyond a float's precision: every digit survives.
  expect(localAmount("115792089237316195423570985008687907853269984665640564039457.584007913129639935", "en"))
    .toBe("115,792,089,237,316,195,423,570,985,008,687,907,853,269,984,665,640,564,039,457.584007913129639935");
  expect(localAmount("not a number", "en")).toBe("not a number");
});

test("a fee is rounded up to four significant digits, never understated, with a floor", () => {
  expect(roundedUp("0.000021000000000001", "en")).toEqual({ text: "0.0001", below: true });
  expect(roundedUp("0.0001", "en")).toEqual({ text: "0.0001", below: false });
  expect(roundedUp("0.000123456789", "en")).toEqual({ text: "0.0001235", below: false });
  expect(roundedUp("0.00212", "en")).toEqual({ text: "0.00212", below: false });
  expect(roundedUp("0.002120000000000001", "en")).toEqual({ text: "0.002121", below: false });
  expect(roundedUp("1.23456", "en")).toEqual({ text: "1.235", below: false });
  expect(roundedUp("9.99999", "en")).toEqual({ text: "10", below: false });
  expect(roundedUp("0.99999", "en")).toEqual({ text: "1", below: false });
  expect(roundedUp("12345.678", "en")).toEqual({ text: "12,346", below: false });
  expect(roundedUp("0", "en")).toEqual({ text: "0", below: false });
  expect(roundedUp("0.00212", "fr")).toEqual({ text: "0,00212", below: false });
});

test("amounts typed in the locale become exact decimal text, or are refused", () => {
  expect(parseLocalAmount("2,5", "fr")).toBe("2.5");
  expect(parseLocalAmount("2.5", "fr")).toBe("2.5");
  expect(parseLocalAmount("1 234,5", "fr")).toBe("1234.5");
  expect(parseLocalAmount("1\u202f234,5", "fr")).toBe("1234.5");
  expect(parseLocalAmount("1,234.5", "en")).toBe("1234.5");
  expect(parseLocalAmount("2.5", "en")).toBe("2.5");
  expect(parseLocalAmount(".5", "en")).toBe("0.5");
  expect(parseLocalAmount("007", "en")).toBe("7");
  expect(parseLocalAmount("1.234,5", "de")).toBe("1234.5");
  for (const bad of ["1e-30", "-1", "2,5,5", "abc", "", "1.2.3", "+3"]) expect(parseLocalAmount(bad, "fr")).toBeNull();
  // Grouping only where grouping goes: a comma in English is never read as a thousands separator here.
  expect(parseLocalAmount("2,5", "en")).toBeNull();
  expect(parseLocalAmount("2.5", "de")).toBeNull();
  expect(parseLocalAmount("1,234.5", "fr")).toBeNull();
});
