//! An NFT's metadata: `tokenURI`/`uri` answers (ERC-1155's `{id}` substituted) that are `data:` URLs
//! are decoded here, their JSON read as outside text (sanitised, cut, labelled by the faces as the
//! collection's words), and their image rasterised ([`super::render`]). An `ipfs://` or `https://`
//! document or image is fetched only when a [`Fetcher`] is given — for a collection the shopper allowed
//! ([`super::remote`]) — and is otherwise reported as `remote` and shown without its media. Whatever
//! was fetched is read exactly like on-chain bytes: the renderer never fetches.

use alloy::primitives::U256;

use super::remote::{Fetcher, MAX_IMAGE_BYTES};
use super::render;
use crate::store::NftMedia;

/// The largest metadata document read.
pub const MAX_METADATA_BYTES: usize = 256 * 1024;
/// Longest name, description, attribute trait and value shown.
const MAX_NAME: usize = 80;
const MAX_DESCRIPTION: usize = 600;
const MAX_TRAIT: usize = 40;
const MAX_VALUE: usize = 80;
/// Most attributes shown.
const MAX_ATTRIBUTES: usize = 24;

/// Where a URI points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Inline bytes (a `data:` URL) of a media type.
    Inline {
        /// Its media type (`application/json`, `image/svg+xml`, …), lowercase.
        mime: String,
        /// Its decoded bytes.
        bytes: Vec<u8>,
    },
    /// On IPFS or a web server (the address, trimmed): fetched only where allowed.
    Remote(String),
    /// Nothing the wallet reads (another scheme, an unreadable `data:` URL, too large).
    Unreadable,
}

/// ERC-1155's `{id}`: the id as 64 lowercase hex digits, no prefix.
pub fn substitute_id(uri: &str, id: U256) -> String {
    uri.replace("{id}", &format!("{id:064x}"))
}

/// What `uri` points to.
pub fn source(uri: &str) -> Source {
    let uri = uri.trim();
    let lower = uri.get(..8).unwrap_or(uri).to_ascii_lowercase();
    if lower.starts_with("data:") {
        if uri.len() > MAX_METADATA_BYTES * 4 / 3 + 1024 {
            return Source::Unreadable;
        }
        let Ok(url) = data_url::DataUrl::process(uri) else { return Source::Unreadable };
        let mime = format!("{}/{}", url.mime_type().type_, url.mime_type().subtype).to_ascii_lowercase();
        return match url.decode_to_vec() {
            Ok((bytes, _)) => Source::Inline { mime, bytes },
            Err(_) => Source::Unreadable,
        };
    }
    if lower.starts_with("ipfs://")
        || lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("ar://")
    {
        return Source::Remote(uri.to_owned());
    }
    Source::Unreadable
}

fn text(value: Option<&serde_json::Value>, max: usize) -> Option<String> {
    let shown = match value? {
        serde_json::Value::String(s) => crate::text::displayable(s, max),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!shown.is_empty()).then_some(shown)
}

/// The metadata at `uri` (a `tokenURI`/`uri` answer, `{id}` already substituted), decoded locally;
/// nothing remote is fetched.
pub fn read(uri: &str) -> NftMedia {
    match document(Ok(source(uri))) {
        Ok((media, image)) => with_image(media, image),
        Err(media) => media,
    }
}

/// [`read`], fetching a remote document and image with `fetcher` (the collection's media allowed).
pub async fn load(uri: &str, fetcher: &Fetcher) -> NftMedia {
    let (media, image) = match document(fetched(source(uri), fetcher, MAX_METADATA_BYTES).await) {
        Ok(read) => read,
        Err(media) => return media,
    };
    let image = match image {
        Ok(image) => fetched(image, fetcher, MAX_IMAGE_BYTES).await,
        Err(none) => Err(none),
    };
    // Decoding and rasterising is CPU work: off the async workers.
    tokio::task::spawn_blocking(move || with_image(media, image))
        .await
        .unwrap_or_else(|_| refused("the image could not be drawn"))
}

/// `source`, its remote bytes fetched (a failure kept as the media's state).
async fn fetched(source: Source, fetcher: &Fetcher, limit: usize) -> Result<Source, NftMedia> {
    match source {
        Source::Remote(uri) => match fetcher.get(&uri, limit).await {
            // What a server says its bytes are is not trusted: the renderer sniffs them.
            Ok(bytes) => Ok(Source::Inline { mime: "application/octet-stream".into(), bytes }),
            Err(failure) => Err(NftMedia { state: failure.state(), ..NftMedia::default() }),
        },
        other => Ok(other),
    }
}

