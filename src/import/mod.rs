//! `gongkai import`: documents from the office's real files.
//!
//! A Word 公文 (`.docx`) becomes one Markdown document with its header filled in from the 公文
//! itself: [`sniff`] refuses what is not a `.docx` (old `.doc`/`.wps`, encrypted files) with a
//! message that says what to do; [`docx`] reads the paragraphs and tables; [`gongwen`] finds the
//! 公文's parts by place and layout; [`body`] writes the 正文 as Markdown; [`header`] writes the
//! front-matter; [`output`] writes the files so that nothing half-written is ever left in
//! `content/`. [`catalogue`] imports a whole existing column from the old CMS's catalogue.

pub mod batch;
pub mod body;
pub mod catalogue;
pub mod docx;
pub mod gongwen;
pub mod header;
pub mod html;
pub mod output;
pub mod patterns;
pub mod sniff;
pub mod standard;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use self::body::Counts;
use self::gongwen::Gongwen;

/// Pictures up to this size stay in the body; larger ones become attachments (a web page
/// should not load tens of megabytes inline).
pub const MAX_INLINE_IMAGE: u64 = 5 << 20;

/// A file that could not be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The file as given.
    pub file: PathBuf,
    /// What is wrong and what to do, Chinese first.
    pub message: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}：{}", self.file.display(), self.message)
    }
}

impl std::error::Error for ImportError {}

/// Where a file to copy in comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetSource {
    /// A part of the `.docx` (a picture), streamed out when written.
    Part {
        /// The `.docx`.
        docx: PathBuf,
        /// The part's name in the zip.
        part: String,
    },
    /// A file on disk (an attachment beside the `.docx`).
    File(PathBuf),
}

/// A file copied into the document's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Its file name in the folder.
    pub name: String,
    /// Where it comes from.
    pub source: AssetSource,
    /// Its size in bytes.
    pub size: u64,
}

/// One `.docx`, read and converted, ready to be written.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The `.docx`.
    pub source: PathBuf,
    /// The 公文's parts.
    pub gongwen: Gongwen,
    /// The body as Markdown.
    pub body: String,
    /// What the body holds.
    pub counts: Counts,
    /// 施行日期 found in the body (`自2022年7月1日起施行`), for 规章 and 规范性文件.
    pub effective: Option<NaiveDate>,
    /// The folder (relative to the Markdown file) that holds its pictures and attachments.
    pub asset_dir: String,
    /// Files to copy into that folder.
    pub assets: Vec<Asset>,
    /// The `attachments:` entries: path relative to the Markdown file, link text.
    pub attachments: Vec<(String, String)>,
    /// 附件说明 entries with no file beside the `.docx`.
    pub missing: Vec<String>,
    /// Things the editor should know (Chinese).
    pub notes: Vec<String>,
}

/// Reads `path`. `asset_dir` names the folder, beside the Markdown file, that will hold its
/// pictures and attachments. Never panics: an internal failure becomes an [`ImportError`].
pub fn read(path: &Path, asset_dir: &str) -> Result<Imported, ImportError> {
    let err = |message: String| ImportError {
        file: path.to_path_buf(),
        message,
    };
    let format = sniff::sniff(path).map_err(|e| {
        err(format!(
            "无法打开文件：{}（{e}）。请确认文件存在且有读取权限 (cannot open the file)",
            crate::diag::io_reason(&e)
        ))
    })?;
    if let Some(m) = sniff::refusal(format, path) {
        return Err(err(m));
    }
    let owned = path.to_path_buf();
    let asset_dir = asset_dir.to_string();
    std::panic::catch_unwind(move || read_docx(&owned, &asset_dir))
        .unwrap_or_else(|_| {
            Err("读取时发生内部错误（程序缺陷）。请把这个文件发给 gongkai 的维护人员；可先用 Word/WPS 另存为新的 .docx 再试 (internal error while reading)".to_string())
        })
        .map_err(err)
}

