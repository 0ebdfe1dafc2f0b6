//! `annual/YEAR.toml`: the figures of an annual report that no document carries (SPEC §4.2–§4.4).
//!
//! Table 2's 行政许可, 行政处罚, 行政强制 and 收费 figures, tables 3 and 4, and the narrative of
//! sections 一、五、六 are typed in by the editor from the year's records. This module parses the
//! file and checks it completely: every row present, no negative or fractional counts, no
//! unknown keys, and the sums the official form prints (表三 勾稽关系, 表四 总计). Each finding
//! names the file, line, row and column. It reads nothing but the text it is given; the caller
//! reads the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use toml::Value;

use crate::diag::{line_col, Code, Diagnostic};
use crate::labels::{TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_COLUMNS, TABLE4_GROUPS};

use super::JointRule;

/// Figures of table 2 that come from records, not documents (SPEC §4.2 c, d, e, f).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Decisions {
    /// 行政许可 本年处理决定数量 (c).
    pub licensing: u64,
    /// 行政处罚 本年处理决定数量 (d).
    pub penalty: u64,
    /// 行政强制 本年处理决定数量 (e).
    pub coercion: u64,
    /// 行政事业性收费 本年收费金额, in 万元 (f).
    pub fees: f64,
}

/// Narrative sections (SPEC §4.1), as Markdown.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Narrative {
    /// 一、总体情况 (optional: a standard sentence is used when empty).
    pub overview: Option<String>,
    /// 五、存在的主要问题及改进情况.
    pub problems: String,
    /// 六、其他需要报告的事项.
    pub other: String,
}

/// A parsed and checked `annual/YEAR.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualData {
    /// Report year.
    pub year: i32,
    /// The reporting body whose 规章 and 行政规范性文件 are counted (default: the site's
    /// organisation).
    pub issuer: Option<String>,
    /// How joint documents count.
    pub joint: JointRule,
    /// Sections 一、五、六.
    pub text: Narrative,
    /// Table 2, c–f.
    pub decisions: Decisions,
    /// Table 3: 25 rows in [`TABLE3_ROWS`] order, 7 columns in [`TABLE3_COLUMNS`] order.
    pub table3: Vec<[u64; 7]>,
    /// Table 4: 行政复议, 未经复议直接起诉, 复议后起诉; 5 columns each.
    pub table4: [[u64; 5]; 3],
}

/// `annual/YEAR.toml`, relative to the site root.
pub fn file_for(year: i32) -> PathBuf {
    PathBuf::from(format!("annual/{year}.toml"))
}

/// Checks the loaded `annual/YEAR.toml` ([`crate::load::Loaded::annual`]).
pub fn read(
    files: &std::collections::BTreeMap<i32, Result<String, String>>,
    year: i32,
) -> Result<AnnualData, Vec<Diagnostic>> {
    let rel = file_for(year);
    match files.get(&year) {
        Some(Ok(text)) => parse(year, &rel, text),
        other => {
            let why = match other {
                Some(Err(e)) => e.clone(),
                _ => "文件不存在".to_string(),
            };
            Err(vec![Diagnostic::new(Code::P20,
                rel.clone(),
                format!("无法读取 {year} 年年报数据文件 {}：{why}", rel.display()),
            )
            .help(format!(
                "新建 {}：表二的行政许可、处罚、强制和收费数字，表三、表四和第五、六部分文字都写在这个文件里（格式见 README “Annual report data” 一节）",
                rel.display()
            ))])
        }
    }
}

