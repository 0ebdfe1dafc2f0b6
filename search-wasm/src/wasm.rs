//! The browser entry points (wasm32 only): a tiny C ABI, no wasm-bindgen, no imports.
//!
//! The module is driven by `themes/default/static/search/engine.js` inside a Web Worker:
//!
//! 1. `gk_alloc(len)` → pointer; JS copies bytes there. Every function below that takes a pointer
//!    and a length *takes ownership* of that buffer (JS must not free it).
//! 2. `gk_open(manifest, hotcache)` starts an engine.
//! 3. `gk_search(query_json)` answers with JSON in the output buffer (`gk_out_ptr`, `gk_out_len`):
//!    `{"status":"ok","results":…}`, `{"status":"need","chunks":[…]}` or
//!    `{"status":"error","message":…}`.
//! 4. For `need`, JS fetches those chunk files, passes each to `gk_add_chunk`, and searches again.
//!
//! The query JSON is a [`SearchQuery`]: `q`, the filters `category`, `category_sub` (the
//! second-level 主题分类 as `一级\二级`, see [`crate::category_path`]), `issuer`, `year`, `kind`,
//! `validity`, then `sort`, `limit`, `offset`, and `facets` (true: count the documents per filter
//! value). An empty `q` with a filter lists the matching documents newest first. With `facets`,
//! `results.facets` has one list of `[value, count]` per filter key, under the same names
//! (`facets.category_sub` …): a page can render whatever facets it receives; without, the same
//! keys with empty lists. Column
//! pages (指南 …) come back with `kind` 栏目页面.
//!
//! With `panic = "abort"` a panic traps (`unreachable`); the hook first stores the message, which JS
//! reads with `gk_panic_ptr`/`gk_panic_len` before it throws the instance away.

use std::cell::RefCell;

use serde_json::json;

use crate::engine::{Engine, Step};
use crate::query::SearchQuery;

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// getrandom's `custom` backend (selected in .cargo/config.toml): tantivy only needs randomness
/// for new segment ids, which the reader never creates. Fill deterministically rather than fail,
/// so an unexpected call cannot turn into a panic.
#[no_mangle]
unsafe extern "Rust" fn __getrandom_v03_custom(
    dest: *mut u8,
    len: usize,
) -> Result<(), getrandom::Error> {
    let mut x: u32 = 0x9E37_79B9;
    for i in 0..len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        // SAFETY: getrandom guarantees `dest` is valid for `len` bytes.
        unsafe { *dest.add(i) = x as u8 };
    }
    Ok(())
}

fn set_output(value: serde_json::Value) {
    let bytes = serde_json::to_vec(&value)
        .unwrap_or_else(|_| br#"{"status":"error","message":"serialisation"}"#.to_vec());
    OUTPUT.with(|o| *o.borrow_mut() = bytes);
}

/// Takes back a buffer made by [`gk_alloc`].
///
/// # Safety
/// `ptr`/`len` must come from one `gk_alloc(len)` call, and be passed here only once.
unsafe fn take(ptr: *mut u8, len: usize) -> Vec<u8> {
    if len == 0 {
        return Vec::new();
    }
    // SAFETY: per the contract, this is the boxed slice leaked by gk_alloc.
    unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) }.into_vec()
}

/// Allocates `len` bytes for JS to fill.
#[no_mangle]
pub extern "C" fn gk_alloc(len: usize) -> *mut u8 {
    if len == 0 {
        return std::ptr::NonNull::dangling().as_ptr();
    }
    Box::into_raw(vec![0u8; len].into_boxed_slice()) as *mut u8
}

/// Frees a buffer from [`gk_alloc`] that was not handed to another function.
///
/// # Safety
/// See [`take`].
#[no_mangle]
pub unsafe extern "C" fn gk_free(ptr: *mut u8, len: usize) {
    drop(unsafe { take(ptr, len) });
}

/// Output buffer of the last call.
#[no_mangle]
pub extern "C" fn gk_out_ptr() -> *const u8 {
    OUTPUT.with(|o| o.borrow().as_ptr())
}

/// Length of the output buffer.
#[no_mangle]
pub extern "C" fn gk_out_len() -> usize {
    OUTPUT.with(|o| o.borrow().len())
}

/// Message of the panic that trapped, if any.
#[no_mangle]
pub extern "C" fn gk_panic_ptr() -> *const u8 {
    PANIC.with(|p| p.borrow().as_ptr())
}

/// Length of the panic message.
#[no_mangle]
pub extern "C" fn gk_panic_len() -> usize {
    PANIC.with(|p| p.borrow().len())
}

/// Opens the index from its manifest and hotcache. Returns 0, or 1 with an error in the output.
///
/// # Safety
/// Both buffers per [`take`].
#[no_mangle]
pub unsafe extern "C" fn gk_open(
    manifest_ptr: *mut u8,
    manifest_len: usize,
    hot_ptr: *mut u8,
    hot_len: usize,
) -> u32 {
    std::panic::set_hook(Box::new(|info| {
        PANIC.with(|p| *p.borrow_mut() = info.to_string());
    }));
    let manifest = unsafe { take(manifest_ptr, manifest_len) };
    let hot = unsafe { take(hot_ptr, hot_len) };
    match Engine::new(&manifest, &hot) {
        Ok(engine) => {
            ENGINE.with(|e| *e.borrow_mut() = Some(engine));
            set_output(json!({"status": "ok"}));
            0
        }
        Err(err) => {
            set_output(json!({"status": "error", "message": err.to_string()}));
            1
        }
    }
}

/// Adds one chunk file. Returns 0, or 1 with an error in the output.
///
/// # Safety
/// Both buffers per [`take`].
#[no_mangle]
pub unsafe extern "C" fn gk_add_chunk(
    name_ptr: *mut u8,
    name_len: usize,
    data_ptr: *mut u8,
    data_len: usize,
) -> u32 {
    let name = unsafe { take(name_ptr, name_len) };
    let data = unsafe { take(data_ptr, data_len) };
    let result = ENGINE.with(|e| match e.borrow().as_ref() {
        None => Err("search engine not opened".to_string()),
        Some(engine) => engine
            .add_chunk(&String::from_utf8_lossy(&name), data)
            .map_err(|e| e.to_string()),
    });
    match result {
        Ok(()) => 0,
        Err(message) => {
            set_output(json!({"status": "error", "message": message}));
            1
        }
    }
}

/// Runs a query (a JSON [`SearchQuery`]). Always returns 0; the answer is in the output.
///
/// # Safety
/// The buffer per [`take`].
#[no_mangle]
pub unsafe extern "C" fn gk_search(query_ptr: *mut u8, query_len: usize) -> u32 {
    let query = unsafe { take(query_ptr, query_len) };
    let query: SearchQuery = match serde_json::from_slice(&query) {
        Ok(q) => q,
        Err(e) => {
            set_output(json!({"status": "error", "message": format!("bad query: {e}")}));
            return 0;
        }
    };
    let out = ENGINE.with(|e| match e.borrow_mut().as_mut() {
        None => json!({"status": "error", "message": "search engine not opened"}),
        Some(engine) => match engine.search(&query) {
            Ok(Step::Done(results)) => json!({"status": "ok", "results": results, "loaded_bytes": engine.store().loaded_bytes()}),
            Ok(Step::Need(chunks)) => json!({"status": "need", "chunks": chunks}),
            Err(err) => json!({"status": "error", "message": err.to_string()}),
        },
    });
    set_output(out);
    0
}
