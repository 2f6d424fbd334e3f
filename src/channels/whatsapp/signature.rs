//! Webhook security for the WhatsApp Business Cloud API: the `X-Hub-Signature-256` header on
//! every POST, and the verify token Meta echoes back when the webhook is registered.
//!
//! Meta signs the exact bytes it sends with HMAC-SHA256 keyed by the app secret, so
//! verification must run over the raw request body before any JSON parsing: re-serialising
//! would change whitespace and key order and break the signature. Both comparisons here run in
//! constant time so an attacker cannot learn a valid signature or token byte by byte from
//! response timings.
//!
//! Hex digits in the header are accepted in either case. Meta sends lowercase, and accepting
//! uppercase costs nothing: the comparison is over the decoded bytes, not the text.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// The header value's fixed prefix, naming the hash.
const PREFIX: &str = "sha256=";

/// Why a webhook POST was not accepted as coming from Meta.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("missing X-Hub-Signature-256 header")]
    Missing,
    /// The header is present but is not `sha256=` followed by 64 hex digits.
    #[error("malformed X-Hub-Signature-256 header: {0}")]
    Malformed(&'static str),
    /// Well-formed, but signed with another secret or over other bytes.
    #[error("X-Hub-Signature-256 does not match the request body")]
    Mismatch,
}

/// Checks `header` (the `X-Hub-Signature-256` value) against `raw_body` as received.
pub fn verify_signature(
    app_secret: &[u8],
    raw_body: &[u8],
    header: Option<&str>,
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let hex_digest = header
        .trim()
        .strip_prefix(PREFIX)
        .ok_or(SignatureError::Malformed("expected a \"sha256=\" prefix"))?;
    let claimed = hex::decode(hex_digest)
        .map_err(|_| SignatureError::Malformed("the digest is not hexadecimal"))?;
    // `verify_slice` would also reject a wrong length, but as a mismatch; a truncated header is
    // a client bug worth telling apart from a wrong secret.
    if claimed.len() != 32 {
        return Err(SignatureError::Malformed("the digest is not 32 bytes"));
    }
    mac(app_secret, raw_body)
        .verify_slice(&claimed)
        .map_err(|_| SignatureError::Mismatch)
}

/// The `X-Hub-Signature-256` value Meta would send for `raw_body`: `sha256=<lowercase hex>`.
pub fn sign(app_secret: &[u8], raw_body: &[u8]) -> String {
    let tag = mac(app_secret, raw_body).finalize().into_bytes();
    format!("{PREFIX}{}", hex::encode(tag))
}

/// Whether the `hub.verify_token` Meta sent when registering the webhook is ours.
///
/// Lengths are not secret (a token's length says little), so a length difference answers
/// `false` at once; equal lengths are compared without stopping at the first differing byte.
pub fn verify_token_matches(expected: &str, given: &str) -> bool {
    // `ct_eq` on slices of different lengths returns false without looking at the content.
    expected.as_bytes().ct_eq(given.as_bytes()).into()
}

fn mac(app_secret: &[u8], raw_body: &[u8]) -> HmacSha256 {
    // HMAC hashes or pads keys of any length, so this cannot fail; the `Result` only exists
    // because `KeyInit` also serves fixed-key ciphers.
    let mac = HmacSha256::new_from_slice(app_secret).expect("HMAC accepts keys of any length");
    mac.chain_update(raw_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"a":1}"#;
    /// `hmac.new(b'secret', b'{"a":1}', hashlib.sha256).hexdigest()` in Python.
    const KNOWN: &str = "sha256=aa9e2e3575f5d7098b6caccd790888c36d5fdb63342a73bada2d6a51747a8494";

    #[test]
    fn sign_matches_a_vector_computed_elsewhere() {
        assert_eq!(sign(b"secret", BODY), KNOWN);
    }

    #[test]
    fn the_known_vector_verifies() {
        assert_eq!(verify_signature(b"secret", BODY, Some(KNOWN)), Ok(()));
    }

    #[test]
    fn a_signature_made_with_another_secret_is_a_mismatch() {
        let header = sign(b"other secret", BODY);
        assert_eq!(
            verify_signature(b"secret", BODY, Some(&header)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_body_changed_by_one_byte_is_a_mismatch() {
        assert_eq!(
            verify_signature(b"secret", br#"{"a":2}"#, Some(KNOWN)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_missing_header_is_reported_as_missing() {
        assert_eq!(
            verify_signature(b"secret", BODY, None),
            Err(SignatureError::Missing)
        );
    }

    #[test]
    fn headers_without_prefix_or_with_bad_hex_are_malformed() {
        let bare = KNOWN.trim_start_matches(PREFIX);
        let sha1 = format!("sha1={bare}");
        let truncated = &KNOWN[..KNOWN.len() - 2];
        let not_hex = format!("{PREFIX}{}", bare.replace('a', "z"));
        for header in ["", bare, &sha1, "sha256=", truncated, &not_hex] {
            assert!(
                matches!(
                    verify_signature(b"secret", BODY, Some(header)),
                    Err(SignatureError::Malformed(_))
                ),
                "{header:?} should be malformed"
            );
        }
    }

    #[test]
    fn uppercase_hex_is_accepted() {
        let upper = format!("{PREFIX}{}", KNOWN[PREFIX.len()..].to_uppercase());
        assert_eq!(verify_signature(b"secret", BODY, Some(&upper)), Ok(()));
    }

    #[test]
    fn an_empty_body_and_secret_still_sign_and_verify() {
        let header = sign(b"", b"");
        assert_eq!(verify_signature(b"", b"", Some(&header)), Ok(()));
    }

    #[test]
    fn verify_token_needs_an_exact_match() {
        assert!(verify_token_matches("gemeente-token", "gemeente-token"));
        assert!(!verify_token_matches("gemeente-token", "gemeente-tokeN"));
        assert!(!verify_token_matches(
            "gemeente-token",
            "gemeente-token-langer"
        ));
        assert!(!verify_token_matches("gemeente-token", ""));
        assert!(verify_token_matches("", ""));
    }
}