/// Parses and checks the text of `annual/YEAR.toml` (`file` is used in messages).
pub fn parse(year: i32, file: &Path, text: &str) -> Result<AnnualData, Vec<Diagnostic>> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::new(
            Code::P20,
            file,
            format!("年报数据文件格式错误: {}", e.message()),
        )
        .help("按 TOML 格式书写；可对照 README “Annual report data” 一节中的样例");
        if let Some(span) = e.span() {
            let (l, c) = line_col(text, span.start);
            d = d.at_col(l, c);
        }
        vec![d]
    })?;
    let mut r = Reader {
        file,
        lines: key_lines(text),
        diags: Vec::new(),
    };
    r.known_keys(
        &table,
        "",
        &[
            "issuer",
            "joint_issuers",
            "text",
            "table2",
            "table3",
            "table4",
        ],
    );
    let issuer = r.string(&table, "", "issuer", false);
    let joint = match r.string(&table, "", "joint_issuers", false).as_deref() {
        None | Some("first") => JointRule::First,
        Some("all") => JointRule::All,
        Some(other) => {
            r.err(
                "joint_issuers",
                format!("joint_issuers 应为 \"first\" 或 \"all\"，这里是 “{other}”"),
                "first：联合发文只计入排在第一位（编制文号）的机关；all：计入每个联合发文机关",
            );
            JointRule::First
        }
    };
    let text_t = r.table(&table, "", "text");
    r.known_keys(&text_t, "text", &["overview", "problems", "other"]);
    let narrative = Narrative {
        overview: r.string(&text_t, "text", "overview", false),
        problems: r
            .string(&text_t, "text", "problems", true)
            .unwrap_or_default(),
        other: r.string(&text_t, "text", "other", true).unwrap_or_default(),
    };
    let t2 = r.table(&table, "", "table2");
    r.known_keys(&t2, "table2", &["licensing", "penalty", "coercion", "fees"]);
    let decisions = Decisions {
        licensing: r.count(&t2, "table2", "licensing", "表二 行政许可 本年处理决定数量"),
        penalty: r.count(&t2, "table2", "penalty", "表二 行政处罚 本年处理决定数量"),
        coercion: r.count(&t2, "table2", "coercion", "表二 行政强制 本年处理决定数量"),
        fees: r.amount(
            &t2,
            "table2",
            "fees",
            "表二 行政事业性收费 本年收费金额（万元）",
        ),
    };

    let t3 = r.table(&table, "", "table3");
    let mut t3_known: Vec<&str> = Vec::new();
    for (key, _, _) in TABLE3_ROWS {
        let top = key.split('.').next().unwrap_or(key);
        if !t3_known.contains(&top) {
            t3_known.push(top);
        }
    }
    r.known_keys(&t3, "table3", &t3_known);
    for sub in ["withheld", "unable", "not_processed", "other"] {
        let known: Vec<&str> = TABLE3_ROWS
            .iter()
            .filter_map(|(k, _, _)| k.strip_prefix(sub).and_then(|k| k.strip_prefix('.')))
            .collect();
        if let Some(Value::Table(t)) = t3.get(sub) {
            r.known_keys(t, &format!("table3.{sub}"), &known);
        }
    }
    let mut table3 = Vec::with_capacity(TABLE3_ROWS.len());
    for (key, group, label) in TABLE3_ROWS {
        let (t, parent, leaf) = match key.split_once('.') {
            Some((sub, leaf)) => (r.table(&t3, "table3", sub), format!("table3.{sub}"), leaf),
            None => (t3.clone(), "table3".to_string(), key),
        };
        let row = format!("表三 “{group}{label}” 行");
        table3.push(r.row::<7>(&t, &parent, leaf, &row, &TABLE3_COLUMNS));
    }
    let t4 = r.table(&table, "", "table4");
    r.known_keys(&t4, "table4", &TABLE4_GROUPS.map(|g| g.0));
    let mut table4 = [[0u64; 5]; 3];
    for (i, (key, label)) in TABLE4_GROUPS.iter().enumerate() {
        table4[i] = r.row::<5>(
            &t4,
            "table4",
            key,
            &format!("表四 “{label}”"),
            &TABLE4_COLUMNS,
        );
    }
    let data = AnnualData {
        year,
        issuer,
        joint,
        text: narrative,
        decisions,
        table3,
        table4,
    };
    if r.diags.is_empty() {
        r.diags.extend(check_sums(&data, file, &r.lines));
    }
    if r.diags.is_empty() {
        Ok(data)
    } else {
        Err(r.diags)
    }
}

