//! The checks across documents: unique 索引号, URLs and 文号 (P07), references by 索引号 or
//! 文号 (E007/E008), and the maps of where local links may point. They depend only on each
//! document's identity, so `serve` reuses them while no identity changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::body::owned_files;
use super::fields::Decision;
use super::{hash_of, WithheldRef};
use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::document::Document;
use crate::load::{SharedSource, Source};
use crate::meta::IndexNo;

/// Where local links may point: published pages by source path, withheld sources, URLs and
/// the files withheld documents own (file → (owner, reason)).
#[derive(Debug)]
pub(super) struct LinkMaps {
    pub(super) by_path: BTreeMap<PathBuf, String>,
    pub(super) withheld_paths: BTreeMap<PathBuf, String>,
    pub(super) withheld_urls: BTreeSet<String>,
    pub(super) withheld_files: BTreeMap<PathBuf, (PathBuf, String)>,
    /// Hash of all of the above (a body with local links depends on it).
    pub(super) universe: u64,
}

impl LinkMaps {
    pub(super) fn new(
        docs: &[(std::sync::Arc<Document>, SharedSource)],
        withheld: &[WithheldRef],
        existing_assets: &BTreeMap<PathBuf, u64>,
        config: &Config,
    ) -> LinkMaps {
        let by_path: BTreeMap<PathBuf, String> = docs
            .iter()
            .map(|(d, _)| (d.path.clone(), d.page_path().to_string()))
            .collect();
        let withheld_paths: BTreeMap<PathBuf, String> = withheld
            .iter()
            .map(|w| (w.path.clone(), w.reason.clone()))
            .collect();
        let withheld_urls: BTreeSet<String> = withheld
            .iter()
            .filter_map(|w| w.index_no.as_deref())
            .filter_map(IndexNo::new)
            // Today's address and the one earlier versions gave it: a link to either is refused.
            .flat_map(|n| {
                let legacy = config.urls.legacy_page_path(&n).map(str::to_string);
                std::iter::once(config.urls.page_path(&n)).chain(legacy)
            })
            .collect();
        let mut withheld_files = BTreeMap::new();
        for w in withheld {
            for f in &w.files {
                withheld_files
                    .entry(f.clone())
                    .or_insert_with(|| (w.path.clone(), w.reason.clone()));
            }
        }
        let universe = hash_of(&(
            &by_path,
            &withheld_paths,
            &withheld_urls,
            &withheld_files,
            existing_assets,
            &config.base_path,
        ));
        LinkMaps {
            by_path,
            withheld_paths,
            withheld_urls,
            withheld_files,
            universe,
        }
    }
}

/// What the checks across documents read of one document: identifiers, relations and the
/// lines they are reported at. An edit that leaves it alone cannot change their results.
pub(super) fn identity(decision: &Decision, src: &Source) -> u64 {
    let Decision::Publish(d) = decision else {
        return 0;
    };
    let lines: Vec<Option<usize>> = [
        "index_no",
        "doc_no",
        "interprets",
        "replaces",
        "replaced_by",
        "interpretation",
    ]
    .iter()
    .map(|k| src.fields.get(k).map(|f| f.line))
    .collect();
    hash_of(&(
        &d.path,
        &d.number,
        &d.doc_no,
        (&d.title, d.written, amended_by_own_number(d, src).is_some()),
        d.issuers.first(),
        &d.interprets,
        &d.replaces,
        &d.replaced_by,
        &d.interpretation,
        lines,
    ))
}

/// A document withheld because its 索引号 or its page address is another's (P07), named by
/// its source file: the checks across documents are reused by `serve` while no identity
/// changed, and a path, unlike a position, means the same document in every run.
#[derive(Debug, Clone)]
pub(super) struct Duplicate {
    pub(super) path: PathBuf,
    pub(super) finding: Diagnostic,
    pub(super) reason: &'static str,
}

