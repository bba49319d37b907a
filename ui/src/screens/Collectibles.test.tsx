// The collectibles (issue 23): the shop's items as the core's PNGs with their names, what arrived
// unasked under "unreviewed" with no image and its collection's name labelled as its own words, and the
// shopper's choice sent to the core. The Rust commands are a stand-in (vi.mock of the generated
// bindings): there is no Tauri backend in vitest; the gallery itself is tested in Rust on anvil.
import { fireEvent, render, waitFor } from "@testing-library/preact";
import { vi } from "vitest";
import { setLanguage } from "../i18n";

const png = "data:image/png;base64,iVBORw0KGgo=";
const item = (contract: string, id: string, review: string, extra: object) => ({
  contract, token_id: id, standard: "erc721", amount: "1", collection: "Store Cards", review,
  name: null, description: null, attributes: [], image: null, media: "not_loaded", first_block: 1, ...extra,
});
const reviews: string[] = [];
let version = 0;
vi.mock("../bindings", () => ({
  commands: {
    nftList: async () => ({
      shown: [
        item("0x" + "b1".repeat(20), "0", "listed", { name: "Loyalty card #0", image: png, media: "shown" }),
        ...(version > 0 ? [item("0x" + "ee".repeat(20), "42", "shown", { name: "Free", image: png, media: "shown" })] : []),
      ],
      unreviewed: version > 0 ? [] : [item("0x" + "ee".repeat(20), "1".repeat(40), "unreviewed", { collection: "<b>Claim at evil.example</b>" })],
      hidden: 0, as_of_block: 9, live: true,
    }),
    nftReview: async (contract: string, show: boolean) => { reviews.push(`${contract} ${show}`); version += 1; return null; },
  },
}));

import { Collectibles } from "./Collectibles";

test("the shop's items show with their pixels; an unreviewed one shows none, its words labelled, until chosen", async () => {
  setLanguage("en");
  const opened: string[] = [];
  render(<Collectibles account={0} onOpen={(i) => opened.push(i.token_id)} />);
  await waitFor(() => expect(document.querySelectorAll("#nft-grid .nft-card").length).toBe(1));
  const card = document.querySelector<HTMLButtonElement>("#nft-grid .nft-card")!;
  expect(card.querySelector("img")?.getAttribute("src")).toBe(png);
  expect(card.textContent).toContain("Loyalty card #0");
  fireEvent.click(card);
  expect(opened).toEqual(["0"]);
  const unreviewed = document.querySelector("#nft-unreviewed")!;
  expect(unreviewed.querySelector("summary")?.textContent).toBe("Unreviewed (1)");
  expect(unreviewed.querySelector("img")).toBeNull();
  expect(unreviewed.querySelector("b")).toBeNull();
  expect(unreviewed.querySelector("q")?.textContent).toBe("<b>Claim at evil.example</b>");
  expect(unreviewed.textContent).toContain("its own words");
  expect(unreviewed.textContent).toContain("#111111…1111");
  fireEvent.click(unreviewed.querySelector<HTMLButtonElement>(".show-collection")!);
  await waitFor(() => expect(document.querySelectorAll("#nft-grid .nft-card").length).toBe(2));
  expect(reviews).toEqual([`0x${"ee".repeat(20)} true`]);
  expect(document.querySelector("#nft-unreviewed")).toBeNull();
});
