//! `gongkai check --fix`: mechanical repairs, applied to the file in place.
//!
//! Only the P06 bracket error is fixed (`[2022]`, `(2022)`, `（2022）`, `【2022】` → `〔2022〕`):
//! the value is unambiguous and the fix cannot change meaning. The file is edited as bytes —
//! BOM, line endings and every other byte stay as they were.

use std::path::{Path, PathBuf};

use crate::labels;

/// One change made to a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Edit {
    /// File, relative to the root.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// Value before.
    pub old: String,
    /// Value after.
    pub new: String,
}

/// Fixes the 文件编号 brackets of one file's text; returns the new text and the edit.
pub fn fix_text(rel: &Path, text: &str) -> Option<(String, Edit)> {
    let mut offset = 0;
    let mut in_front = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        let bare_no_bom = bare.trim_start_matches('\u{feff}');
        if bare_no_bom == "---" {
            if in_front {
                return None;
            }
            in_front = i == 0;
            offset += line.len();
            continue;
        }
        if in_front {
            if let Some(colon) = bare.find(':') {
                let key = bare[..colon].trim().trim_matches(|c| c == '"' || c == '\'');
                if labels::canonical_key(key) == Some("doc_no") {
                    let value = &bare[colon + 1..];
                    let lead = value.len() - value.trim_start().len();
                    let v = value.trim();
                    let start = offset + colon + 1 + lead;
                    if let Some((new_text, old, new)) =
                        crate::meta::doc_no::fix_in_place(text, start..start + v.len())
                    {
                        return Some((
                            new_text,
                            Edit {
                                file: rel.to_path_buf(),
                                line: i + 1,
                                old,
                                new,
                            },
                        ));
                    }
                    return None;
                }
            }
        }
        offset += line.len();
    }
    None
}

/// Applies the fixes to every given file under `root`; returns what changed, or the file
/// that could not be written and why.
pub fn fix_files(root: &Path, files: &[PathBuf]) -> Result<Vec<Edit>, (PathBuf, std::io::Error)> {
    let mut edits = Vec::new();
    for rel in files {
        let path = root.join(rel);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Some((new_text, edit)) = fix_text(rel, &text) {
            std::fs::write(&path, new_text).map_err(|e| (rel.clone(), e))?;
            edits.push(edit);
        }
    }
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_only_the_brackets_and_keeps_every_other_byte() {
        let text = "\u{feff}---\r\ntitle: \"通知\"\r\n文件编号: \"承市政办字[2022]44号\"\r\n---\r\n正文 [2022] 不动\r\n";
        let (new, e) = fix_text(Path::new("content/a.md"), text).unwrap();
        assert_eq!(
            new,
            text.replace("承市政办字[2022]44号", "承市政办字〔2022〕44号")
        );
        assert_eq!(
            (e.line, e.old.as_str(), e.new.as_str()),
            (3, "承市政办字[2022]44号", "承市政办字〔2022〕44号")
        );
    }

    #[test]
    fn leaves_correct_numbers_alone() {
        assert!(fix_text(Path::new("a.md"), "---\ndoc_no: 国发〔2019〕5号\n---\n").is_none());
        assert!(fix_text(Path::new("a.md"), "no front matter\ndoc_no: [2022]\n").is_none());
    }

    #[test]
    fn fixes_unquoted_full_width_parentheses() {
        let (new, _) = fix_text(
            Path::new("a.md"),
            "---\ndoc_no: 冀政办字（2021）12号\n---\n",
        )
        .unwrap();
        assert_eq!(new, "---\ndoc_no: 冀政办字〔2021〕12号\n---\n");
    }
}
