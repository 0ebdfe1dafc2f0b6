//! Stage 6, write: output files → `public/`, atomically. `build` streams its pages into a
//! [`Staging`] folder as they are rendered, then the other outputs, then commits.
//!
//! The site is written to a hidden sibling folder (`.public.staging-PID`), flushed to disk, then
//! swapped in with one atomic exchange (`renameat2(RENAME_EXCHANGE)` on Linux), so a web server
//! never sees the folder missing and a build that fails — or is killed at any moment — leaves
//! either the previous site or the new one, whole (Zola's `clean` deletes first; we do not).
//! Where the exchange is not supported, two renames are used, with a short gap between them.
//!
//! Unchanged files are hard-linked from the current site instead of written again (on a slow
//! disk that is most of the cost). A file is reused only when its bytes equal the new ones, read
//! back from the disk: nothing about the previous site is trusted, so a build after a killed
//! build or a hand-edited `public/` writes exactly what a clean build writes.
//!
//! Leftovers of killed builds (`.public.staging-PID`, `.public.old-PID` whose process is gone)
//! are removed by the next build. No other module writes the site.

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

/// Refuses an output that is not a folder gongkai may replace.
fn check_output(root: &Path, output: &Path) -> anyhow::Result<()> {
    if let Ok(meta) = std::fs::metadata(output) {
        if !meta.is_dir() {
            bail!(
                "拒绝写入 {}：它是一个文件，不是目录。请用 --output 指定一个目录 (refusing to replace a file with the site; --output must name a folder)",
                output.display()
            );
        }
    }
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
    Ok(())
}

/// [`write_site`], calling `written()` after each file (progress bars).
pub fn write_site_with(
    root: &Path,
    output: &Path,
    files: &[OutputFile],
    written: &(dyn Fn() + Sync),
) -> anyhow::Result<()> {
    let staging = Staging::open(root, output)?;
    files.par_iter().try_for_each(|f| {
        staging.put(f)?;
        written();
        Ok::<(), anyhow::Error>(())
    })?;
    staging.commit()
}

/// A new site being written beside the output folder. Files can be put from many threads as
/// they are made (`build` streams its pages here instead of holding them all); nothing is
/// visible at the output until [`Staging::commit`]. Dropped without a commit, it removes what
/// it wrote and the output stays exactly as it was.
pub struct Staging {
    staging: PathBuf,
    output: PathBuf,
    parent: PathBuf,
    /// The current site, when it is gongkai's: unchanged files are hard-linked from it.
    reuse: Option<PathBuf>,
    /// Folders already made under `staging`.
    made: std::sync::Mutex<rustc_hash::FxHashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Checks that `output` may be replaced and starts a staging folder beside it.
    pub fn open(root: &Path, output: &Path) -> anyhow::Result<Staging> {
        let output = if output.is_absolute() {
            output.to_path_buf()
        } else {
            std::env::current_dir()?.join(output)
        };
        check_output(root, &output)?;
        let parent = output
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("无法创建 {}", parent.display()))?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        remove_leftovers(&parent, &name);
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir_all(&staging)
            .with_context(|| format!("无法创建 {}", staging.display()))?;
        let reuse = output.join(MARKER).exists().then(|| output.clone());
        Ok(Staging {
            staging,
            output,
            parent,
            reuse,
            made: Default::default(),
            committed: false,
        })
    }

    /// Writes one file into the new site (hard-linked from the current site when its bytes
    /// are the same).
    pub fn put(&self, f: &OutputFile) -> anyhow::Result<()> {
        if !is_safe_relative(&f.path) {
            bail!("内部错误：输出路径 “{}” 不安全", f.path);
        }
        let p = self.staging.join(&f.path);
        if let Some(dir) = p.parent() {
            let known = self.made.lock().expect("folder set").contains(dir);
            if !known {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("无法创建 {}", dir.display()))?;
                self.made
                    .lock()
                    .expect("folder set")
                    .insert(dir.to_path_buf());
            }
        }
        let linked = self.reuse.as_ref().is_some_and(|out| {
            let old = out.join(&f.path);
            same_content(&old, &f.bytes) && std::fs::hard_link(&old, &p).is_ok()
        });
        if !linked {
            std::fs::write(&p, &f.bytes).with_context(|| format!("无法写入 {}", p.display()))?;
        }
        Ok(())
    }

    /// Flushes the new site to disk and swaps it in at the output.
    pub fn commit(mut self) -> anyhow::Result<()> {
        std::fs::write(self.staging.join(MARKER), b"")?;
        sync_tree(&self.staging)?;
        // From here the staging folder is either the output or the old site being removed.
        self.committed = true;
        let result = match swap(&self.staging, &self.output) {
            Ok(Swapped::Exchanged) => {
                remove_in_background(&self.staging);
                Ok(())
            }
            Ok(Swapped::Renamed) => Ok(()),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&self.staging);
                Err(e)
            }
        };
        sync_dir(&self.parent);
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// How the new site took the output's place.
enum Swapped {
    /// Exchanged with the old site, which is now at the staging path.
    Exchanged,
    /// Renamed into place (there was no old site, or it was moved away and removed).
    Renamed,
}

