//! An NFT's image made into pixels the wallet encoded itself: no NFT's SVG or HTML ever reaches the
//! webview as markup, and no image is decoded there.
//!
//! - **SVG** is rasterised by resvg: no scripts run (resvg has none), `foreignObject` is not rendered,
//!   and every reference out of the document is refused by [`resolver`] — file paths and URLs alike;
//!   only raster images embedded as `data:` URLs are drawn. A document with entity declarations (the
//!   "billion laughs") is refused before it is parsed; documents and images are bounded in size.
//! - **Raster images** (PNG, JPEG, GIF, WebP) are decoded by `image` within pixel and memory limits.
//! - Either way the result is scaled to fit [`MAX_EDGE`] pixels and encoded as a fresh PNG.

use std::sync::{Arc, OnceLock};

use resvg::usvg;

/// The longest edge of an image the wallet shows, in pixels.
pub const MAX_EDGE: u32 = 384;
/// The largest SVG document rasterised.
pub const MAX_SVG_BYTES: usize = 512 * 1024;
/// The largest raster image decoded.
pub const MAX_RASTER_BYTES: usize = 4 * 1024 * 1024;
/// The most pixels along either edge of a raster image decoded.
const MAX_RASTER_EDGE: u32 = 8192;
/// The most memory a raster decode may take.
const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;

/// Why an image was not shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Larger than the wallet decodes.
    TooLarge,
    /// Not an image format the wallet draws.
    Unsupported,
    /// Declares entities (a document that expands itself).
    Entities,
    /// Could not be read as what it says it is.
    Unreadable,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::TooLarge => "too large",
            Self::Unsupported => "not an image Tender shows",
            Self::Entities => "an SVG that declares entities",
            Self::Unreadable => "unreadable",
        })
    }
}

/// The image `bytes` (of media type `mime`, which is sniffed when it says nothing useful) as a PNG
/// that fits [`MAX_EDGE`].
pub fn to_png(mime: &str, bytes: &[u8]) -> Result<Vec<u8>, Refused> {
    let mime = mime.trim().to_ascii_lowercase();
    let svg = mime == "image/svg+xml" || (!mime.starts_with("image/") && looks_like_svg(bytes));
    if svg { svg_to_png(bytes) } else { raster_to_png(bytes) }
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    head.contains("<svg")
}

/// The resolver of everything an SVG refers to: `data:` raster images only; no file, no URL, no nested
/// SVG document.
fn resolver() -> usvg::ImageHrefResolver<'static> {
    usvg::ImageHrefResolver {
        resolve_data: Box::new(|mime: &str, data: Arc<Vec<u8>>, _: &usvg::Options| {
            if data.len() > MAX_RASTER_BYTES {
                return None;
            }
            match mime {
                "image/png" => Some(usvg::ImageKind::PNG(data)),
                "image/jpeg" | "image/jpg" => Some(usvg::ImageKind::JPEG(data)),
                "image/gif" => Some(usvg::ImageKind::GIF(data)),
                "image/webp" => Some(usvg::ImageKind::WEBP(data)),
                _ => None,
            }
        }),
        resolve_string: Box::new(|_: &str, _: &usvg::Options| None),
    }
}

/// The system's fonts, loaded once and only for a document with text (they are files on this machine,
/// never fetched); a document without text gets none.
fn fonts_for(svg: &str) -> Arc<usvg::fontdb::Database> {
    static NONE: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    if svg.contains("<text") || svg.contains(":text") {
        fonts()
    } else {
        NONE.get_or_init(|| Arc::new(usvg::fontdb::Database::new())).clone()
    }
}

fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            Arc::new(db)
        })
        .clone()
}

fn svg_to_png(bytes: &[u8]) -> Result<Vec<u8>, Refused> {
    if bytes.len() > MAX_SVG_BYTES {
        return Err(Refused::TooLarge);
    }
    let head = String::from_utf8_lossy(bytes);
    if head.contains("<!ENTITY") {
        return Err(Refused::Entities);
    }
    let options = usvg::Options {
        resources_dir: None,
        image_href_resolver: resolver(),
        fontdb: fonts_for(&head),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(bytes, &options).map_err(|_| Refused::Unreadable)?;
    let size = tree.size();
    let scale = (MAX_EDGE as f32 / size.width()).min(MAX_EDGE as f32 / size.height());
    if !scale.is_finite() || scale <= 0.0 {
        return Err(Refused::Unreadable);
    }
    let edge = |v: f32| ((v * scale).ceil() as u32).clamp(1, MAX_EDGE);
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(edge(size.width()), edge(size.height())).ok_or(Refused::Unreadable)?;
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|_| Refused::Unreadable)
}

