import { localAmount } from "./format";

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
