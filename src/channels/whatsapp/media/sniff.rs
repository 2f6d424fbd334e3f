//! The file types residents may send, recognised by their first bytes (never by what the
//! sender declared), and the pixel size of an image from its header.

/// The allowed types, as agents read them in a refusal.
pub const ALLOWED_NL: &str = "JPEG, PNG, WebP, PDF, OGG/Opus of MP4";

/// A type on the allowlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Jpeg,
    Png,
    Webp,
    Pdf,
    Ogg,
    Mp4,
}

const ALL: [FileType; 6] = [
    FileType::Jpeg,
    FileType::Png,
    FileType::Webp,
    FileType::Pdf,
    FileType::Ogg,
    FileType::Mp4,
];

impl FileType {
    /// The type as stored and served.
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Webp => "image/webp",
            FileType::Pdf => "application/pdf",
            FileType::Ogg => "audio/ogg",
            FileType::Mp4 => "video/mp4",
        }
    }

    /// For the download's file name.
    pub fn extension(self) -> &'static str {
        match self {
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Webp => "webp",
            FileType::Pdf => "pdf",
            FileType::Ogg => "ogg",
            FileType::Mp4 => "mp4",
        }
    }

    /// Images are the only files a browser may show inline.
    pub fn is_image(self) -> bool {
        matches!(self, FileType::Jpeg | FileType::Png | FileType::Webp)
    }

    /// A stored type back, or a declared type (parameters such as `; codecs=opus` ignored)
    /// when it is on the allowlist.
    pub fn from_mime(mime: &str) -> Option<FileType> {
        let base = mime
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match base.as_str() {
            "image/jpg" => Some(FileType::Jpeg),
            "audio/opus" => Some(FileType::Ogg),
            "audio/mp4" => Some(FileType::Mp4),
            other => ALL.into_iter().find(|t| t.mime() == other),
        }
    }

    /// The type `bytes` really are, if it is on the allowlist.
    pub fn sniff(bytes: &[u8]) -> Option<FileType> {
        let at =
            |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
        if at(0, &[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else if at(0, b"\x89PNG\r\n\x1a\n") {
            Some(FileType::Png)
        } else if at(0, b"RIFF") && at(8, b"WEBP") {
            Some(FileType::Webp)
        } else if at(0, b"%PDF-") {
            Some(FileType::Pdf)
        } else if at(0, b"OggS") {
            Some(FileType::Ogg)
        } else if at(4, b"ftyp") {
            Some(FileType::Mp4)
        } else {
            None
        }
    }

    /// Width and height in pixels, read from the image's header.
    pub fn dimensions(self, bytes: &[u8]) -> Option<(u32, u32)> {
        let size = match self {
            FileType::Png => png_size(bytes),
            FileType::Jpeg => jpeg_size(bytes),
            FileType::Webp => webp_size(bytes),
            _ => None,
        }?;
        (size.0 > 0 && size.1 > 0).then_some(size)
    }
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
    ])))
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
    ])))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        0,
    ]))
}

/// The IHDR chunk follows the signature: width and height, big-endian.
fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    if b.get(12..16)? != b"IHDR" {
        return None;
    }
    let word = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
    };
    Some((word(16)?, word(20)?))
}

/// The first start-of-frame segment holds the size; every other segment is skipped by its
/// length.
fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        if *b.get(at)? != 0xFF {
            return None;
        }
        let marker = *b.get(at + 1)?;
        match marker {
            // Fill byte.
            0xFF => at += 1,
            // Markers without a length.
            0x01 | 0xD0..=0xD8 => at += 2,
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                return Some((be16(b, at + 7)?, be16(b, at + 5)?));
            }
            _ => at += 2 + usize::try_from(be16(b, at + 2)?).ok()?,
        }
    }
}

/// Lossy (`VP8 `), lossless (`VP8L`) or extended (`VP8X`) WebP.
fn webp_size(b: &[u8]) -> Option<(u32, u32)> {
    match b.get(12..16)? {
        b"VP8 " => Some((le16(b, 26)? & 0x3FFF, le16(b, 28)? & 0x3FFF)),
        b"VP8L" => {
            let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        b"VP8X" => Some((le24(b, 24)? + 1, le24(b, 27)? + 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The start of a 640×480 PNG: signature and IHDR.
    const PNG_640X480: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R', 0,
        0, 0x02, 0x80, 0, 0, 0x01, 0xE0, 8, 2, 0, 0, 0,
    ];

    #[test]
    fn types_are_known_by_their_bytes_not_their_name() {
        assert_eq!(FileType::sniff(PNG_640X480), Some(FileType::Png));
        assert_eq!(FileType::sniff(b"%PDF-1.7\n"), Some(FileType::Pdf));
        assert_eq!(FileType::sniff(b"OggS\0\x02"), Some(FileType::Ogg));
        assert_eq!(FileType::sniff(b"\0\0\0\x20ftypisom"), Some(FileType::Mp4));
        assert_eq!(
            FileType::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(FileType::Webp)
        );
        assert_eq!(
            FileType::sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            None
        );
        assert_eq!(FileType::sniff(b"<!DOCTYPE html>"), None);
        assert_eq!(FileType::sniff(b"GIF89a"), None);
    }

    #[test]
    fn declared_types_outside_the_allowlist_are_refused() {
        assert_eq!(
            FileType::from_mime("audio/ogg; codecs=opus"),
            Some(FileType::Ogg)
        );
        assert_eq!(FileType::from_mime("IMAGE/JPEG"), Some(FileType::Jpeg));
        assert_eq!(FileType::from_mime("image/svg+xml"), None);
        assert_eq!(FileType::from_mime("text/html"), None);
        assert_eq!(FileType::from_mime("application/zip"), None);
    }

    #[test]
    fn image_sizes_come_from_the_header() {
        assert_eq!(FileType::Png.dimensions(PNG_640X480), Some((640, 480)));
        // SOI, an APP0 segment of 16 bytes, then SOF0 with height 300 and width 400.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        jpeg.extend_from_slice(&[0; 14]);
        jpeg.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x2C, 0x01, 0x90, 0x03]);
        assert_eq!(FileType::Jpeg.dimensions(&jpeg), Some((400, 300)));
        let mut webp = b"RIFF\0\0\0\0WEBPVP8X".to_vec();
        webp.extend_from_slice(&[0; 8]);
        webp.extend_from_slice(&[0x1F, 0x03, 0x00, 0xDF, 0x01, 0x00]);
        assert_eq!(FileType::Webp.dimensions(&webp), Some((800, 480)));
        assert_eq!(FileType::Jpeg.dimensions(&[0xFF, 0xD8, 0xFF]), None);
        assert_eq!(FileType::Pdf.dimensions(b"%PDF-1.7"), None);
    }
}