/// Groups of documents that are versions of one document (修订/修正 texts), by 索引号,
/// oldest first.
pub(super) type Versions = Vec<Vec<String>>;

/// P07: 索引号 unique site-wide (published and withheld), page paths distinct, 文号 unique per
/// issuer. A duplicate 索引号 or URL is withheld, so two documents never share one URL.
///
/// Two documents of one issuer with one 文号 are not duplicates when they are versions of one
/// document ([`are_versions`]): they are returned as a group, to be linked as replacing one
/// another. When the 文号 is that of a decision that amended several 规章 at once (the body
/// says `根据……令〔2002〕第16号第一次修正`), the finding says so and is a warning.
pub(super) fn uniqueness(
    docs: &[(std::sync::Arc<Document>, SharedSource)],
    withheld: &[WithheldRef],
) -> (Vec<Duplicate>, Vec<Diagnostic>, Versions) {
    // Borrowed keys and indices only: this runs on every `serve` rebuild over every document.
    let mut first: HashMap<&str, &Path> = HashMap::with_capacity(docs.len() + withheld.len());
    for w in withheld {
        if let Some(n) = &w.index_no {
            first.entry(n.as_str()).or_insert(w.path.as_path());
        }
    }
    let pages: Vec<&str> = docs.iter().map(|(d, _)| d.page_path()).collect();
    let mut seen_pages: HashMap<&str, &Path> = HashMap::with_capacity(docs.len());
    let mut doc_nos: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    let mut dropped: Vec<Duplicate> = Vec::new();
    let mut found = Vec::new();
    // Version groups, keyed by their first document, and each member's group.
    let mut versions: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for (i, (doc, src)) in docs.iter().enumerate() {
        let line = src.fields.get("index_no").map(|f| f.line).unwrap_or(2);
        let key = doc.index_no().as_str();
        if let Some(other) = first.get(key) {
            let d = Diagnostic::new(
                Code::P07,
                doc.path.clone(),
                format!("索引号 “{key}” 与 {} 重复", other.display()),
            )
            .at(line)
            .field("index_no")
            .help("索引号全站唯一且一经分配不再变更：改正其中一个文件的索引号");
            dropped.push(Duplicate {
                path: doc.path.clone(),
                finding: d,
                reason: "索引号重复",
            });
            continue;
        }
        first.insert(key, doc.path.as_path());
        if let Some(other) = seen_pages.get(pages[i]) {
            let d = Diagnostic::new(
                Code::P07,
                doc.path.clone(),
                format!(
                    "索引号 “{key}” 与 {} 的索引号生成同一网址 {}",
                    other.display(),
                    pages[i]
                ),
            )
            .at(line)
            .field("index_no")
            .help("两个索引号只差标点或空格时会生成同一网址，请改正其一");
            dropped.push(Duplicate {
                path: doc.path.clone(),
                finding: d,
                reason: "网址冲突",
            });
            continue;
        }
        seen_pages.insert(pages[i], doc.path.as_path());
        let (Some(n), Some(issuer)) = (&doc.doc_no, doc.issuers.first()) else {
            continue;
        };
        let Some(prior) = doc_nos.get_mut(&(issuer.as_str(), n.as_str())) else {
            doc_nos.insert((issuer.as_str(), n.as_str()), vec![i]);
            continue;
        };
        // A version of an earlier document with this 文号 joins its group (keyed by the
        // group's first document); otherwise it duplicates the first one.
        let joined = prior.iter().copied().find(|&k| {
            let head = group_of.get(&k).copied().unwrap_or(k);
            let members = versions.get(&head).map_or(vec![head], Clone::clone);
            members.iter().all(|&m| are_versions(&docs[m].0, doc))
        });
        let j = prior[0];
        prior.push(i);
        if let Some(k) = joined {
            let head = group_of.get(&k).copied().unwrap_or(k);
            versions.entry(head).or_insert_with(|| vec![head]).push(i);
            group_of.insert(i, head);
            continue;
        }
        let other = docs[j].0.path.display();
        let l = src.fields.get("doc_no").map(|f| f.line).unwrap_or(2);
        let d = match amended_by_own_number(doc, src) {
            Some((body_line, quote)) => Diagnostic::new(Code::P07,
                doc.path.clone(),
                format!(
                    "{issuer} 的文件编号 “{n}” 与 {other} 相同；正文第 {} 行（“{quote}”）表明这是修正本文件的决定的文号，一个决定可同时修正多个规章",
                    src.body_line + body_line - 1
                ),
            )
            .at_most(crate::diag::Severity::Warn)
            .help("文件编号应写本文件自己的公布文号（见正文开头的题注）；查不到原文号时，可在文件头写 review_ok: {P07: \"理由\"}"),
            None => Diagnostic::new(Code::P07,
                doc.path.clone(),
                format!("{issuer} 的文件编号 “{n}” 与 {other} 重复"),
            )
            .help("同一机关的文件编号不能重复；核对文号或确认是否重复录入。同一文件的修订/修正文本：在新文本写 replaces: \"旧文本的索引号\""),
        };
        found.push(d.at(l).field("doc_no"));
    }
    let groups: Versions = versions
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|mut g| {
            g.sort_by_key(|&k| (docs[k].0.written, docs[k].0.index_no().as_str()));
            g.iter()
                .map(|&k| docs[k].0.index_no().as_str().to_string())
                .collect()
        })
        .collect();
    (dropped, found, groups)
}

