import { pastedWords } from "./phrase";

const twelve = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

test("numbering without punctuation is not taken for words (defect 9: it flipped to 24 words)", () => {
  const numbered = twelve.split(" ").map((w, i) => `${i + 1} ${w}`).join(" ");
  expect(pastedWords(numbered)).toEqual(twelve.split(" "));
});

test("every common way of writing a phrase down reads as the same twelve words", () => {
  const words = twelve.split(" ");
  for (const text of [
    twelve,
    words.join("\n"),
    words.map((w, i) => `${i + 1}. ${w}`).join("\n"),
    words.map((w, i) => `${i + 1}) ${w}`).join("  "),
    words.map((w, i) => `${i + 1}.${w}`).join(" "),
    words.join(", "),
    `  ${words.join(" ;  ")}\n`,
  ]) {
    expect(pastedWords(text)).toEqual(words);
  }
});

test("words of other lists keep their letters (accents, CJK)", () => {
  expect(pastedWords("1. ábaco 2. 的 3. abaisser")).toEqual(["ábaco", "的", "abaisser"]);
});
