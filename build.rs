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
//! (for packagers who build the engine separately; it must come from the same source).

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

    let wasm = match env::var_os("GONGKAI_WASM") {
        Some(path) => PathBuf::from(path),
        None => build_engine(&root),
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
            "building the browser search engine failed ({status}). If the log above says the target \
             is missing, run `rustup target add {WASM_TARGET}`."
        )),
        Err(e) => fail(&format!("cannot run cargo to build the browser search engine: {e}")),
    }
    target_dir
        .join(WASM_TARGET)
        .join("wasm")
        .join("gongkai_search.wasm")
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