/// Puts `staging` at `output`: one atomic exchange where the platform has it, else two renames
/// (the previous site is put back if the second fails).
fn swap(staging: &Path, output: &Path) -> anyhow::Result<Swapped> {
    if !output.exists() {
        std::fs::rename(staging, output)
            .with_context(|| format!("无法把新站点移到 {}", output.display()))?;
        return Ok(Swapped::Renamed);
    }
    if exchange(staging, output)? {
        return Ok(Swapped::Exchanged);
    }
    let old = staging.with_file_name(
        staging
            .file_name()
            .map(|n| n.to_string_lossy().replace(".staging-", ".old-"))
            .unwrap_or_else(|| ".public.old".into()),
    );
    std::fs::rename(output, &old).with_context(|| format!("无法移开旧的 {}", output.display()))?;
    if let Err(e) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&old, output);
        return Err(e).with_context(|| format!("无法把新站点移到 {}", output.display()));
    }
    remove_in_background(&old);
    Ok(Swapped::Renamed)
}

/// Atomically exchanges two paths; `Ok(false)` where the system or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> anyhow::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (ca, cb) = (
        CString::new(a.as_os_str().as_bytes())?,
        CString::new(b.as_os_str().as_bytes())?,
    );
    // SAFETY: two valid NUL-terminated paths; renameat2 reads them and changes nothing else.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::ENOSYS) | Some(libc::EINVAL) | Some(libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e).with_context(|| format!("无法用新站点替换 {}", b.display())),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> anyhow::Result<bool> {
    Ok(false)
}

/// Flushes the written site to the disk before it is swapped in, so a power cut cannot leave
/// a published folder of empty files. Linux: one `syncfs` for the file system; elsewhere the
/// operating system's own write-back is relied on.
fn sync_tree(dir: &Path) -> anyhow::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::io::AsRawFd;
        let f = std::fs::File::open(dir).with_context(|| format!("无法打开 {}", dir.display()))?;
        // SAFETY: a valid open descriptor; syncfs only flushes.
        if unsafe { libc::syncfs(f.as_raw_fd()) } != 0 {
            return Err(std::io::Error::last_os_error())
                .with_context(|| format!("无法把 {} 写入磁盘", dir.display()));
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = dir;
    Ok(())
}

/// Makes a rename in `dir` durable (Unix); best effort.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Removes `.NAME.staging-PID` and `.NAME.old-PID` folders in `parent` left by builds that
/// were killed (their process is gone). Folders of a running build are left alone.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.staging-"), format!(".{name}.old-")];
    for e in entries.filter_map(Result::ok) {
        let file_name = e.file_name().to_string_lossy().into_owned();
        let pid = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
            .and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid {
            if pid != std::process::id() && !process_alive(pid) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    // The manifest of earlier versions, kept beside the output.
    let _ = std::fs::remove_file(parent.join(format!(".{name}.manifest")));
}

/// Whether a process with this id exists. Where that cannot be known, it is assumed to.
fn process_alive(pid: u32) -> bool {
    let proc_dir = Path::new("/proc");
    if cfg!(target_os = "linux") && proc_dir.join("self").exists() {
        return proc_dir.join(pid.to_string()).exists();
    }
    true
}

/// Deletes the replaced site without making the build wait for it: on Unix a detached `rm -rf`
/// (the new site is already in place, so nothing depends on it); elsewhere, or if that cannot
/// start, right here. A removal cut short is finished by the next build (`remove_leftovers`).
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

/// True if the file at `old` holds exactly `bytes` (then it can be hard-linked, not written).
fn same_content(old: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(f) = std::fs::File::open(old) else {
        return false;
    };
    match f.metadata() {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {}
        _ => return false,
    }
    let mut buf = Vec::with_capacity(bytes.len() + 1);
    // One byte more than expected: a file that grew since the stat is not the same.
    f.take(bytes.len() as u64 + 1).read_to_end(&mut buf).is_ok() && buf == bytes
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
