//! Synthetic sites shaped like the corpus, for benchmarks and scale tests.
//!
//! Bodies are made of real paragraphs taken from the corpus (`../shared/corpus/docs`), so the
//! text has the vocabulary and length of real documents; metadata is drawn deterministically
//! (a fixed-seed generator) across kinds, 条例 items, 主题分类, issuers, years and validity.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context as _;

/// A tiny deterministic generator (SplitMix64): same seed, same site.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next() % v.len() as u64) as usize]
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The corpus `docs/` folder: `GONGKAI_CORPUS` (the corpus or its `docs/`), else
/// `../shared/corpus/docs` beside the repository.
pub fn default_corpus_dir() -> std::path::PathBuf {
    let p = std::env::var_os("GONGKAI_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"))
        });
    if p.join("docs").is_dir() {
        p.join("docs")
    } else {
        p
    }
}

/// Reads paragraphs (≥ 40 characters) from the corpus bodies.
pub fn corpus_paragraphs(corpus_docs: &Path, limit: usize) -> anyhow::Result<Vec<String>> {
    let mut files: Vec<_> = std::fs::read_dir(corpus_docs)
        .with_context(|| {
            format!(
                "找不到语料目录 {}（可用 GONGKAI_CORPUS 指定）",
                corpus_docs.display()
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f)?;
        let body = text.split_once("\n---\n").map(|(_, b)| b).unwrap_or("");
        for p in body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| p.chars().count() >= 40 && !p.starts_with('#') && !p.starts_with('|'))
        {
            out.push(p.replace('\n', ""));
            if out.len() >= limit {
                return Ok(out);
            }
        }
    }
    Ok(out)
}

const ISSUERS: &[&str] = &[
    "市政府办公室",
    "市人民政府",
    "市发展改革委",
    "市财政局",
    "市教育局",
    "市生态环境局",
    "市卫生健康委",
    "市住房城乡建设局",
    "市市场监管局",
    "市应急管理局",
];
const CODES: &[&str] = &[
    "承市政办字",
    "承市政字",
    "承市政规",
    "承市发改",
    "承市财",
    "承市教",
    "承市环",
    "承市卫健",
    "承市建",
    "承市监",
];
const KINDS: &[(&str, &str, &str)] = &[
    ("行政规范性文件", "20.1", "管理办法"),
    ("规章", "20.1", "规定"),
    ("其他文件", "20.15", "工作要点"),
    ("其他文件", "20.3", "专项规划"),
    ("其他文件", "20.4", "统计公报"),
    ("其他文件", "20.7", "预算公开"),
    ("其他文件", "20.10", "重大建设项目批准和实施情况"),
    ("其他文件", "20.11", "就业补助实施方案"),
    ("其他文件", "20.12", "应急预案"),
    ("其他文件", "20.13", "监督检查情况通报"),
    ("政策解读", "", "政策解读"),
];

/// Writes a site with `n` documents into `dir` (which must not exist or be empty).
pub fn generate(dir: &Path, n: usize, paragraphs: &[String], seed: u64) -> anyhow::Result<()> {
    anyhow::ensure!(!paragraphs.is_empty(), "没有可用的段落");
    let content = dir.join("content");
    std::fs::create_dir_all(content.join("zfxxgkzn"))?;
    std::fs::write(
        dir.join("gongkai.toml"),
        format!(
            "site_name = \"合成测试站点\"\nbase_url = \"https://www.example.gov.cn/\"\nissuers = [{}]\n\n[organisation]\nname = \"市政府办公室\"\ncode = \"13502\"\n",
            ISSUERS.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>().join(", ")
        ),
    )?;
    std::fs::write(content.join("zfxxgkzn/_index.md"), "---\ntitle: \"政府信息公开指南\"\nupdated: \"2024-01-01\"\n---\n\n本指南说明本机关政府信息公开的分类、编排体系和获取方式。\n")?;
    let mut generator = Generator::new(paragraphs, seed)?;
    for i in 0..n {
        let (year, text) = generator.document(i);
        let sub = content.join(format!("{year}"));
        std::fs::create_dir_all(&sub)?;
        std::fs::write(sub.join(format!("doc-{i:06}.md")), text)?;
    }
    Ok(())
}

/// Makes the documents of a synthetic site one after another (the same seed, the same site).
struct Generator<'a> {
    paragraphs: &'a [String],
    tax: Vec<(String, Vec<String>)>,
    rng: Rng,
    /// 索引号 of the 规章 and 行政规范性文件 so far (a 政策解读 interprets the latest).
    policies: Vec<String>,
    /// Last 令 number per year: 规章 are numbered in sequence within a year, as a government's
    /// 令 are, so no two share a 文号 however many there are.
    decree_numbers: std::collections::HashMap<i32, u32>,
    /// The last 发文顺序号 of each issuer in each year: numbered in order, as an office does, so
    /// that a large site's 文号 stay within the rule's five digits (numbering by document
    /// made `…〔2019〕114615号` from the 100,000th document on, which P06 refuses).
    doc_numbers: std::collections::HashMap<(usize, i32), u32>,
}

