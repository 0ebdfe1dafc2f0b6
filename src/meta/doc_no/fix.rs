//! The only auto-fix SPEC §3.5 offers: a year in the wrong brackets becomes 〔YYYY〕
//! (`gongkai check --fix`).

use std::ops::Range;

use super::{ascii_digit, is_plausible_year, LENIENT};

/// Rewrites a wrong bracket pair around a four-digit 19xx/20xx year to `〔YYYY〕`
/// (full-width digits inside the brackets become ASCII too). Nothing else changes.
///
/// Returns `None` when the brackets are already 〔〕 or when the year would still be
/// wrong after the fix (`[22]`: the century is not guessed).
pub fn fix_brackets(s: &str) -> Option<String> {
    let caps = LENIENT.captures(s)?;
    let (open, close, year) = (caps.name("open")?, caps.name("close")?, caps.name("byear")?);
    if open.as_str() == "〔" && close.as_str() == "〕" {
        return None;
    }
    let year: String = year.as_str().chars().filter_map(ascii_digit).collect();
    if !is_plausible_year(&year) {
        return None;
    }
    let mut out = String::with_capacity(s.len() + 4);
    out.push_str(&s[..open.start()]);
    out.push('〔');
    out.push_str(&year);
    out.push('〕');
    out.push_str(&s[close.end()..]);
    Some(out)
}

/// Applies [`fix_brackets`] to the `doc_no` value at `value_range` (byte offsets) in a
/// whole file, for `gongkai check --fix`. Every other byte of the file is kept.
///
/// The range may include the YAML quotes (`"…"` or `'…'`); they are kept. Returns the new
/// file text, the old value and the new value (both without quotes), or `None` when the
/// range is not a valid slice of the text or there is nothing to fix.
pub fn fix_in_place(
    file_text: &str,
    value_range: Range<usize>,
) -> Option<(String, String, String)> {
    let raw = file_text.get(value_range.clone())?;
    let quoted = raw.len() >= 2
        && ((raw.starts_with('"') && raw.ends_with('"'))
            || (raw.starts_with('\'') && raw.ends_with('\'')));
    let inner_range = if quoted {
        value_range.start + 1..value_range.end - 1
    } else {
        value_range
    };
    let old = file_text.get(inner_range.clone())?;
    let new = fix_brackets(old)?;
    let mut text = String::with_capacity(file_text.len() + new.len());
    text.push_str(&file_text[..inner_range.start]);
    text.push_str(&new);
    text.push_str(&file_text[inner_range.end..]);
    Some((text, old.to_owned(), new))
}