fn raster_to_png(bytes: &[u8]) -> Result<Vec<u8>, Refused> {
    use image::ImageFormat;
    if bytes.len() > MAX_RASTER_BYTES {
        return Err(Refused::TooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| Refused::Unsupported)?;
    if !matches!(format, ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP) {
        return Err(Refused::Unsupported);
    }
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_RASTER_EDGE);
    limits.max_image_height = Some(MAX_RASTER_EDGE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => Refused::TooLarge,
        _ => Refused::Unreadable,
    })?;
    let fitted = if decoded.width() > MAX_EDGE || decoded.height() > MAX_EDGE {
        decoded.thumbnail(MAX_EDGE, MAX_EDGE)
    } else {
        decoded
    };
    let mut out = std::io::Cursor::new(Vec::new());
    fitted.to_rgba8().write_to(&mut out, ImageFormat::Png).map_err(|_| Refused::Unreadable)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_size(png: &[u8]) -> (u32, u32) {
        let img = image::load_from_memory_with_format(png, image::ImageFormat::Png).expect("a PNG");
        (img.width(), img.height())
    }

    /// Hostile SVGs: each is drawn as pixels (what it would run or fetch never is), or refused; none
    /// makes a connection — a listener stands where every reference points and must hear nothing.
    #[test]
    fn hostile_svgs_become_pixels_or_are_refused_and_nothing_is_fetched() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
        listener.set_nonblocking(true).expect("nonblocking");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let tmp = tempfile::tempdir().expect("tmp");
        let local_file = tmp.path().join("secret.png");
        std::fs::write(&local_file, raster_to_png(&tiny_png()).expect("png")).expect("file");
        let local = local_file.display();
        let open = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100">"#;
        let shown = [
            format!(r#"{open}<script>fetch("{url}/script")</script><rect width="100" height="100" fill="red"/></svg>"#),
            format!(r#"{open}<rect onload="fetch('{url}/onload')" width="100" height="100" fill="red"/></svg>"#),
            format!(
                r#"{open}<foreignObject width="100" height="100"><iframe xmlns="http://www.w3.org/1999/xhtml" src="{url}/iframe"/></foreignObject><rect width="10" height="10"/></svg>"#
            ),
            format!(r#"{open}<image href="{url}/image.png" width="100" height="100"/><rect width="10" height="10"/></svg>"#),
            format!(r#"{open}<image xlink:href="{local}" width="100" height="100"/><rect width="10" height="10"/></svg>"#),
            format!(
                r#"{open}<style>@import url("{url}/import.css"); rect {{ fill: url("{url}/fill#x"); background: url({url}/bg.png) }}</style><rect width="100" height="100"/></svg>"#
            ),
            format!(r#"{open}<use href="{url}/sprite.svg#icon"/><rect width="10" height="10"/></svg>"#),
            format!(
                r#"{open}<style>@font-face {{ font-family: x; src: url({url}/font.woff) }}</style><text x="10" y="50" font-family="x">hi</text></svg>"#
            ),
            // Huge dimensions are drawn small, never allocated at their size.
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="100000000" height="100000000"><rect width="100%" height="100%" fill="blue"/></svg>"#.to_owned(),
        ];
        for svg in &shown {
            let png = to_png("image/svg+xml", svg.as_bytes()).unwrap_or_else(|e| panic!("{e}: {svg}"));
            let (w, h) = png_size(&png);
            assert!(w <= MAX_EDGE && h <= MAX_EDGE && w > 0 && h > 0, "{w}×{h}: {svg}");
        }
        let laughs = format!(
            r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">{}]>{open}<text>&j;</text></svg>"#,
            (b'c'..=b'j')
                .map(|c| {
                    let prev = (c - 1) as char;
                    format!("<!ENTITY {} \"{}\">", c as char, format!("&{prev};").repeat(10))
                })
                .collect::<String>()
        );
        assert_eq!(to_png("image/svg+xml", laughs.as_bytes()), Err(Refused::Entities));
        let big = format!("{open}{}</svg>", "<rect width=\"1\" height=\"1\"/>".repeat(MAX_SVG_BYTES / 20));
        assert_eq!(to_png("image/svg+xml", big.as_bytes()), Err(Refused::TooLarge));
        assert_eq!(to_png("image/svg+xml", b"<html><script>alert(1)</script></html>"), Err(Refused::Unreadable));
        assert_eq!(to_png("text/html", b"<html><body>hi</body></html>"), Err(Refused::Unsupported));
        assert!(listener.accept().is_err(), "the renderer made a network call");
        // A file on this machine is not read either: the image it names stays undrawn.
        let file_only = format!(r#"{open}<image xlink:href="{local}" width="100" height="100"/></svg>"#);
        let png = to_png("image/svg+xml", file_only.as_bytes()).expect("drawn");
        let img = image::load_from_memory(&png).expect("png").to_rgba8();
        assert_eq!(img.get_pixel(img.width() / 2, img.height() / 2).0[3], 0, "a local file was drawn");
    }

    fn tiny_png() -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(4, 3, image::Rgba([10, 20, 30, 255]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).expect("png");
        out.into_inner()
    }

    /// Raster images are decoded within limits and re-encoded: a large one is scaled down, a "PNG" whose
    /// header claims vast dimensions is refused before its pixels are allocated, and an embedded `data:`
    /// raster inside an SVG is drawn.
    #[test]
    fn raster_images_are_reencoded_within_limits() {
        let png = to_png("image/png", &tiny_png()).expect("png");
        assert_eq!(png_size(&png), (4, 3));
        let large = image::RgbaImage::from_pixel(1000, 500, image::Rgba([1, 2, 3, 255]));
        let mut out = std::io::Cursor::new(Vec::new());
        large.write_to(&mut out, image::ImageFormat::Jpeg).ok();
        let jpeg = out.into_inner();
        if !jpeg.is_empty() {
            assert_eq!(png_size(&to_png("image/jpeg", &jpeg).expect("jpeg")), (MAX_EDGE, MAX_EDGE / 2));
        }
        // A PNG header that says 100 000 × 100 000 pixels.
        let mut bomb = tiny_png();
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(matches!(to_png("image/png", &bomb), Err(Refused::TooLarge | Refused::Unreadable)));
        assert_eq!(to_png("image/png", b"not an image"), Err(Refused::Unsupported));
        use base64::Engine as _;
        let embedded = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><image href="data:image/png;base64,{}" width="40" height="30"/></svg>"#,
            base64::engine::general_purpose::STANDARD.encode(tiny_png())
        );
        let drawn = to_png("image/svg+xml", embedded.as_bytes()).expect("drawn");
        let img = image::load_from_memory(&drawn).expect("png").to_rgba8();
        assert_eq!(img.get_pixel(20, 15).0, [10, 20, 30, 255], "the embedded raster is drawn");
    }
}