/// The sums printed on the official form (SPEC §4.3, §4.4). Each broken sum names its row and
/// column and the numbers on both sides.
pub fn check_sums(
    data: &AnnualData,
    file: &Path,
    lines: &BTreeMap<String, usize>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let field = |key: &str| format!("table3.{key}");
    let push = |out: &mut Vec<Diagnostic>, key: String, msg: String, help: String| {
        let mut d = Diagnostic::new(Code::P20, file, msg).field(&key).help(help);
        d.line = lines.get(&key).copied();
        out.push(d);
    };
    let t3 = &data.table3;
    let idx = |key: &str| {
        TABLE3_ROWS
            .iter()
            .position(|(k, _, _)| *k == key)
            .unwrap_or(0)
    };
    // 总计 column = 自然人 + the five 法人或其他组织 columns, in every row.
    for (r, (key, group, label)) in TABLE3_ROWS.iter().enumerate() {
        let sum: u64 = t3[r][..6].iter().sum();
        if t3[r][6] != sum {
            push(
                &mut out,
                field(key),
                format!(
                    "表三 “{group}{label}” 行，“总计”列为 {}，但自然人与法人或其他组织各列之和为 {sum}",
                    t3[r][6]
                ),
                "“总计”列 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他".into(),
            );
        }
    }
    let (new, carried, total, forward) = (
        idx("new"),
        idx("carried_over"),
        idx("total"),
        idx("carried_forward"),
    );
    for (c, col) in TABLE3_COLUMNS.iter().enumerate() {
        // 三（七）总计 = the sum of every leaf of （一）…（六）.
        let leaves: u64 = (carried + 1..total).map(|r| t3[r][c]).sum();
        if t3[total][c] != leaves {
            push(
                &mut out,
                field("total"),
                format!(
                    "表三 “（七）总计” 行，“{col}”列为 {}，但（一）至（六）各项之和为 {leaves}",
                    t3[total][c]
                ),
                "（七）总计 = 予以公开 + 部分公开 + 不予公开、无法提供、不予处理、其他处理的各小项"
                    .into(),
            );
        }
        // 一 + 二 = 三（七） + 四.
        let lhs = t3[new][c] + t3[carried][c];
        let rhs = t3[total][c] + t3[forward][c];
        if lhs != rhs {
            push(
                &mut out,
                field("carried_forward"),
                format!(
                    "表三 “{col}”列：第一项加第二项之和为 {lhs}（{} + {}），第三项加第四项之和为 {rhs}（{} + {}），两者应相等",
                    t3[new][c], t3[carried][c], t3[total][c], t3[forward][c]
                ),
                "本年新收 + 上年结转 = 本年度办理结果（七）总计 + 结转下年度继续办理".into(),
            );
        }
    }
    for (g, (key, label)) in TABLE4_GROUPS.iter().enumerate() {
        let row = &data.table4[g];
        let sum: u64 = row[..4].iter().sum();
        if row[4] != sum {
            let k = format!("table4.{key}");
            let mut d = Diagnostic::new(Code::P20,
                file,
                format!("表四 “{label}” 的“总计”为 {}，但结果维持、结果纠正、其他结果、尚未审结之和为 {sum}", row[4]),
            )
            .field(&k)
            .help("总计 = 前四个数之和");
            d.line = lines.get(&k).copied();
            out.push(d);
        }
    }
    out
}

/// Walks the parsed TOML, collecting every problem instead of stopping at the first.
struct Reader<'a> {
    file: &'a Path,
    lines: BTreeMap<String, usize>,
    diags: Vec<Diagnostic>,
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

