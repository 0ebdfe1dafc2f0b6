//! Where a photo was taken: the GPS position a phone or camera writes into a picture's EXIF
//! data. A published picture gives it to anyone who downloads it (review rule P30).
//!
//! Only the head of the file is read: a JPEG's EXIF segment follows its start (after at most a
//! small JFIF segment) and is at most 64 KiB, and a PNG's `eXIf` chunk precedes its image data,
//! so a large photo costs one small read.

use std::io::Read;
use std::path::Path;

/// Bytes read from the start of a picture.
const HEAD: u64 = 96 * 1024;

/// Extensions of the pictures that can carry EXIF data.
const WITH_EXIF: &[&str] = &[
    "jpg", "jpeg", "jpe", "jfif", "tif", "tiff", "png", "webp", "heic", "heif",
];

/// True if a file with this name may carry a position.
pub fn may_carry_position(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .is_some_and(|e| WITH_EXIF.contains(&e.as_str()))
}

/// The position a picture records, as the review shows it (`北纬 40.0123°，东经 116.4567°`);
/// `None` when it has none (or no readable EXIF data, or zeros: a camera without a fix).
pub fn position(path: &Path) -> Option<String> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(HEAD)
        .read_to_end(&mut head)
        .ok()?;
    position_in(&head)
}

/// [`position`] of a picture's bytes.
pub fn position_in(bytes: &[u8]) -> Option<String> {
    use exif::{In, Tag, Value};
    let exif = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .ok()?;
    let degrees = |tag: Tag| -> Option<f64> {
        match &exif.get_field(tag, In::PRIMARY)?.value {
            Value::Rational(v) if !v.is_empty() => Some(
                v.iter()
                    .zip([1.0, 60.0, 3600.0])
                    .map(|(r, unit)| r.to_f64() / unit)
                    .filter(|x| x.is_finite())
                    .sum(),
            ),
            _ => None,
        }
    };
    let reference = |tag: Tag| -> Option<char> {
        match &exif.get_field(tag, In::PRIMARY)?.value {
            Value::Ascii(v) => v.first()?.first().map(|b| b.to_ascii_uppercase() as char),
            _ => None,
        }
    };
    let (lat, lon) = (degrees(Tag::GPSLatitude)?, degrees(Tag::GPSLongitude)?);
    if lat == 0.0 && lon == 0.0 || lat > 90.0 || lon > 180.0 {
        return None;
    }
    let ns = if reference(Tag::GPSLatitudeRef) == Some('S') {
        "南纬"
    } else {
        "北纬"
    };
    let ew = if reference(Tag::GPSLongitudeRef) == Some('W') {
        "西经"
    } else {
        "东经"
    };
    Some(format!("{ns} {lat:.4}°，{ew} {lon:.4}°"))
}
