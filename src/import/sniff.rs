//! What kind of file an editor handed us, from its first bytes, not its name: OA systems name
//! files freely, and a `.doc` may really be a `.docx`, a web page or an old binary file.
//!
//! Old Word 97-2003 (`.doc`) and WPS (`.wps`) files, and password-protected `.docx` files, are
//! all OLE2 compound files (magic `D0 CF 11 E0 A1 B1 1A E1`). They are told apart by the names of
//! their streams, which the compound file's directory stores in UTF-16LE: `EncryptedPackage` for
//! an encrypted Office file, `WordDocument` for Word/WPS text. The file is scanned in chunks, so
//! a large file costs no more memory than a small one.

use std::io::Read;
use std::path::Path;

/// What the bytes say the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A zip archive (a `.docx`, if it holds `word/document.xml`).
    Zip,
    /// OLE2 with an `EncryptedPackage` stream: a password-protected Office file.
    Encrypted,
    /// OLE2 with a `WordDocument` stream: Word 97-2003 `.doc` or WPS `.wps`.
    LegacyWord,
    /// Another OLE2 file (an old `.xls`, `.et`, `.ppt` …).
    LegacyOther,
    /// Rich Text Format.
    Rtf,
    /// PDF.
    Pdf,
    /// HTML or MHT saved with a Word extension (some OA systems do this).
    WebPage,
    /// Zero bytes.
    Empty,
    /// Anything else.
    Unknown,
}

const OLE2: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads the start of `path` (and, for OLE2 files, scans the rest in chunks).
pub fn sniff(path: &Path) -> std::io::Result<Format> {
    let mut f = std::fs::File::open(path)?;
    let mut head = [0u8; 512];
    let n = read_up_to(&mut f, &mut head)?;
    let head = &head[..n];
    if n == 0 {
        return Ok(Format::Empty);
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Ok(Format::Zip);
    }
    if head.starts_with(&OLE2) {
        return ole2_kind(head, f);
    }
    if head.starts_with(b"{\\rtf") {
        return Ok(Format::Rtf);
    }
    if head.starts_with(b"%PDF") {
        return Ok(Format::Pdf);
    }
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with("mime-version")
        || text.starts_with("<html")
        || text.starts_with("<!doctype html")
        || (text.starts_with("<?xml") && text.contains("<html"))
    {
        return Ok(Format::WebPage);
    }
    Ok(Format::Unknown)
}