impl Reader<'_> {
    fn err(&mut self, key: &str, message: String, help: impl Into<String>) {
        let mut d = Diagnostic::new(Code::P20, self.file, message)
            .field(key)
            .help(help);
        d.line = self
            .lines
            .get(key)
            .or_else(|| {
                self.lines
                    .get(key.rsplit_once('.').map(|p| p.0).unwrap_or(""))
            })
            .copied();
        self.diags.push(d);
    }

    fn known_keys(&mut self, t: &toml::Table, parent: &str, known: &[&str]) {
        for k in t.keys() {
            if !known.contains(&k.as_str()) {
                let hint = crate::diag::suggest(k, known.iter().copied());
                self.err(
                    &join(parent, k),
                    format!("年报数据中有未知的键 “{}”{hint}", join(parent, k)),
                    format!("可用的键：{}", known.join("、")),
                );
            }
        }
    }

    fn table(&mut self, t: &toml::Table, parent: &str, key: &str) -> toml::Table {
        match t.get(key) {
            Some(Value::Table(x)) => x.clone(),
            Some(_) => {
                self.err(
                    &join(parent, key),
                    format!(
                        "{} 应是一个表（[{}]）",
                        join(parent, key),
                        join(parent, key)
                    ),
                    format!("写成 [{}] 小节", join(parent, key)),
                );
                toml::Table::new()
            }
            None => {
                self.err(
                    &join(parent, key),
                    format!("缺少 [{}] 小节", join(parent, key)),
                    "年报数据文件的完整格式见 README “Annual report data” 一节",
                );
                toml::Table::new()
            }
        }
    }

    fn string(
        &mut self,
        t: &toml::Table,
        parent: &str,
        key: &str,
        required: bool,
    ) -> Option<String> {
        match t.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            None | Some(Value::String(_)) if !required => None,
            Some(Value::String(_)) | None => {
                let k = join(parent, key);
                self.err(
                    &k,
                    format!("缺少 {k}（年报正文的必填部分）"),
                    format!("写成 {key} = \"\"\"……\"\"\""),
                );
                None
            }
            Some(_) => {
                let k = join(parent, key);
                self.err(&k, format!("{k} 应是文字"), format!("写成 {key} = \"……\""));
                None
            }
        }
    }

    fn number(&mut self, v: Option<&Value>, key: &str, what: &str, integer: bool) -> Option<f64> {
        match v {
            None => {
                self.err(
                    key,
                    format!("缺少 {what}（{key}）"),
                    format!("写成 {} = 0", key.rsplit('.').next().unwrap_or(key)),
                );
                None
            }
            Some(Value::Integer(i)) if *i >= 0 => Some(*i as f64),
            Some(Value::Float(f)) if !integer && *f >= 0.0 && f.is_finite() => Some(*f),
            Some(Value::Integer(i)) => {
                self.err(key, format!("{what} 为负数 {i}"), "件数和金额不能为负数");
                None
            }
            Some(Value::Float(f)) if *f < 0.0 => {
                self.err(key, format!("{what} 为负数 {f}"), "件数和金额不能为负数");
                None
            }
            Some(other) => {
                self.err(
                    key,
                    format!(
                        "{what} 应为{}，这里写的是 {other}",
                        if integer { "非负整数" } else { "非负数" }
                    ),
                    "只写数字，不加引号和单位",
                );
                None
            }
        }
    }

    fn count(&mut self, t: &toml::Table, parent: &str, key: &str, what: &str) -> u64 {
        let k = join(parent, key);
        self.number(t.get(key), &k, what, true).unwrap_or(0.0) as u64
    }

    fn amount(&mut self, t: &toml::Table, parent: &str, key: &str, what: &str) -> f64 {
        let k = join(parent, key);
        self.number(t.get(key), &k, what, false).unwrap_or(0.0)
    }

    fn row<const N: usize>(
        &mut self,
        t: &toml::Table,
        parent: &str,
        key: &str,
        row: &str,
        cols: &[&str; N],
    ) -> [u64; N] {
        let k = join(parent, key);
        let mut out = [0u64; N];
        match t.get(key) {
            None => self.err(
                &k,
                format!("缺少{row}（{k}）"),
                format!(
                    "写成 {key} = [{}]，依次为 {}",
                    vec!["0"; N].join(", "),
                    cols.join("、")
                ),
            ),
            Some(Value::Array(a)) if a.len() == N => {
                for (i, v) in a.iter().enumerate() {
                    let what = format!("{row}“{}”列", cols[i]);
                    out[i] = self.number(Some(v), &k, &what, true).unwrap_or(0.0) as u64;
                }
            }
            Some(Value::Array(a)) => self.err(
                &k,
                format!("{row}应有 {N} 个数，这里有 {} 个", a.len()),
                format!("依次写 {}", cols.join("、")),
            ),
            Some(_) => self.err(
                &k,
                format!("{row}应是 {N} 个数的列表"),
                format!("写成 {key} = [{}]", vec!["0"; N].join(", ")),
            ),
        }
        out
    }
}

/// Line of each key (`table3.withheld.secret` → 12), from a light scan of the text: table
/// headers and `key =` lines, skipping multi-line strings.
pub fn key_lines(text: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let mut header = String::new();
    let mut in_string = false;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if in_string {
            if t.contains("\"\"\"") || t.contains("'''") {
                in_string = false;
            }
            continue;
        }
        if t.starts_with('[') && !t.starts_with("[[") {
            header = t
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .replace(['"', ' '], "");
            out.entry(header.clone()).or_insert(n + 1);
            continue;
        }
        if let Some((k, v)) = t.split_once('=') {
            if t.starts_with('#') {
                continue;
            }
            let k = k.trim().replace(['"', ' '], "");
            out.entry(join(&header, &k)).or_insert(n + 1);
            let v = v.trim();
            if (v.starts_with("\"\"\"") && !v[3..].contains("\"\"\""))
                || (v.starts_with("'''") && !v[3..].contains("'''"))
            {
                in_string = true;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
