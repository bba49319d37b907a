// Networks by name, in the person's language: brand names (Ethereum, Base, Polygon…) as they are; the
// local dev chain and a chain Tender has no name for, in words.
import { t } from "./i18n";

/** How to call the network with data key `key` and name `name`. */
export function networkName(key: string, name: string): string {
  if (key === "devnet") return t("network_devnet");
  if (key.startsWith("chain-") && !name.trim()) return t("network_unnamed");
  return name;
}
