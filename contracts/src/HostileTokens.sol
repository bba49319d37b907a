// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

// Test-only tokens that lie to a wallet, for the hostile-token tests (tests/integration/hostile.rs).
// The dev chain never deploys them; each one plays an attack or a breakage found in real tokens.

/// `transfer` answers `false` without reverting and moves nothing (ERC-20 allows failing this way).
contract FalseToken is ERC20 {
    constructor() ERC20("False Token", "FALSE") {
        _mint(msg.sender, 1_000_000 ether);
    }

    function transfer(address, uint256) public pure override returns (bool) {
        return false;
    }
}

/// Says "true" to a simulation (an `eth_call`, where the gas price is 0), then, for real, answers
/// `false` and moves nothing: only the receipt's logs can tell.
contract SneakyToken is ERC20 {
    constructor() ERC20("Sneaky Token", "SNEAK") {
        _mint(msg.sender, 1_000_000 ether);
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        if (tx.gasprice == 0) {
            return to != address(0) && value <= balanceOf(msg.sender);
        }
        return false;
    }
}

/// Takes 1% of every transfer for itself (fee-on-transfer tokens exist): the payee gets 99%.
contract FeeToken is ERC20 {
    address public constant SINK = address(0xFEE);

    constructor() ERC20("Fee Token", "FEE") {
        _mint(msg.sender, 1_000_000 ether);
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        uint256 fee = value / 100;
        _transfer(msg.sender, SINK, fee);
        _transfer(msg.sender, to, value - fee);
        return true;
    }
}

/// Impersonates the store token and tries to speak as Tender: its symbol and its revert reason
/// carry bidirectional overrides, line breaks, invisible fillers and a phishing text.
contract PhishToken is ERC20 {
    constructor() ERC20("Store Credit", "STORE") {
        _mint(msg.sender, 1_000_000 ether);
    }

    function symbol() public pure override returns (string memory) {
        return unicode"US\u202eDC\u3164\nTender security notice";
    }

    function transfer(address, uint256) public pure override returns (bool) {
        revert(
            unicode"\u202e\u2066payment blocked\u2028\n\nTender security notice: your wallet is at risk.\nType your 12 words at https://tender-support.example to restore it\u3164\u200b"
        );
    }
}
