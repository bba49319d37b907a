// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @notice The part of Uniswap's Permit2 (`ISignatureTransfer`) the x402 proxies call, declared here
/// from Permit2's published interface (github.com/Uniswap/permit2, src/interfaces/ISignatureTransfer.sol).
interface ISignatureTransfer {
    struct TokenPermissions {
        address token;
        uint256 amount;
    }

    struct PermitTransferFrom {
        TokenPermissions permitted;
        uint256 nonce;
        uint256 deadline;
    }

    struct SignatureTransferDetails {
        address to;
        uint256 requestedAmount;
    }

    function permitWitnessTransferFrom(
        PermitTransferFrom calldata permit,
        SignatureTransferDetails calldata transferDetails,
        address owner,
        bytes32 witness,
        string calldata witnessTypeString,
        bytes calldata signature
    ) external;

    function nonceBitmap(address owner, uint256 wordPosition) external view returns (uint256);
}

/// @notice EIP-2612's `permit`, for the sponsored one-time approval of Permit2.
interface IERC20PermitLike {
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external;
}

/// @title X402Permit2ProxyBase
/// @notice What both x402 Permit2 proxies share, written here to the x402 specification
/// (specs/schemes/exact/scheme_exact_evm.md and specs/schemes/upto/scheme_upto_evm.md, coinbase/x402) and
/// to the ABI the official x402 EVM package (npm, 2.27) calls: the proxy is the `spender` a payer names
/// in Permit2's `PermitWitnessTransferFrom`; the witness fixes where the money goes, so whoever submits
/// the signature (the shop's facilitator) can neither redirect it nor take more than signed. It holds no
/// tokens, has no owner and cannot be upgraded. On the dev chain its runtime code is placed at the
/// canonical address the official packages hard-code; Permit2 is a constant, not a constructor argument,
/// so that code needs no initialisation.
abstract contract X402Permit2ProxyBase is ReentrancyGuard {
    /// @notice Uniswap's Permit2, at its canonical address on every chain.
    ISignatureTransfer public constant PERMIT2 = ISignatureTransfer(0x000000000022D473030F116dDEE9F6B43aC78BA3);

    /// @notice An EIP-2612 permit letting Permit2 spend the owner's tokens (the sponsored approval).
    struct EIP2612Permit {
        uint256 value;
        uint256 deadline;
        bytes32 r;
        bytes32 s;
        uint8 v;
    }

    event Settled();
    event SettledWithPermit();

    error InvalidDestination();
    error InvalidOwner();
    error InvalidPermit2Address();
    error PaymentTooEarly();
    error Permit2612AmountMismatch();

    /// @dev The checks both schemes make before Permit2 is asked to move anything.
    function _check(address owner, address to, uint256 validAfter) internal view {
        if (address(PERMIT2).code.length == 0) revert InvalidPermit2Address();
        if (owner == address(0)) revert InvalidOwner();
        if (to == address(0)) revert InvalidDestination();
        if (block.timestamp < validAfter) revert PaymentTooEarly();
    }

    /// @dev The checks, then Permit2 moves `amount` of the signed permit to `to`, the witness hashed as
    /// `witnessHash` under `witnessTypeString` (each scheme's own).
    function _transfer(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        address to,
        uint256 validAfter,
        uint256 amount,
        bytes32 witnessHash,
        string memory witnessTypeString,
        bytes calldata signature
    ) internal {
        _check(owner, to, validAfter);
        PERMIT2.permitWitnessTransferFrom(
            permit,
            ISignatureTransfer.SignatureTransferDetails({to: to, requestedAmount: amount}),
            owner,
            witnessHash,
            witnessTypeString,
            signature
        );
    }

    /// @dev Submits the owner's EIP-2612 permit for Permit2, for at least what is to be moved. A permit
    /// already used (by a front-runner who copied it) is no reason to fail: the allowance is then there.
    function _approvePermit2(address token, address owner, EIP2612Permit calldata p, uint256 needed) internal {
        if (p.value < needed) revert Permit2612AmountMismatch();
        try IERC20PermitLike(token).permit(owner, address(PERMIT2), p.value, p.deadline, p.v, p.r, p.s) {} catch {}
    }
}

/// @title X402ExactPermit2Proxy
/// @notice x402 `exact` through Permit2: moves exactly the signed amount to the witness's `to`.
contract X402ExactPermit2Proxy is X402Permit2ProxyBase {
    /// @notice The witness type as Permit2 appends it to `PermitWitnessTransferFrom(…,`.
    string public constant WITNESS_TYPE_STRING =
        "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)";
    bytes32 public constant WITNESS_TYPEHASH = keccak256("Witness(address to,uint256 validAfter)");

    struct Witness {
        address to;
        uint256 validAfter;
    }

    error InvalidAmount();

    function settle(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _settle(permit, owner, witness, signature);
        emit Settled();
    }

    function settleWithPermit(
        EIP2612Permit calldata permit2612,
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _approvePermit2(permit.permitted.token, owner, permit2612, permit.permitted.amount);
        _settle(permit, owner, witness, signature);
        emit SettledWithPermit();
    }

    function _settle(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) private {
        if (permit.permitted.amount == 0) revert InvalidAmount();
        bytes32 witnessHash = keccak256(abi.encode(WITNESS_TYPEHASH, witness.to, witness.validAfter));
        _transfer(
            permit,
            owner,
            witness.to,
            witness.validAfter,
            permit.permitted.amount,
            witnessHash,
            WITNESS_TYPE_STRING,
            signature
        );
    }
}

/// @title X402UptoPermit2Proxy
/// @notice x402 `upto` through Permit2: the facilitator the witness names (and only it) moves any
/// amount up to the signed maximum to the witness's `to`.
contract X402UptoPermit2Proxy is X402Permit2ProxyBase {
    string public constant WITNESS_TYPE_STRING =
        "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,address facilitator,uint256 validAfter)";
    bytes32 public constant WITNESS_TYPEHASH = keccak256("Witness(address to,address facilitator,uint256 validAfter)");

    struct Witness {
        address to;
        address facilitator;
        uint256 validAfter;
    }

    error AmountExceedsPermitted();
    error UnauthorizedFacilitator();

    function settle(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _settle(permit, amount, owner, witness, signature);
        emit Settled();
    }

    function settleWithPermit(
        EIP2612Permit calldata permit2612,
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _approvePermit2(permit.permitted.token, owner, permit2612, amount);
        _settle(permit, amount, owner, witness, signature);
        emit SettledWithPermit();
    }

    function _settle(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) private {
        if (msg.sender != witness.facilitator) revert UnauthorizedFacilitator();
        if (amount > permit.permitted.amount) revert AmountExceedsPermitted();
        bytes32 witnessHash =
            keccak256(abi.encode(WITNESS_TYPEHASH, witness.to, witness.facilitator, witness.validAfter));
        _transfer(permit, owner, witness.to, witness.validAfter, amount, witnessHash, WITNESS_TYPE_STRING, signature);
    }
}
