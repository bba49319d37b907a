// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC721Consecutive} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721Consecutive.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/// @title StoreCards
/// @notice The dev chain's store collection (ERC-721, OpenZeppelin): loyalty cards minted at deployment in
/// ERC-2309 batches (one `ConsecutiveTransfer` each, no `Transfer`), then a receipt for each paid order,
/// minted by the shop (`minter`). Metadata lives on chain: a `data:` JSON document whose image is an SVG.
contract StoreCards is ERC721Consecutive {
    address public immutable minter;
    uint256 public immutable loyaltyCards;
    uint256 private _nextReceipt;
    mapping(uint256 id => string) private _orders;

    error OnlyTheShopMints();

    constructor(address minter_, address[] memory holders, uint96[] memory cards) ERC721("Store Cards", "CARD") {
        minter = minter_;
        uint256 total;
        for (uint256 i = 0; i < holders.length; i++) {
            _mintConsecutive(holders[i], cards[i]);
            total += cards[i];
        }
        loyaltyCards = total;
        _nextReceipt = total;
    }

    /// @notice Mints the receipt of order `order` to `to` (the shop only).
    function mintReceipt(address to, string calldata order) external returns (uint256 id) {
        if (msg.sender != minter) revert OnlyTheShopMints();
        id = _nextReceipt++;
        _orders[id] = order;
        _mint(to, id);
    }

    function tokenURI(uint256 id) public view override returns (string memory) {
        _requireOwned(id);
        bool card = id < loyaltyCards;
        string memory number = Strings.toString(id);
        string memory name = card ? string.concat("Loyalty card #", number) : string.concat("Receipt #", number);
        string memory description = card
            ? "Your Tender Store loyalty card: show it at the till for member prices."
            : string.concat("Your receipt for order ", _orders[id], " at the Tender demo shop.");
        string memory svg = string.concat(
            '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 320 320">',
            '<rect width="320" height="320" rx="28" fill="',
            card ? "#0f766e" : "#1e3a8a",
            '"/><rect x="40" y="72" width="240" height="176" rx="16" fill="#ffffff" fill-opacity="0.92"/>',
            '<rect x="64" y="104" width="120" height="16" rx="8" fill="#94a3b8"/>',
            '<rect x="64" y="140" width="192" height="12" rx="6" fill="#cbd5e1"/>',
            '<rect x="64" y="168" width="160" height="12" rx="6" fill="#cbd5e1"/>',
            '<circle cx="240" cy="208" r="20" fill="',
            card ? "#f59e0b" : "#10b981",
            '"/></svg>'
        );
        string memory json = string.concat(
            '{"name":"',
            name,
            '","description":"',
            description,
            '","image":"data:image/svg+xml;base64,',
            Base64.encode(bytes(svg)),
            '","attributes":[{"trait_type":"Kind","value":"',
            card ? "Loyalty card" : "Receipt",
            '"}]}'
        );
        return string.concat("data:application/json;base64,", Base64.encode(bytes(json)));
    }
}

/// @title StoreTickets
/// @notice The dev chain's event tickets (ERC-1155, OpenZeppelin): ticket 1 minted one by one
/// (`TransferSingle`), tickets 2 and 3 in one batch (`TransferBatch`). Its `uri` answers each id's own
/// `data:` JSON document.
contract StoreTickets is ERC1155 {
    constructor(address[] memory holders) ERC1155("") {
        for (uint256 i = 0; i < holders.length; i++) {
            _mint(holders[i], 1, 2, "");
        }
        uint256[] memory ids = new uint256[](2);
        uint256[] memory amounts = new uint256[](2);
        (ids[0], ids[1], amounts[0], amounts[1]) = (2, 3, 1, 1);
        if (holders.length > 0) _mintBatch(holders[0], ids, amounts, "");
    }

    function uri(uint256 id) public pure override returns (string memory) {
        string memory json = string.concat(
            '{"name":"Store event ticket ',
            Strings.toString(id),
            '","description":"Entry to the Tender Store spring event.","image":"data:image/svg+xml;base64,',
            Base64.encode(
                bytes(
                    string.concat(
                        '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200" viewBox="0 0 320 200">',
                        '<rect width="320" height="200" rx="20" fill="#7c3aed"/>',
                        '<circle cx="0" cy="100" r="24" fill="#ffffff"/><circle cx="320" cy="100" r="24" fill="#ffffff"/>',
                        '<rect x="60" y="60" width="200" height="80" rx="10" fill="#ede9fe"/></svg>'
                    )
                )
            ),
            '"}'
        );
        return string.concat("data:application/json;base64,", Base64.encode(bytes(json)));
    }
}

/// @title OpenCollectible
/// @notice An ERC-721 anyone can mint into with any metadata URI: what airdropped spam and phishing NFTs
/// look like to a wallet (tests only: hostile metadata, unreviewed collections).
contract OpenCollectible is ERC721 {
    mapping(uint256 id => string) private _uris;

    constructor() ERC721("Free Airdrop", "FREE") {}

    function mint(address to, uint256 id, string calldata uri_) external {
        _uris[id] = uri_;
        _mint(to, id);
    }

    function tokenURI(uint256 id) public view override returns (string memory) {
        _requireOwned(id);
        return _uris[id];
    }
}