/// Two documents sharing a 文号 are versions of one document (the texts after successive
/// 修订/修正, which keep the original 令 number) when one `replaces` the other (by 索引号),
/// or when they have the same title and different 成文日期.
fn are_versions(a: &Document, b: &Document) -> bool {
    let links = |x: &Document, y: &Document| {
        x.replaces
            .iter()
            .chain(&x.replaced_by)
            .any(|r| r == y.index_no().as_str())
    };
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    links(a, b)
        || links(b, a)
        || (squeeze(&a.title) == squeeze(&b.title)
            && a.written.is_some()
            && b.written.is_some()
            && a.written != b.written)
}

/// Where the body names the document's own 文号 as the decision that amended it
/// (`根据……令〔2002〕第16号第一次修正`): the body line and the words, if it does.
fn amended_by_own_number<N>(d: &Document<N>, src: &Source) -> Option<(usize, String)> {
    let n = d.doc_no_text()?;
    let mut from = 0;
    while let Some(k) = src.body[from..].find(n) {
        let at = from + k;
        let after = &src.body[at + n.len()..];
        let tail: String = after.chars().take(8).collect();
        if tail.contains("修正") || tail.contains("修订") || tail.contains("修改") {
            let start = src.body[..at]
                .rfind("根据")
                .filter(|&r| at - r < 60)
                .unwrap_or(at);
            let quote: String = src.body[start..at + n.len()]
                .chars()
                .chain(
                    tail.chars()
                        .take_while(|c| !matches!(c, '　' | ' ' | '）' | ')')),
                )
                .collect();
            return Some((crate::diag::line_col(&src.body, at).0, quote));
        }
        from = at + n.len();
    }
    None
}

/// Links the versions of one document, each replacing the one before (by 索引号), so its
/// page's 文件沿革 lists them with their dates. Links the editor wrote are kept.
pub(super) fn link_versions(
    docs: &mut [(std::sync::Arc<Document>, SharedSource)],
    versions: &Versions,
) {
    if versions.is_empty() {
        return;
    }
    let at: HashMap<String, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, (d, _))| (d.index_no().as_str().to_string(), i))
        .collect();
    for g in versions {
        for w in g.windows(2) {
            let (Some(&old), Some(&new)) = (at.get(&w[0]), at.get(&w[1])) else {
                continue;
            };
            let (old_no, new_no) = (w[0].clone(), w[1].clone());
            let linked =
                |d: &Document, r: &str| d.replaces.iter().chain(&d.replaced_by).any(|x| x == r);
            if linked(&docs[old].0, &new_no) || linked(&docs[new].0, &old_no) {
                continue;
            }
            std::sync::Arc::make_mut(&mut docs[new].0)
                .replaces
                .push(old_no);
            std::sync::Arc::make_mut(&mut docs[old].0)
                .replaced_by
                .push(new_no);
        }
    }
}

