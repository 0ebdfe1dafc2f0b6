//! Builds the browser search engine from this repository's own source, so that `cargo build` is
//! the whole set-up: `search-wasm` is compiled for wasm32-unknown-unknown with the `wasm` profile
//! (see Cargo.toml) and the result is embedded by `src/search_assets.rs`.
//!
//! Why a nested cargo: the wasm must come from the very same `gongkai-search` source, tantivy
//! version and features as the index writer linked into this binary (a mismatch makes the index
//! unreadable in the browser). It runs with its own target directory (`target/wasm-build`) so it
//! does not wait on the outer build's lock, and with the getrandom flag spelled out here so that a
//! `RUSTFLAGS` in the environment cannot change the engine.
//!
//! `GONGKAI_WASM=/path/to/gongkai_search.wasm` skips the nested build and embeds that file instead
//! (for packagers who build the engine separately; it must come from the same source;
//! `scripts/release` builds it once for every platform).
//!
//! A fresh machine often has the pinned toolchain without the wasm target, and rustup does not
//! add it by itself there (`RUSTUP_AUTO_INSTALL=0`), so the target is checked first and, when
//! rustup manages the toolchain, added with `rustup target add`.
//!
//! It also records what `gongkai --version` prints: the git commit (`GONGKAI_COMMIT` overrides
//! it, "unknown" outside a git checkout) and the tantivy version from Cargo.lock.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The getrandom backend the engine needs on wasm32 (see search-wasm/src/wasm.rs).
const WASM_RUSTFLAGS: &str = "--cfg\u{1f}getrandom_backend=\"custom\"";

fn main() {
    let root =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for path in [
        "build.rs",
        "search-wasm/src",
        "search-wasm/Cargo.toml",
        "Cargo.lock",
        ".cargo/config.toml",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    println!("cargo:rerun-if-env-changed=GONGKAI_WASM");
    version_info(&root);

    let wasm = match env::var_os("GONGKAI_WASM") {
        Some(path) => PathBuf::from(path),
        None => {
            ensure_wasm_target();
            build_engine(&root)
        }
    };
    let dest = out_dir.join("gongkai-search.wasm");
    if let Err(e) = std::fs::copy(&wasm, &dest) {
        fail(&format!(
            "cannot copy the search engine {} to {}: {e}",
            wasm.display(),
            dest.display()
        ));
    }
}

fn build_engine(root: &Path) -> PathBuf {
    let target_dir = root.join("target").join("wasm-build");
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args([
            "build",
            "-p",
            "gongkai-search",
            "--lib",
            "--target",
            WASM_TARGET,
            "--profile",
            "wasm",
        ])
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("CARGO_ENCODED_RUSTFLAGS", WASM_RUSTFLAGS)
        // Settings of the outer build that must not leak into the engine build.
        .env_remove("RUSTFLAGS")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("CARGO_BUILD_RUSTFLAGS");
    for (key, _) in env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("CARGO_FEATURE_")
            || key.starts_with("CARGO_CFG_")
            || key.starts_with("CARGO_PROFILE_")
        {
            cmd.env_remove(key.as_ref());
        }
    }
    match cmd.status() {
        Ok(status) if status.success() => {}
        Ok(status) => fail(&format!(
            "构建浏览器检索引擎失败（{status}），原因见上方日志。\n\
             building the browser search engine failed ({status}); the log above says why."
        )),
        Err(e) => fail(&format!(
            "无法运行 cargo 来构建浏览器检索引擎: {e}\n\
             cannot run cargo to build the browser search engine: {e}"
        )),
    }
    target_dir
        .join(WASM_TARGET)
        .join("wasm")
        .join("gongkai_search.wasm")
}

