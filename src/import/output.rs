//! Writes an imported document so that `content/` never holds half of one: its pictures and
//! attachments are copied into a hidden temporary folder (load ignores names starting with a
//! dot) that is then renamed into place, and the Markdown file is written to a hidden
//! temporary file and hard-linked to its name, which fails instead of overwriting. If any step
//! fails, what this document already put in place is removed again.
//!
//! Pictures are streamed out of the `.docx` with a size limit, so a 50 MB picture costs a copy
//! buffer, not 50 MB of memory.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use super::{Asset, AssetSource};

/// Largest file copied in (a picture inside a `.docx` cannot honestly be larger).
pub const MAX_ASSET: u64 = 2 << 30;

/// One document to write.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The Markdown file, relative to the root (`content/2022/x.md`).
    pub rel: PathBuf,
    /// Its whole text.
    pub text: String,
    /// Its folder of pictures and attachments, relative to the root.
    pub asset_dir: PathBuf,
    /// What goes into that folder.
    pub assets: Vec<Asset>,
}

/// Writes one document under `root`, all or nothing.
pub fn write(root: &Path, plan: &Planned) -> anyhow::Result<()> {
    let md = root.join(&plan.rel);
    if md.exists() {
        bail!(
            "{} 已存在；导入不会覆盖已有文件。请换一个目录（--to）或先改名 (the file exists)",
            plan.rel.display()
        );
    }
    let dir = md.parent().context("文件路径没有上级目录")?;
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    let assets_dir = root.join(&plan.asset_dir);
    let mut placed_assets = false;
    if !plan.assets.is_empty() {
        if assets_dir.exists() {
            bail!(
                "{} 已存在；导入不会覆盖已有文件 (the folder exists)",
                plan.asset_dir.display()
            );
        }
        let tmp = hidden_sibling(&assets_dir);
        let _ = std::fs::remove_dir_all(&tmp);
        let r = (|| {
            std::fs::create_dir_all(&tmp)?;
            for a in &plan.assets {
                copy_asset(a, &tmp.join(&a.name))?;
            }
            std::fs::rename(&tmp, &assets_dir)
                .with_context(|| format!("无法把附件移入 {}", assets_dir.display()))
        })();
        if let Err(e) = r {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
        placed_assets = true;
    }
    let tmp = hidden_sibling(&md);
    let r = (|| {
        let mut f =
            std::fs::File::create(&tmp).with_context(|| format!("无法写入 {}", tmp.display()))?;
        f.write_all(plan.text.as_bytes())?;
        f.sync_all()?;
        drop(f);
        // A hard link fails if the name exists: never overwrites, even in a race.
        std::fs::hard_link(&tmp, &md).with_context(|| format!("无法写入 {}", md.display()))
    })();
    let _ = std::fs::remove_file(&tmp);
    if let Err(e) = r {
        if placed_assets {
            let _ = std::fs::remove_dir_all(&assets_dir);
        }
        return Err(e);
    }
    Ok(())
}

/// `dir/name` → `dir/.name.gongkai-tmp`.
fn hidden_sibling(p: &Path) -> PathBuf {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    p.with_file_name(format!(".{name}.gongkai-tmp"))
}

fn copy_asset(a: &Asset, to: &Path) -> anyhow::Result<()> {
    let mut out =
        std::fs::File::create(to).with_context(|| format!("无法写入 {}", to.display()))?;
    let copied = match &a.source {
        AssetSource::File(from) => {
            let mut f = std::fs::File::open(from)
                .with_context(|| format!("无法读取附件 {}", from.display()))?;
            std::io::copy(&mut (&mut f).take(MAX_ASSET), &mut out)
                .with_context(|| format!("无法复制附件 {}", from.display()))?
        }
        AssetSource::Part { docx, part } => {
            let f = std::fs::File::open(docx)
                .with_context(|| format!("无法读取 {}", docx.display()))?;
            let mut zip = zip::ZipArchive::new(std::io::BufReader::new(f))
                .with_context(|| format!("{} 不是有效的 .docx", docx.display()))?;
            let mut entry = zip
                .by_name(part)
                .with_context(|| format!("{} 中没有 {part}", docx.display()))?;
            std::io::copy(&mut (&mut entry).take(MAX_ASSET), &mut out)
                .with_context(|| format!("无法从 {} 中取出 {part}", docx.display()))?
        }
    };
    if copied >= MAX_ASSET {
        bail!("{} 超过 {} 字节，未导入", a.name, MAX_ASSET);
    }
    out.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_overwrites_and_leaves_nothing_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let beside = root.join("att.pdf");
        std::fs::write(&beside, b"%PDF-1.4 x").unwrap();
        let plan = Planned {
            rel: "content/2022/a.md".into(),
            text: "---\ntitle: \"a\"\n---\n".into(),
            asset_dir: "content/2022/a".into(),
            assets: vec![Asset {
                name: "att.pdf".into(),
                source: AssetSource::File(beside.clone()),
                size: 10,
            }],
        };
        write(root, &plan).unwrap();
        assert_eq!(
            std::fs::read(root.join("content/2022/a/att.pdf")).unwrap(),
            b"%PDF-1.4 x"
        );
        // A second import of the same name is refused and changes nothing.
        let e = write(root, &plan).unwrap_err().to_string();
        assert!(e.contains("已存在"), "{e}");
        // A missing attachment source: the whole document is left out, no temp files remain.
        let broken = Planned {
            rel: "content/2022/b.md".into(),
            asset_dir: "content/2022/b".into(),
            assets: vec![Asset {
                name: "gone.pdf".into(),
                source: AssetSource::File(root.join("gone.pdf")),
                size: 1,
            }],
            ..plan.clone()
        };
        assert!(write(root, &broken).is_err());
        let left: Vec<String> = std::fs::read_dir(root.join("content/2022"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let mut left = left;
        left.sort();
        assert_eq!(left, ["a", "a.md"]);
    }
}
