//! An NFT's metadata and image as a hostile contract or collection hands them over: any `tokenURI`
//! answer, and any bytes claimed to be an SVG or a raster image. Reading never panics and never
//! returns markup: the image, when there is one, is a PNG the wallet encoded, at most 384 px a side;
//! every outside text is cut to its bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_core::nft::{metadata, render};

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else { return };
    let png = match kind % 3 {
        0 => {
            let media = metadata::read(&String::from_utf8_lossy(rest));
            assert!(media.name.as_ref().is_none_or(|n| n.chars().count() <= 80));
            assert!(media.description.as_ref().is_none_or(|d| d.chars().count() <= 600));
            assert!(media.attributes.len() <= 24);
            media.image
        }
        1 => render::to_png("image/svg+xml", rest).ok(),
        _ => render::to_png("image/png", rest).ok(),
    };
    if let Some(png) = png {
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG the wallet encoded");
        let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        assert!(w >= 1 && h >= 1 && w <= render::MAX_EDGE && h <= render::MAX_EDGE, "{w}×{h}");
    }
});