fn read_docx(path: &Path, asset_dir: &str) -> Result<Imported, String> {
    let file = std::fs::File::open(path)
        .map_err(|e| format!("无法打开文件：{} ({e})", crate::diag::io_reason(&e)))?;
    let doc = docx::read(std::io::BufReader::new(file)).map_err(|e| e.to_string())?;
    let has_text = doc.blocks.iter().any(|b| match b {
        docx::Block::Para(p) => !p.text().trim().is_empty(),
        docx::Block::Table(t) => !t.text().trim().is_empty(),
    });
    if !has_text {
        return Err(if doc.media.is_empty() {
            "文档中没有任何文字，无法导入。请确认选对了文件 (the document has no text)".into()
        } else {
            format!("文档中只有 {} 张图片、没有文字（可能是扫描件），无法提取字段和正文。请向来文单位索取可编辑的 .docx，或用 gongkai new 手工录入 (pictures only: probably a scan)", doc.media.len())
        });
    }
    let g = gongwen::extract(&doc.blocks);
    let mut notes = Vec::new();
    let mut assets: Vec<Asset> = Vec::new();
    let mut attachments = Vec::new();

    // Pictures: small ones stay in the body, large ones become attachments.
    let mut links: Vec<Option<(String, String)>> = Vec::new();
    for (k, m) in doc.media.iter().enumerate() {
        let ext = Path::new(&m.part)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_else(|| "bin".into());
        let name = format!("图{}.{ext}", k + 1);
        let alt = if m.alt.is_empty() {
            format!("图{}", k + 1)
        } else {
            m.alt.clone()
        };
        assets.push(Asset {
            name: name.clone(),
            source: AssetSource::Part {
                docx: path.to_path_buf(),
                part: m.part.clone(),
            },
            size: m.size,
        });
        let rel = format!("{asset_dir}/{name}");
        if m.size > MAX_INLINE_IMAGE {
            notes.push(format!(
                "图片“{alt}”有 {:.1} MB，太大，不宜放在正文中：已作为附件（{rel}），请压缩后再放回正文",
                m.size as f64 / 1048576.0
            ));
            attachments.push((rel, format!("{alt}（原文图片）")));
            links.push(None);
        } else {
            if m.alt.is_empty() {
                notes.push(format!(
                    "图片 {rel} 没有替代文字：请在正文中把 ![{alt}] 改为说明图片内容的文字"
                ));
            }
            links.push(Some((alt, rel)));
        }
    }
    let (md, counts) = body::to_markdown(
        &doc.blocks,
        &g.body,
        &|m| links.get(m).cloned().flatten(),
        &doc.notes,
    );

    notes.extend(unseen_notes(&doc, &counts));

    // Attachments named in the 附件说明, found beside the .docx.
    let mut missing = Vec::new();
    let beside = files_beside(path);
    for a in &g.attachments {
        let label = match a.number {
            Some(n) => format!("附件{n}：{}", a.title),
            None => a.title.clone(),
        };
        if let Some(f) = match_attachment(&beside, a.number, &a.title, g.attachments.len()) {
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if assets.iter().any(|x| x.name == name) {
                continue;
            }
            let size = std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
            assets.push(Asset {
                name: name.clone(),
                source: AssetSource::File(f),
                size,
            });
            attachments.push((format!("{asset_dir}/{name}"), label));
        } else if a.inside {
            notes.push(format!("{label} 的内容在公文正文之后，已保留在正文中"));
        } else {
            missing.push(label);
        }
    }
    if let Some(c) = &g.classification {
        notes.push(format!(
            "公文标有密级“{c}”：涉密文件不得公开，审查会阻止发布 (classified: must not be published)"
        ));
    }
    let effective = find_effective(&md);
    Ok(Imported {
        source: path.to_path_buf(),
        gongwen: g,
        body: md,
        counts,
        effective,
        asset_dir: asset_dir.to_string(),
        assets,
        attachments,
        missing,
        notes,
    })
}

/// What the editor should know about the text Word holds but the body does not show as it
/// stands: hidden text, pending tracked changes, comments, notes outside the 正文.
fn unseen_notes(doc: &docx::Docx, counts: &Counts) -> Vec<String> {
    let u = doc.unseen;
    // (how many, what to say: `{}` is the number)
    let told: [(usize, &str); 5] = [
        (u.hidden_chars, "文件中有 {} 字隐藏文字（Word“隐藏”格式，屏幕和打印都不显示），没有导入。如果这些文字应当公开，请在 Word 中取消隐藏后重新导入 (hidden text left out)"),
        (u.revisions, "文件中有 {} 处修订尚未接受或拒绝：导入的是接受全部修订后的文字，删除的文字没有导入。请核对正文，或在 Word 中处理完修订（审阅 → 接受/拒绝）后重新导入 (pending tracked changes: imported as if all were accepted)"),
        (u.symbols, "文件中有 {} 个用符号字体（如 Wingdings）插入的符号无法转换为文字，已略去，请对照原文补上（可直接输入 □ ☑ 等字符）(symbols without a Unicode equivalent left out)"),
        (u.formulas, "文件中有 {} 个公式，已写成一行文字（如 a/b、x²、√(…)），请对照原文核对 (equations written out as text)"),
        (u.comments, "文件中有 {} 条批注，批注没有导入 (comments are not imported)"),
    ];
    let mut notes: Vec<String> = told
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, text)| text.replacen("{}", &n.to_string(), 1))
        .collect();
    for part in &doc.damaged {
        notes.push(format!(
            "文件内部的 {part}（脚注、尾注或批注）已损坏，无法读取，其中的内容没有导入。请对照原文核对；或用 Word/WPS 打开、另存为新的 .docx 后重新导入 (a damaged part was left out)"
        ));
    }
    if doc.notes.len() > counts.notes {
        notes.push(format!(
            "有 {} 条脚注或尾注不在正文中（在版头或版记里），没有导入，请核对 (notes outside the body left out)",
            doc.notes.len() - counts.notes
        ));
    }
    notes
}

