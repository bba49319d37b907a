// A recovery phrase pasted from wherever it was kept: one word per line, numbered ("1. word",
// "1) word", "1 word 2 word …", "1.word"), separated by spaces, commas or semicolons. Recovery-phrase
// words never contain digits (no BIP39 list has any), so numbers are the list's numbering: dropped,
// never taken for words.

/** The words of a pasted phrase, numbering and separators left out. */
export function pastedWords(text: string): string[] {
  return text
    .split(/[\s,;]+/u)
    .map((w) => w.replace(/^\d+[.):-]*/u, "").replace(/[.):-]+$/u, ""))
    .filter((w) => w !== "" && !/\d/u.test(w));
}