fn read_up_to(f: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

/// Scans an OLE2 file's bytes for the stream names that tell its kind.
fn ole2_kind(head: &[u8], mut rest: impl Read) -> std::io::Result<Format> {
    let encrypted = utf16("EncryptedPackage");
    let word = utf16("WordDocument");
    let keep = encrypted.len().max(word.len());
    let mut window: Vec<u8> = head.to_vec();
    let mut chunk = vec![0u8; 1 << 20];
    let mut found_word = false;
    loop {
        if contains(&window, &encrypted) {
            return Ok(Format::Encrypted);
        }
        found_word |= contains(&window, &word);
        let n = rest.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        let tail = window.len().saturating_sub(keep);
        window.drain(..tail);
        window.extend_from_slice(&chunk[..n]);
    }
    Ok(if found_word {
        Format::LegacyWord
    } else {
        Format::LegacyOther
    })
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The message for a file that is not a `.docx`, or `None` for a zip. Chinese first, then
/// English; the caller puts the file name in front.
pub fn refusal(format: Format, path: &Path) -> Option<String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    Some(match format {
        Format::Zip => return None,
        Format::Empty => "文件是空的（0 字节）。请从 OA 系统重新导出这份文件 (the file is empty)".into(),
        Format::Encrypted => "文件设置了打开密码（加密），无法读取。请在 Word/WPS 中打开，删除密码（文件 → 信息 → 保护文档 → 用密码进行加密，清空后确定）后另存为 .docx 再导入 (password-protected file: remove the password and save as .docx)".into(),
        Format::LegacyWord => format!(
            "这是旧版二进制格式的{}文件，gongkai 只能读取 .docx。请用 Word 或 WPS 打开它，选择“另存为”→“Word 文档（*.docx）”，再导入新文件 (old binary {} file: save it as .docx)",
            if ext == "wps" { " WPS 文字（.wps）" } else { " Word 97-2003（.doc）或 WPS（.wps）" },
            if ext == "wps" { "WPS" } else { "Word 97-2003/WPS" }
        ),
        Format::LegacyOther => "这是旧版 Office 二进制文件（如 .xls、.et、.ppt），不是 Word 文档。请导入公文的 .docx 文件 (old binary Office file, not a Word document)".into(),
        Format::Rtf => "这是 RTF 格式文件。请用 Word 或 WPS 打开，另存为“Word 文档（*.docx）”后再导入 (RTF file: save it as .docx)".into(),
        Format::Pdf => "这是 PDF 文件，无法可靠地提取公文字段和正文。请向来文单位索取 .docx 文件，或用 gongkai new 手工录入并把 PDF 作为附件 (PDF: ask for the .docx)".into(),
        Format::WebPage => "这个文件实际是网页（HTML/MHT）格式，只是扩展名像 Word。请用 Word 打开，另存为“Word 文档（*.docx）”后再导入 (a web page with a Word extension: save it as .docx)".into(),
        Format::Unknown => "无法识别的文件格式（不是 .docx）。请用 Word 或 WPS 打开后另存为“Word 文档（*.docx）”再导入 (unknown format: not a .docx)".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff_bytes(bytes: &[u8], name: &str) -> Format {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        sniff(&p).unwrap()
    }

    fn ole2_with(stream: &str, pad: usize) -> Vec<u8> {
        let mut b = OLE2.to_vec();
        b.resize(pad, 0);
        b.extend(utf16(stream));
        b.resize(pad + 4096, 0);
        b
    }

    #[test]
    fn tells_old_word_from_encrypted_files_wherever_the_directory_lies() {
        assert_eq!(
            sniff_bytes(&ole2_with("WordDocument", 600), "a.doc"),
            Format::LegacyWord
        );
        // A directory sector beyond the first read chunk (and straddling a chunk boundary).
        assert_eq!(
            sniff_bytes(&ole2_with("EncryptedPackage", (1 << 20) + 505), "a.docx"),
            Format::Encrypted
        );
        assert_eq!(
            sniff_bytes(&ole2_with("Workbook", 600), "a.xls"),
            Format::LegacyOther
        );
    }

    #[test]
    fn recognises_other_formats_by_their_first_bytes() {
        assert_eq!(sniff_bytes(b"PK\x03\x04rest", "a.docx"), Format::Zip);
        assert_eq!(sniff_bytes(b"", "a.docx"), Format::Empty);
        assert_eq!(sniff_bytes(b"{\\rtf1\\ansi", "a.doc"), Format::Rtf);
        assert_eq!(sniff_bytes(b"%PDF-1.7", "a.docx"), Format::Pdf);
        assert_eq!(
            sniff_bytes(
                b"MIME-Version: 1.0\r\nContent-Type: multipart/related",
                "a.doc"
            ),
            Format::WebPage
        );
        assert_eq!(sniff_bytes(b"<html><body>x", "a.doc"), Format::WebPage);
        assert_eq!(sniff_bytes(b"hello", "a.docx"), Format::Unknown);
    }

    #[test]
    fn the_wps_message_names_wps() {
        let m = refusal(Format::LegacyWord, Path::new("x.wps")).unwrap();
        assert!(
            m.contains("WPS 文字（.wps）") && m.contains("另存为"),
            "{m}"
        );
        let m = refusal(Format::LegacyWord, Path::new("x.doc")).unwrap();
        assert!(m.contains("Word 97-2003（.doc）"), "{m}");
    }
}
