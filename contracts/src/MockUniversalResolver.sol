// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title MockUniversalResolver (dev chain and tests only)
/// @notice A stand-in for ENS's Universal Resolver, which does not exist on the local chain: it answers
/// `resolve(dnsName, addr(node))` from a table (`addresses`, storage slot 0) that tests fill with
/// `anvil_setStorageAt`, and reverts `ResolverNotFound` for names not in it, as the real one does.
contract MockUniversalResolver {
    mapping(bytes32 node => address addr) public addresses;

    error ResolverNotFound(bytes name);
    error UnsupportedResolverProfile(bytes4 selector);

    function resolve(bytes calldata name, bytes calldata data) external view returns (bytes memory, address) {
        if (data.length != 36) revert UnsupportedResolverProfile(bytes4(0));
        if (bytes4(data[:4]) != bytes4(0x3b3b57de)) revert UnsupportedResolverProfile(bytes4(data[:4]));
        address found = addresses[bytes32(data[4:36])];
        if (found == address(0)) revert ResolverNotFound(name);
        return (abi.encode(found), address(this));
    }
}
