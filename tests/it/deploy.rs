//! From a built site to the portal (issue 12): what `gongkai --version` says, the checks on
//! `--base-url`, builds into a full or read-only place, precompressed files, and the preview of
//! an already-built `public/` (`gongkai serve --public`).

use std::process::Command;

/// `gongkai --version` names the version, the commit the binary was built from and the tantivy
/// version of the index format, so a publisher can say exactly what made a site.
#[test]
fn version_names_commit_and_tantivy() {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
    let tantivy = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"tantivy\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .unwrap()
        .trim_matches('"');
    assert!(
        text.starts_with(&format!("gongkai {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(text.contains(&format!("tantivy {tantivy}")), "{text}");
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success());
    match head {
        Some(h) => {
            let h = String::from_utf8(h.stdout).unwrap();
            assert!(
                text.contains(&format!("commit {}", h.trim())),
                "{text} vs HEAD {h}"
            );
        }
        None => assert!(text.contains("commit unknown"), "{text}"),
    }
}