/// The document's text and where its image is; `Err`: the media as left (refused, or remote).
fn document(found: Result<Source, NftMedia>) -> Result<(NftMedia, Result<Source, NftMedia>), NftMedia> {
    let json = match found? {
        Source::Inline { bytes, .. } if bytes.len() > MAX_METADATA_BYTES => return Err(refused("metadata too large")),
        Source::Inline { mime, bytes } if is_json(&mime, &bytes) => bytes,
        Source::Inline { .. } => return Err(refused("the metadata is not JSON")),
        Source::Remote(_) => return Err(NftMedia { state: "remote".into(), ..NftMedia::default() }),
        Source::Unreadable => return Err(refused("unreadable metadata")),
    };
    let Ok(serde_json::Value::Object(doc)) = serde_json::from_slice::<serde_json::Value>(&json) else {
        return Err(refused("the metadata is not a JSON object"));
    };
    let attributes = doc
        .get("attributes")
        .and_then(|a| a.as_array())
        .map(|list| {
            list.iter()
                .filter_map(|a| Some((text(a.get("trait_type"), MAX_TRAIT)?, text(a.get("value"), MAX_VALUE)?)))
                .take(MAX_ATTRIBUTES)
                .collect()
        })
        .unwrap_or_default();
    let media = NftMedia {
        name: text(doc.get("name"), MAX_NAME),
        description: text(doc.get("description"), MAX_DESCRIPTION),
        attributes,
        image: None,
        state: "none".into(),
    };
    // OpenSea's `image_data`: raw SVG markup in the document itself.
    let image = match (doc.get("image").and_then(|i| i.as_str()), doc.get("image_data").and_then(|i| i.as_str())) {
        (Some(uri), _) => source(uri),
        (None, Some(svg)) => Source::Inline { mime: "image/svg+xml".into(), bytes: svg.as_bytes().to_vec() },
        (None, None) => return Ok((media, Err(NftMedia { state: "none".into(), ..NftMedia::default() }))),
    };
    Ok((media, Ok(image)))
}

/// A document's bytes are read as JSON when it says so, or says nothing useful (fetched bytes) and
/// parse as such.
fn is_json(mime: &str, bytes: &[u8]) -> bool {
    match mime {
        "application/json" | "text/plain" => true,
        "application/octet-stream" => bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{'),
        _ => false,
    }
}

/// `media` with its image drawn (or why not).
fn with_image(mut media: NftMedia, image: Result<Source, NftMedia>) -> NftMedia {
    match image {
        Ok(Source::Inline { mime, bytes }) => match render::to_png(&mime, &bytes) {
            Ok(png) => {
                media.image = Some(png);
                media.state = "shown".into();
            }
            Err(why) => media.state = format!("refused: {why}"),
        },
        Ok(Source::Remote(_)) => media.state = "remote".into(),
        Ok(Source::Unreadable) => media.state = "refused: unreadable image".into(),
        Err(left) => media.state = left.state,
    }
    media
}

/// The metadata of an item whose contract gives no URI.
pub fn unsaid() -> NftMedia {
    refused("its contract gives no metadata")
}

fn refused(why: &str) -> NftMedia {
    NftMedia { state: format!("refused: {why}"), ..NftMedia::default() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn erc1155_ids_are_substituted_as_the_standard_says() {
        // EIP-1155's own example: id 314592 → 0x4CCE0.
        assert_eq!(
            substitute_id("https://token-cdn-domain/{id}.json", U256::from(314_592u32)),
            "https://token-cdn-domain/000000000000000000000000000000000000000000000000000000000004cce0.json"
        );
    }

    /// On-chain metadata (base64 and percent-encoded JSON, `image` and `image_data`) is read, its text
    /// sanitised and cut; remote documents and images are not fetched; anything else is refused.
    #[test]
    fn metadata_is_read_locally_and_remote_media_is_not_fetched() {
        let svg =
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#;
        let doc = format!(
            r#"{{"name":"Card\u202e #1\u0007","description":"{}","image":"data:image/svg+xml;base64,{}","attributes":[{{"trait_type":"Tier","value":"Gold"}},{{"trait_type":"Level","value":3}},{{"value":"no trait"}}]}}"#,
            "x".repeat(2000),
            b64(svg.as_bytes())
        );
        let media = read(&format!("data:application/json;base64,{}", b64(doc.as_bytes())));
        assert_eq!(media.state, "shown");
        assert_eq!(media.name.as_deref(), Some("Card #1"), "controls and bidi overrides are dropped");
        assert!(media.description.as_ref().is_some_and(|d| d.chars().count() <= MAX_DESCRIPTION));
        assert_eq!(media.attributes, [("Tier".into(), "Gold".into()), ("Level".into(), "3".into())]);
        assert!(media.image.as_ref().is_some_and(|png| png.starts_with(b"\x89PNG")));

        let inline = format!(
            "data:application/json,{}",
            percent_encoding::utf8_percent_encode(
                &format!(r#"{{"name":"Inline","image_data":{}}}"#, serde_json::Value::String(svg.into())),
                percent_encoding::NON_ALPHANUMERIC,
            )
        );
        let media = read(&inline);
        assert_eq!((media.name.as_deref(), media.state.as_str()), (Some("Inline"), "shown"));

        let remote_image = r#"data:application/json,{"name":"R","image":"ipfs://bafy/1.png"}"#;
        assert_eq!(read(remote_image).state, "remote");
        for remote in ["ipfs://QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG/1", "https://evil.example/1.json"] {
            let media = read(remote);
            assert_eq!((media.state.as_str(), media.name), ("remote", None), "{remote}");
        }
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>",
            "",
            "data:application/json,[1,2]",
        ] {
            assert!(read(bad).state.starts_with("refused"), "{bad}");
        }
        let html_image =
            format!("data:application/json,{{\"image\":\"data:text/html;base64,{}\"}}", b64(b"<script>x</script>"));
        assert!(read(&html_image).state.starts_with("refused"));
    }
}
