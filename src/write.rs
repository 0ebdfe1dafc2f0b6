//! Stage 6, write: `Vec<OutputFile>` → `public/`, atomically.
//!
//! The site is written to a hidden sibling folder, then swapped in with two renames, so a build
//! that fails — or is killed — leaves the previous `public/` exactly as it was (Zola's `clean`
//! deletes first; we do not). No other module writes the site.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context as _};
use rayon::prelude::*;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Marker file that says a folder was written by gongkai (and so may be replaced).
pub const MARKER: &str = ".gongkai-output";

/// Checks that an output path is a plain relative path (no `..`, no absolute part).
pub fn is_safe_relative(p: &str) -> bool {
    !p.is_empty()
        && Path::new(p)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Writes `files` as the new content of `output`, replacing it only when everything was written.
pub fn write_site(root: &Path, output: &Path, files: &[OutputFile]) -> anyhow::Result<()> {
    write_site_with(root, output, files, &|| {})
}

/// [`write_site`], calling `written()` after each file (progress bars).
pub fn write_site_with(
    root: &Path,
    output: &Path,
    files: &[OutputFile],
    written: &(dyn Fn() + Sync),
) -> anyhow::Result<()> {
    let output = if output.is_absolute() {
        output.to_path_buf()
    } else {
        std::env::current_dir()?.join(output)
    };
    let root_abs = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if let Ok(out_abs) = output.canonicalize() {
        if root_abs.starts_with(&out_abs) {
            bail!("拒绝写入 {}：输出目录包含站点根目录，替换它会删除源文件。请用 --output 指定单独的目录", output.display());
        }
        if out_abs.join(crate::load::CONTENT_DIR).is_dir()
            && out_abs.join(crate::config::FILE_NAME).is_file()
        {
            bail!(
                "拒绝写入 {}：那是一个站点的源目录，不是输出目录",
                output.display()
            );
        }
        let non_empty = std::fs::read_dir(&out_abs)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false);
        if non_empty && !out_abs.join(MARKER).exists() {
            bail!(
                "拒绝替换 {}：该目录不是 gongkai 生成的（没有 {MARKER} 标记文件）。请删除它或用 --output 指定其他目录",
                output.display()
            );
        }
    }
    let parent = output
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&parent).with_context(|| format!("无法创建 {}", parent.display()))?;
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.staging-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    let _ = std::fs::remove_dir_all(&staging);
    // What the previous build wrote (path → content hash): unchanged files are hard-linked from
    // the current output instead of written again, which on a slow disk is most of the cost.
    let manifest_path = parent.join(format!(".{name}.manifest"));
    let previous = if output.join(MARKER).exists() {
        read_manifest(&manifest_path)
    } else {
        HashMap::new()
    };
    let hashes: Vec<u64> = files.par_iter().map(|f| content_hash(&f.bytes)).collect();
    let reuse = Reuse {
        output: &output,
        previous: &previous,
        hashes: &hashes,
    };
    let result = write_all(&staging, files, &reuse, written);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let had_old = output.exists();
    if had_old {
        std::fs::rename(&output, &old)
            .with_context(|| format!("无法移开旧的 {}", output.display()))?;
    }
    if let Err(e) = std::fs::rename(&staging, &output) {
        if had_old {
            let _ = std::fs::rename(&old, &output);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e).with_context(|| format!("无法把新站点移到 {}", output.display()));
    }
    let manifest: String = files
        .iter()
        .zip(&hashes)
        .map(|(f, h)| format!("{h:016x}\t{}\n", f.path))
        .collect();
    let _ = std::fs::write(&manifest_path, manifest);
    if had_old {
        remove_in_background(&old);
    }
    Ok(())
}

/// Deletes the replaced site without making the build wait for it: on Unix a detached `rm -rf`
/// (the new site is already in place, so nothing depends on it); elsewhere, or if that cannot
/// start, right here.
fn remove_in_background(old: &Path) {
    #[cfg(unix)]
    {
        let spawned = std::process::Command::new("rm")
            .arg("-rf")
            .arg(old)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if spawned.is_ok() {
            return;
        }
    }
    let _ = std::fs::remove_dir_all(old);
}

/// A stable 64-bit hash of a file's content.
fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn read_manifest(path: &Path) -> HashMap<String, u64> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (h, p) = l.split_once('\t')?;
            Some((p.to_string(), u64::from_str_radix(h, 16).ok()?))
        })
        .collect()
}

/// The previous output, for hard-linking unchanged files.
struct Reuse<'a> {
    output: &'a Path,
    previous: &'a HashMap<String, u64>,
    hashes: &'a [u64],
}

fn write_all(
    staging: &Path,
    files: &[OutputFile],
    reuse: &Reuse,
    written: &(dyn Fn() + Sync),
) -> anyhow::Result<()> {
    std::fs::create_dir_all(staging).with_context(|| format!("无法创建 {}", staging.display()))?;
    for f in files {
        if !is_safe_relative(&f.path) {
            bail!("内部错误：输出路径 “{}” 不安全", f.path);
        }
    }
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| staging.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d).with_context(|| format!("无法创建 {}", d.display()))?;
    }
    files.par_iter().zip(reuse.hashes).try_for_each(|(f, h)| {
        let p = staging.join(&f.path);
        let same = reuse.previous.get(&f.path) == Some(h);
        if !(same && std::fs::hard_link(reuse.output.join(&f.path), &p).is_ok()) {
            std::fs::write(&p, &f.bytes).with_context(|| format!("无法写入 {}", p.display()))?;
        }
        written();
        Ok::<(), anyhow::Error>(())
    })?;
    std::fs::write(staging.join(MARKER), b"")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_traversal_paths() {
        assert!(is_safe_relative("a/b.html"));
        assert!(!is_safe_relative("../a"));
        assert!(!is_safe_relative("/etc/passwd"));
        assert!(!is_safe_relative(""));
    }
}