/// `自2022年7月1日起施行` in the body.
fn find_effective(md: &str) -> Option<NaiveDate> {
    let at = md.find("起施行")?;
    let before = &md[..at];
    let start = before.rfind('自')?;
    patterns::parse_date(&before[start + '自'.len_utf8()..])
}

/// Files in the `.docx`'s folder, sorted, except `.docx` files being the document itself and
/// editors' lock files.
fn files_beside(docx: &Path) -> Vec<PathBuf> {
    let dir = docx
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .filter(|p| {
                    let n = p
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    !n.starts_with("~$") && !n.starts_with('.')
                })
                .filter(|p| p.file_name() != docx.file_name())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Letters, digits and Han characters only: names are compared without punctuation, quotes,
/// book-title marks or spaces.
fn normalise(s: &str) -> String {
    patterns::ascii_digits(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The file that is the attachment `number`/`title`: one whose name contains the title, else
/// one named `附件N…` (or `附件…` when there is only one attachment).
fn match_attachment(
    files: &[PathBuf],
    number: Option<u32>,
    title: &str,
    count: usize,
) -> Option<PathBuf> {
    let want = normalise(title);
    let stem = |p: &PathBuf| {
        p.file_stem()
            .map(|s| normalise(&s.to_string_lossy()))
            .unwrap_or_default()
    };
    if !want.is_empty() {
        if let Some(f) = files.iter().find(|f| stem(f).contains(&want)) {
            return Some(f.clone());
        }
    }
    files
        .iter()
        .find(|f| {
            let s = stem(f);
            let Some(rest) = s.strip_prefix("附件") else {
                return false;
            };
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            match number {
                Some(n) => digits.parse::<u32>().ok() == Some(n),
                None => count == 1 && digits.is_empty(),
            }
        })
        .cloned()
}

/// A file name for the document made from the `.docx`'s name: characters that file systems or
/// URLs dislike replaced, never hidden (`.`), never a column page (`_index`).
pub fn file_stem(docx: &Path) -> String {
    let raw = docx
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut s: String = raw
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|#%".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    s = s
        .trim_matches(|c: char| c.is_whitespace() || c == '.')
        .to_string();
    if s.is_empty() || s.starts_with(['.', '#', '~']) || s == "_index" {
        s = format!("导入-{s}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_attachments_by_title_or_number() {
        let files: Vec<PathBuf> = [
            "附件1.pdf",
            "附件2-任务分工表.xlsx",
            "承德市2022年政务公开工作要点.docx",
            "附件.doc",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(
            match_attachment(&files, Some(3), "《承德市2022年政务公开工作要点》", 3),
            Some(PathBuf::from("承德市2022年政务公开工作要点.docx"))
        );
        assert_eq!(
            match_attachment(&files, Some(1), "某某名单", 3),
            Some(PathBuf::from("附件1.pdf"))
        );
        assert_eq!(
            match_attachment(&files, Some(2), "另一个名字", 3),
            Some(PathBuf::from("附件2-任务分工表.xlsx"))
        );
        assert_eq!(match_attachment(&files, Some(4), "缺失的附件", 4), None);
        assert_eq!(
            match_attachment(&files, None, "唯一附件", 1),
            Some(PathBuf::from("附件.doc"))
        );
    }

    #[test]
    fn stems_are_safe_file_names() {
        assert_eq!(
            file_stem(Path::new("/x/承市政办字〔2022〕44号.docx")),
            "承市政办字〔2022〕44号"
        );
        assert_eq!(file_stem(Path::new("a:b?.docx")), "a_b_");
        assert_eq!(file_stem(Path::new(".hidden.docx")), "hidden");
        assert_eq!(file_stem(Path::new("_index.docx")), "导入-_index");
    }

    #[test]
    fn finds_the_date_of_effect() {
        assert_eq!(
            find_effective("本办法自2022年7月1日起施行。"),
            NaiveDate::from_ymd_opt(2022, 7, 1)
        );
        assert_eq!(find_effective("本办法自发布之日起施行。"), None);
    }
}