impl<'a> Generator<'a> {
    fn new(paragraphs: &'a [String], seed: u64) -> anyhow::Result<Generator<'a>> {
        Ok(Generator {
            paragraphs,
            tax: crate::config::parse_taxonomy(crate::theme::DEFAULT_TAXONOMY)
                .map_err(anyhow::Error::msg)?,
            rng: Rng(seed),
            policies: Vec::new(),
            decree_numbers: Default::default(),
            doc_numbers: Default::default(),
        })
    }

    /// Document `i` (0-based, in order): its year (the folder) and its Markdown file.
    fn document(&mut self, i: usize) -> (i32, String) {
        let rng = &mut self.rng;
        let (kind, item, noun) = *rng.pick(KINDS);
        let issuer_i = rng.below(ISSUERS.len() as u64) as usize;
        let year = 2015 + rng.below(11) as i32;
        let month = 1 + rng.below(12) as u32;
        let day = 1 + rng.below(28) as u32;
        let written = format!("{year}-{month:02}-{day:02}");
        let pub_day = (day + 3).min(28);
        let published = format!("{year}-{month:02}-{pub_day:02}");
        let (cat, subs) = rng.pick(&self.tax);
        let index_no = format!("13502/{year}-{:05}", i + 1);
        let doc_no = if kind == "规章" {
            let number = self.decree_numbers.entry(year).or_insert(0);
            *number += 1;
            format!("承德市人民政府令〔{year}〕第{number}号")
        } else {
            let number = self.doc_numbers.entry((issuer_i, year)).or_insert(0);
            *number += 1;
            format!("{}〔{year}〕{number}号", CODES[issuer_i])
        };
        let title = if kind == "政策解读" {
            format!(
                "《{}{year}年{}》政策解读",
                ISSUERS[issuer_i],
                rng.pick(&["实施办法", "工作方案", "管理规定"])
            )
        } else {
            format!("{}关于印发{year}年{}的通知", ISSUERS[issuer_i], noun)
        };
        let mut fm = String::new();
        let _ = writeln!(
            fm,
            "---\ntitle: \"{title}\"\nindex_no: \"{index_no}\"\ncategory: \"{cat}\""
        );
        if let Some(s) = subs.first() {
            let _ = writeln!(fm, "category_sub: \"{s}\"");
        }
        let _ = writeln!(fm, "issuer: \"{}\"\ndoc_no: \"{doc_no}\"\nwritten: \"{written}\"\npublished: \"{published}\"\ndisclosure: \"主动公开\"\nkind: \"{kind}\"", ISSUERS[issuer_i]);
        if !item.is_empty() {
            let _ = writeln!(fm, "item: \"{item}\"");
        }
        if kind == "行政规范性文件" || kind == "规章" {
            let repealed = rng.below(10) == 0;
            let _ = writeln!(
                fm,
                "validity: \"{}\"\neffective: \"{published}\"",
                if repealed { "废止" } else { "有效" }
            );
            if kind == "行政规范性文件" {
                let _ = writeln!(fm, "expires: \"{}-{month:02}-{pub_day:02}\"", year + 5);
            }
            if repealed {
                let _ = writeln!(fm, "repealed: \"{}-12-31\"", (year + 2).min(2025));
            }
            self.policies.push(index_no.clone());
        }
        if kind == "政策解读" {
            match self.policies.last() {
                Some(p) => {
                    let _ = writeln!(fm, "interprets: \"{p}\"");
                }
                None => {
                    let _ = writeln!(fm, "interprets: \"{index_no}\"");
                }
            }
        }
        let paras = 3 + rng.below(6) as usize;
        let mut body = String::new();
        for _ in 0..paras {
            body.push_str(rng.pick(self.paragraphs).as_str());
            body.push_str("\n\n");
        }
        let _ = writeln!(
            fm,
            "summary: \"{}\"\n---\n",
            crate::markdown::excerpt(&body, 60).replace('"', "'")
        );
        (year, format!("{fm}{body}"))
    }
}

#[cfg(test)]
mod tests {
    use super::Generator;
    use std::collections::HashSet;

    /// 100,000 documents (the scale benchmark's size) never share a 索引号, nor an issuer's
    /// 文号 (P07), and every 文号 follows the rule (P06): the 令 numbers of 规章 used to wrap
    /// at 9,000 and collide, and ordinary sequence numbers reached six digits.
    #[test]
    fn numbers_are_unique_at_scale() {
        let paragraphs = vec![
            "本机关依照《中华人民共和国政府信息公开条例》编制本指南，说明政府信息公开的办理方式。"
                .to_string(),
        ];
        let mut generator = Generator::new(&paragraphs, 42).unwrap();
        let mut index_nos = HashSet::new();
        let mut doc_nos = HashSet::new();
        let mut decrees = 0;
        for i in 0..100_000 {
            let (_, text) = generator.document(i);
            let field = |key: &str| {
                let line = text
                    .lines()
                    .find(|l| l.starts_with(&format!("{key}: ")))
                    .unwrap_or_else(|| panic!("document {i} has no {key}"));
                line[key.len() + 2..].trim_matches('"').to_string()
            };
            let (index_no, doc_no, issuer) = (field("index_no"), field("doc_no"), field("issuer"));
            decrees += usize::from(doc_no.contains("令"));
            assert!(
                crate::meta::doc_no::DocNo::parse(&doc_no, doc_no.contains("令")).is_ok(),
                "文号 {doc_no} does not follow SPEC §3.5 (P06, document {i})"
            );
            assert!(
                index_nos.insert(index_no.clone()),
                "索引号 {index_no} twice"
            );
            assert!(
                doc_nos.insert((issuer.clone(), doc_no.clone())),
                "{issuer} 文号 {doc_no} twice (document {i})"
            );
        }
        assert!(
            decrees > 9_000,
            "only {decrees} 规章: the test must pass the old wrap"
        );
    }
}