/// Makes sure the toolchain that compiles this crate can build for wasm32: its standard library
/// for that target is in the sysroot, or is added now with rustup. Fails with what to do.
fn ensure_wasm_target() {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let sysroot = match Command::new(&rustc).args(["--print", "sysroot"]).output() {
        Ok(o) if o.status.success() => PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()),
        _ => return, // Let the engine build itself report what is wrong with rustc.
    };
    let installed = || {
        sysroot
            .join("lib")
            .join("rustlib")
            .join(WASM_TARGET)
            .join("lib")
            .is_dir()
    };
    if installed() {
        return;
    }
    // rustup's proxies tell the processes they start which toolchain is in use, whatever
    // selected it (rust-toolchain.toml, an override, +toolchain); failing that, rustup keeps
    // each toolchain in $RUSTUP_HOME/toolchains/<name>.
    let toolchain = env::var("RUSTUP_TOOLCHAIN").ok().or_else(|| {
        sysroot
            .parent()
            .filter(|p| p.file_name().is_some_and(|n| n == "toolchains"))
            .and_then(|_| sysroot.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    });
    let rustup_runs = Command::new("rustup")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let Some(toolchain) = toolchain.filter(|_| rustup_runs) else {
        fail(&format!(
            "这台电脑的 Rust 工具链（{}）缺少 {WASM_TARGET} 目标，浏览器检索引擎需要它，而这里没有 \
             rustup 可以安装。请用安装 Rust 的方式补上该目标（例如发行版的 rust-std 包），或设置 \
             GONGKAI_WASM=已构建好的 gongkai_search.wasm 的路径。\n\
             The Rust toolchain at {} lacks the {WASM_TARGET} target the browser search engine needs, \
             and there is no rustup to add it. Install the target the way Rust was installed, or set \
             GONGKAI_WASM to a built gongkai_search.wasm.",
            sysroot.display(),
            sysroot.display()
        ))
    };
    println!(
        "cargo:warning=正在安装 {WASM_TARGET} 目标（rustup target add {WASM_TARGET} --toolchain \
         {toolchain}）/ installing the {WASM_TARGET} target for the search engine"
    );
    // rustup's messages go to stderr: a build script's stdout is read by cargo.
    let status = Command::new("rustup")
        .args(["target", "add", WASM_TARGET, "--toolchain", &toolchain])
        .stdout(std::io::stderr())
        .status();
    if !(status.is_ok_and(|s| s.success()) && installed()) {
        fail(&format!(
            "无法安装 {WASM_TARGET} 目标（浏览器检索引擎需要它）。请检查网络后手动运行：\n\
             \x20   rustup target add {WASM_TARGET} --toolchain {toolchain}\n\
             cannot add the {WASM_TARGET} target the browser search engine needs; check the network \
             and run the command above."
        ));
    }
}

/// `gongkai --version`: the commit this binary was built from and the tantivy version (the index
/// format), as compile-time environment variables.
fn version_info(root: &Path) {
    println!("cargo:rerun-if-env-changed=GONGKAI_COMMIT");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let commit = match env::var("GONGKAI_COMMIT") {
        Ok(c) if !c.is_empty() => c,
        _ => match git(&["rev-parse", "--short=12", "HEAD"]) {
            Some(c) => {
                // Run again when HEAD moves (a commit, a checkout); the branch's ref may be
                // loose or packed.
                // (A missing file would make cargo run this script on every build.)
                let mut watched = vec!["HEAD".to_string(), "packed-refs".to_string()];
                watched.extend(git(&["symbolic-ref", "-q", "HEAD"]));
                for name in watched {
                    if let Some(p) = git(&["rev-parse", "--git-path", &name]) {
                        let p = root.join(p);
                        if p.is_file() {
                            println!("cargo:rerun-if-changed={}", p.display());
                        }
                    }
                }
                c
            }
            None => "unknown".into(),
        },
    };
    println!("cargo:rustc-env=GONGKAI_COMMIT={commit}");
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    let tantivy = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"tantivy\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=GONGKAI_TANTIVY={tantivy}");
    let target = env::var("TARGET").unwrap_or_default();
    println!("cargo:rustc-env=GONGKAI_TARGET={target}");
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
