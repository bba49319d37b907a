// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title PlainStablecoin
/// @notice The dev chain's second stablecoin: a plain OpenZeppelin ERC-20 with no signed payments of its
/// own (no EIP-3009, no EIP-2612 `permit`), as many tokens are. A checkout without ETH reaches it only
/// through Permit2, after the shopper's one approval of Permit2.
contract PlainStablecoin is ERC20 {
    constructor(string memory name_, string memory symbol_, address holder, uint256 supply) ERC20(name_, symbol_) {
        _mint(holder, supply);
    }

    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
