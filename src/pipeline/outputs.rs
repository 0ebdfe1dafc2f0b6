//! The outputs that are not pages: feeds, sitemap, robots.txt, open data, static files,
//! attachments, the logo and badges, the redirect maps and pages, and the search index. `build` makes them right after the pages; `serve` hands
//! them to a background job so the edited pages are served first.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Code, Diagnostic};
use crate::load;
use crate::render;
use crate::site::Site;
use crate::write::OutputFile;

/// The outputs that are not pages, still to be made: feeds, sitemap, robots.txt, open data,
/// static files, assets and (unless skipped) the search index.
pub struct Rest {
    /// The site model of the run.
    pub site: Site,
    /// Assets published pages use.
    pub assets: BTreeSet<PathBuf>,
    /// Every page path of the run (the sitemap lists them).
    pub page_paths: Vec<String>,
    /// The theme's static files.
    pub statics: Arc<BTreeMap<String, Vec<u8>>>,
    pub(super) root: PathBuf,
    pub(super) search: bool,
}

/// `check` reports the names documents make (E012); this catches any other before `write`
/// would fail on it with an OS error that names no source.
pub(super) fn unwritable(site: &Site, paths: &[&str]) -> Vec<Diagnostic> {
    let pages: BTreeMap<&str, &Path> = site
        .docs
        .iter()
        .map(|d| (d.page_path(), d.path.as_path()))
        .collect();
    crate::check::output::unwritable_outputs(paths, &|p| pages.get(p).map(|s| s.to_path_buf()))
}

/// Makes the outputs of a [`Rest`] job: everything but the pages, with the search index unless
/// it was skipped. Findings have severities applied.
pub fn rest(job: &Rest) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let (mut files, mut diags) = other_outputs(job);
    if job.search {
        match crate::search::index(&job.site) {
            Ok(index) => files.extend(index),
            Err(e) => diags.push(search_index_error(&e)),
        }
    }
    (files, job.site.config.rules.apply(diags))
}

/// The finding for a search index that could not be made (`build` and `serve` alike).
pub fn search_index_error(e: &anyhow::Error) -> Diagnostic {
    if let Some(crate::search::Unreadable(d)) = e.downcast_ref() {
        return d.clone();
    }
    Diagnostic::new(Code::E009, "search", format!("{e:#}")).help("检索索引必须完整生成，构建已中止")
}

/// Everything but the HTML pages and the search index: feeds, sitemap, robots.txt, open data,
/// static files and the assets published pages use.
pub(super) fn other_outputs(job: &Rest) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let site = &job.site;
    let mut files = Vec::new();
    let mut diags = Vec::new();
    match render::feeds::feeds(site) {
        Ok(feeds) => files.extend(feeds),
        Err(d) => diags.push(d),
    }
    files.extend(render::feeds::sitemap(
        site,
        &job.page_paths
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    ));
    files.push(render::feeds::robots(site));
    match render::opendata::catalogue(site) {
        Ok(f) => files.extend(f),
        Err(e) => diags.push(Diagnostic::new(
            Code::E009,
            "catalogue.json",
            format!("无法生成开放数据: {e}"),
        )),
    }
    match render::standard::open_data(site) {
        Ok(f) => files.extend(f),
        Err(e) => diags.push(Diagnostic::new(
            Code::E009,
            render::standard::JSON_FILE,
            format!("无法生成开放数据: {e}"),
        )),
    }
    match render::register::open_data(site) {
        Ok(f) => files.extend(f),
        Err(e) => diags.push(Diagnostic::new(
            Code::E009,
            "register.json",
            format!("无法生成开放数据: {e}"),
        )),
    }
    files.extend(job.statics.iter().map(|(p, bytes)| OutputFile {
        path: p.clone(),
        bytes: bytes.clone(),
    }));
    // The logo and badges of `[branding]` (their files were found when the config was read).
    for image in site.config.branding.images() {
        match load::asset_bytes(&job.root, &image.file) {
            Ok(bytes) => files.push(OutputFile {
                path: image.output.clone(),
                bytes,
            }),
            Err(e) => diags.push(
                Diagnostic::new(
                    Code::E005,
                    crate::config::FILE_NAME,
                    format!(
                        "无法读取 [branding] {} 指定的图片 {}：{}",
                        image.key,
                        image.file.display(),
                        crate::diag::io_message(&e)
                    ),
                )
                .field(image.key)
                .help("检查图片文件的权限"),
            ),
        }
    }
    for a in &job.assets {
        let rel = a
            .strip_prefix(load::CONTENT_DIR)
            .unwrap_or(a)
            .to_string_lossy()
            .replace('\\', "/");
        match load::asset_bytes(&job.root, a) {
            Ok(bytes) => files.push(OutputFile { path: rel, bytes }),
            Err(e) => diags.push(Diagnostic::new(
                Code::E001,
                a.clone(),
                format!("无法读取附件: {}", crate::diag::io_message(&e)),
            )),
        }
    }
    // The redirect list, checked against every other output (`crate::redirects`).
    let existing: BTreeSet<&str> = job
        .page_paths
        .iter()
        .map(String::as_str)
        .chain(files.iter().map(|f| f.path.as_str()))
        .collect();
    let (redirect_files, d) = crate::redirects::outputs(site, &existing);
    files.extend(redirect_files);
    diags.extend(d);
    (files, diags)
}
