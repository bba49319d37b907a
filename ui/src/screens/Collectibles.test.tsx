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
const sends: string[] = [];
let version = 0;
const remotes: string[] = [];
let remoteItem = false;
let remoteAllowed = false;
const remote = () => item("0x" + "ab".repeat(20), "5", "shown", remoteAllowed
  ? { name: "From IPFS", image: png, media: "shown", remote_allowed: true }
  : { media: "remote", remote_allowed: false });
vi.mock("../bindings", () => ({
  commands: {
    nftList: async () => ({
      shown: [
        item("0x" + "b1".repeat(20), "0", "listed", { name: "Loyalty card #0", image: png, media: "shown" }),
        ...(version > 0 ? [item("0x" + "ee".repeat(20), "42", "shown", { name: "Free", image: png, media: "shown" })] : []),
        ...(remoteItem ? [remote()] : []),
      ],
      unreviewed: version > 0 ? [] : [item("0x" + "ee".repeat(20), "1".repeat(40), "unreviewed", { collection: "<b>Claim at evil.example</b>" })],
      hidden: 0, as_of_block: 9, live: true,
    }),
    privacyGet: async () => ({ separate_accounts: false, spread: false, remote_media_off: false, ipfs_gateway: null }),
    nftRemote: async (contract: string, allow: boolean) => { remotes.push(`${contract} ${allow}`); remoteAllowed = allow; return null; },
    nftReview: async (contract: string, show: boolean) => { reviews.push(`${contract} ${show}`); version += 1; return null; },
    nftSendQuote: async (...args: unknown[]) => { sends.push(`quote ${args.join(" ")}`); return { id: "q1", digest: "0xd1", contract: args[1], token_id: args[2], amount: args[4], to: args[3], max_fee_display: "0.0001", native_symbol: "ETH", expires_at: 9 }; },
    nftSendConfirm: async (id: string, digest: string) => { sends.push(`confirm ${id} ${digest}`); return { status: "confirmed", counterparty: "0x7099…79C8", notice: null }; },
  },
}));

import { Collectibles, NftScreen } from "./Collectibles";

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

test("an NFT is sent only as quoted: the recipient and fee shown, then that quote confirmed by id and digest", async () => {
  setLanguage("en");
  const card = item("0x" + "b1".repeat(20), "3", "listed", { name: "Loyalty card #3", image: png, media: "shown" });
  render(<NftScreen item={card as never} account={2} nativeSymbol="ETH" onBack={() => {}} />);
  const to = document.querySelector<HTMLInputElement>("#nft-send-to")!;
  fireEvent.input(to, { target: { value: " 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 " } });
  fireEvent.submit(document.querySelector("#nft-send form")!);
  await waitFor(() => expect(document.querySelector("#nft-send-dialog")).not.toBeNull());
  expect(sends).toEqual([`quote 2 0x${"b1".repeat(20)} 3 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 1`]);
  expect(document.querySelector("#nft-send-offer")?.textContent).toContain("Send Loyalty card #3 to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  expect(document.querySelector("#nft-send-amount")).toBeNull();
  fireEvent.click(document.querySelector<HTMLButtonElement>("#nft-send-confirm")!);
  await waitFor(() => expect(document.querySelector("#nft-sent")).not.toBeNull());
  expect(sends[1]).toBe("confirm q1 0xd1");
  expect(document.querySelector("#nft-hide")).toBeNull();
});

test("an image on IPFS or the web is loaded only when the shopper allows it for the collection, and can be stopped", async () => {
  setLanguage("en");
  remoteItem = true;
  render(<NftScreen item={remote() as never} account={1} nativeSymbol="ETH" onBack={() => {}} />);
  expect(document.querySelector("#nft-image")).toBeNull();
  expect(document.querySelector("#nft-media")?.textContent).toContain("that server would learn that you are looking");
  expect(document.querySelector("#nft-stop-media")).toBeNull();
  fireEvent.click(document.querySelector<HTMLButtonElement>("#nft-load-media")!);
  await waitFor(() => expect(document.querySelector("#nft-image")).not.toBeNull());
  expect(remotes).toEqual([`0x${"ab".repeat(20)} true`]);
  expect(document.querySelector("#nft-image")?.getAttribute("src")).toBe(png);
  expect(document.querySelector("#nft-load-media")).toBeNull();
  fireEvent.click(document.querySelector<HTMLButtonElement>("#nft-stop-media")!);
  await waitFor(() => expect(remotes.length).toBe(2));
  expect(remotes[1]).toBe(`0x${"ab".repeat(20)} false`);
});
