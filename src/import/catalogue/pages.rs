//! The folder of saved pages: finding a row's page, and reading it (a saved `.html` for its main
//! text, a `.docx` as a Word 公文, anything else as the document's attachment).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::super::body;
use super::super::docx::Block;
use super::super::{Asset, AssetSource};
use super::Entry;

/// The saved pages, by lower-cased file name and by path relative to the folder.
pub struct Pages {
    dir: PathBuf,
    by_name: BTreeMap<String, Vec<PathBuf>>,
    by_path: BTreeSet<String>,
}

impl Pages {
    /// Lists `dir`.
    pub fn scan(dir: &Path) -> Pages {
        let mut by_name: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
        let mut by_path = BTreeSet::new();
        for e in walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf();
            by_name
                .entry(e.file_name().to_string_lossy().to_lowercase())
                .or_default()
                .push(rel.clone());
            by_path.insert(rel.to_string_lossy().replace('\\', "/").to_lowercase());
        }
        Pages {
            dir: dir.to_path_buf(),
            by_name,
            by_path,
        }
    }

    fn unique(&self, name: &str) -> Option<PathBuf> {
        match self.by_name.get(&name.to_lowercase()) {
            Some(v) if v.len() == 1 => Some(self.dir.join(&v[0])),
            _ => None,
        }
    }

    /// The page of an entry.
    pub fn find(&self, e: &Entry) -> Option<PathBuf> {
        if let Some(p) = &e.page {
            let direct = self.dir.join(p);
            if direct.is_file() {
                return Some(direct);
            }
            if let Some(f) = self.unique(p.rsplit(['/', '\\']).next().unwrap_or(p)) {
                return Some(f);
            }
        }
        if let Some(url) = &e.url {
            let path = url
                .split_once("://")
                .map(|(_, r)| r.split_once('/').map(|(_, p)| p).unwrap_or(""))
                .unwrap_or(url)
                .split(['?', '#'])
                .next()
                .unwrap_or("");
            let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            for k in 0..segments.len() {
                let tail = segments[k..].join("/").to_lowercase();
                if self.by_path.contains(&tail) {
                    return Some(self.dir.join(segments[k..].join("/")));
                }
            }
            if let Some(f) = segments.last().and_then(|n| self.unique(n)) {
                return Some(f);
            }
        }
        let stems: Vec<String> = ["index_no", "title"]
            .iter()
            .filter_map(|k| e.fields.get(k))
            .map(|v| v.replace(['/', '\\'], "-"))
            .collect();
        for stem in stems {
            for ext in ["html", "htm", "shtml", "docx", "pdf"] {
                if let Some(f) = self.unique(&format!("{stem}.{ext}")) {
                    return Some(f);
                }
            }
        }
        None
    }
}

/// The body of a page and what it gives besides.
pub(super) struct PageText {
    pub(super) body: String,
    pub(super) gongwen: crate::import::gongwen::Gongwen,
    pub(super) assets: Vec<Asset>,
    pub(super) attachments: Vec<(String, String)>,
}

/// Reads a page: `.docx` as a Word 公文, `.html` for its main text, anything else (a PDF) as
/// the document's attachment.
pub(super) fn read_page(
    page: &Path,
    url: Option<&str>,
    asset_dir: &str,
    title: &str,
) -> Result<PageText, String> {
    let ext = page
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "docx" | "doc" | "wps" => {
            let imp = crate::import::read(page, asset_dir).map_err(|e| e.message)?;
            Ok(PageText {
                body: imp.body,
                gongwen: imp.gongwen,
                assets: imp.assets,
                attachments: imp.attachments,
            })
        }
        "html" | "htm" | "shtml" | "shtm" | "xhtml" | "jsp" | "aspx" | "php" => {
            let bytes = std::fs::read(page).map_err(|e| format!("无法读取：{e}"))?;
            let html = crate::import::html::decode(&bytes);
            let (blocks, images) = crate::import::html::main_text(&html, url);
            if blocks.is_empty() {
                return Err("页面中没有找到正文 (no main text in the page)".into());
            }
            let g = crate::import::gongwen::extract(&blocks);
            // The title repeated at the top of the text is the header's, not the body's.
            let same = |b: &Block| {
                crate::import::patterns::compact(&match b {
                    Block::Para(p) => p.text(),
                    Block::Table(t) => t.text(),
                }) == crate::import::patterns::compact(title)
            };
            let indices: Vec<usize> = g
                .body
                .iter()
                .copied()
                .enumerate()
                .filter(|&(k, i)| !(k == 0 && same(&blocks[i])))
                .map(|(_, i)| i)
                .collect();
            let link = |m: usize| {
                images.get(m).map(|(src, alt)| {
                    (
                        if alt.trim().is_empty() {
                            format!("图{}", m + 1)
                        } else {
                            alt.clone()
                        },
                        src.clone(),
                    )
                })
            };
            let (md, _) = body::to_markdown(&blocks, &indices, &link, &[]);
            Ok(PageText {
                body: md,
                gongwen: g,
                assets: vec![],
                attachments: vec![],
            })
        }
        _ => {
            let name = page
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let size = std::fs::metadata(page).map(|m| m.len()).unwrap_or(0);
            Ok(PageText {
                body: "全文见附件。\n".into(),
                gongwen: Default::default(),
                assets: vec![Asset {
                    name: name.clone(),
                    source: AssetSource::File(page.to_path_buf()),
                    size,
                }],
                attachments: vec![(format!("{asset_dir}/{name}"), title.to_string())],
            })
        }
    }
}
