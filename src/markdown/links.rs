//! Where a link written in a body points, resolved without touching the disk.

use std::path::{Component, Path, PathBuf};

/// The `#fragment` of a link destination, with its `#`; empty when there is none.
pub fn fragment(dest: &str) -> &str {
    dest.find('#').map(|i| &dest[i..]).unwrap_or("")
}

/// The root-relative path a relative link points at, if it is a local file link.
pub fn local_target(dir: &Path, dest: &str) -> Option<PathBuf> {
    let d = dest.split(['#', '?']).next()?;
    if d.is_empty()
        || d.starts_with('/')
        || d.contains("://")
        || d.starts_with("mailto:")
        || d.starts_with("tel:")
        || super::is_dangerous_url(d)
    {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(d).decode_utf8().ok()?;
    normalize(&dir.join(decoded.as_ref()))
}

/// Resolves `.` and `..` without touching the disk; `None` if it climbs out of the root.
pub fn normalize(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}