/// Withholds the documents `uniqueness` found to duplicate another's number or URL.
pub(super) fn drop_duplicates(
    docs: &mut Vec<(std::sync::Arc<Document>, SharedSource)>,
    withheld: &mut Vec<WithheldRef>,
    dropped: &[Duplicate],
) {
    if dropped.is_empty() {
        return;
    }
    let at: HashMap<&Path, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, (d, _))| (d.path.as_path(), i))
        .collect();
    let mut gone = vec![false; docs.len()];
    for dup in dropped {
        let Some(&i) = at.get(dup.path.as_path()) else {
            continue;
        };
        gone[i] = true;
        withheld.push(WithheldRef {
            path: dup.path.clone(),
            index_no: None,
            doc_no: None,
            reason: dup.reason.into(),
            files: owned_files(&docs[i].1),
        });
    }
    let mut i = 0;
    docs.retain(|_| {
        i += 1;
        !gone[i - 1]
    });
}

/// E007/E008/P12: references by 索引号 or 文号 (interprets, replaces, replaced_by, interpretation).
pub(super) fn check_references(
    docs: &[(std::sync::Arc<Document>, SharedSource)],
    withheld_docs: &[WithheldRef],
) -> Vec<Diagnostic> {
    let mut known: BTreeSet<&str> = BTreeSet::new();
    for (d, _) in docs {
        known.insert(d.index_no().as_str());
        if let Some(n) = d.doc_no_text() {
            known.insert(n);
        }
    }
    let mut withheld: BTreeMap<&str, &str> = BTreeMap::new();
    for w in withheld_docs {
        for id in w.index_no.iter().chain(w.doc_no.iter()) {
            withheld.insert(id, &w.reason);
        }
    }
    let mut out = Vec::new();
    for (d, src) in docs {
        let refs = d
            .interprets
            .iter()
            .map(|r| ("interprets", r))
            .chain(d.replaces.iter().map(|r| ("replaces", r)))
            .chain(d.replaced_by.iter().map(|r| ("replaced_by", r)))
            .chain(d.interpretation.iter().map(|r| ("interpretation", r)));
        for (key, r) in refs {
            let line = src.fields.get(key).map(|f| f.line).unwrap_or(2);
            if let Some(reason) = withheld
                .get(r.as_str())
                .filter(|_| !known.contains(r.as_str()))
            {
                out.push(
                    Diagnostic::new(
                        Code::E007,
                        d.path.clone(),
                        format!("{key} 指向不发布的文件 “{r}”（{reason}）"),
                    )
                    .at(line)
                    .field(key)
                    .help("公开文件不能引用不公开的文件；删除这个引用"),
                );
            } else if !known.contains(r.as_str()) {
                let rule = if key == "interprets" {
                    Code::P12
                } else {
                    Code::E008
                };
                out.push(
                    Diagnostic::new(
                        rule,
                        d.path.clone(),
                        format!("{key} 指向的 “{r}” 不是本站已发布文件的索引号或文件编号"),
                    )
                    .at(line)
                    .field(key)
                    .help("写被引用文件的索引号（如 13502/2022-26273）或文件编号"),
                );
            } else if (key == "replaces" || key == "replaced_by")
                && (r == d.index_no().as_str() || d.doc_no_text() == Some(r.as_str()))
            {
                out.push(
                    Diagnostic::new(Code::E008, d.path.clone(), format!("{key} 指向文件自身"))
                        .at(line)
                        .field(key)
                        .help("写被替代/替代它的另一个文件"),
                );
            }
        }
    }
    out
}
