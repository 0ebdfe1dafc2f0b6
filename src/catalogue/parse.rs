//! `catalogue/<领域>.toml` → [`Area`], every problem reported with its file and line.
//!
//! ```toml
//! 领域 = "重大建设项目"
//! 编码 = "zdjsxm"                 # optional: the URL segment (default: pinyin initials)
//! 公开主体 = "县发展和改革局"      # optional: the default for every row
//!
//! [[事项]]
//! 编号 = "zdjsxm-01"              # stable id: documents and URLs use it
//! 序号 = "1"
//! 一级事项 = "批准服务信息"
//! 二级事项 = "申报要求"
//! 公开内容 = "项目申报材料清单、申报流程"
//! 公开依据 = "《政府信息公开条例》《企业投资项目核准和备案管理条例》"
//! 公开时限 = "信息形成或变更之日起20个工作日内"
//! 公开渠道 = ["政府网站", "政务服务中心"]
//! 公开对象 = "全社会"             # 全社会 | 特定群体 (or both, as a list)
//! 公开方式 = "主动"               # 主动 | 依申请
//! 公开层级 = ["县级"]             # 县级 | 乡、村级 (市级, 省级)
//! ```
//!
//! Keys may be written in Chinese (as the printed table heads them) or English. The file is
//! read with `toml_edit`, which keeps each key's position, so an unknown key or a missing
//! column in the 30th row names that row's line. Rows with errors are left out; the others
//! are kept, so one build reports every problem of every file.
//!
//! Over 600 lines with its tests (about 100): one file format's key table, reader and
//! checks, which read best together; nothing here is shared with another stage.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use toml_edit::{ImDocument, Item, Table, Value};

use super::{
    is_ascii_id, is_ascii_slug, slug_of, Area, Audience, Catalogue, Deadline, Entry, Level, Mode,
};
use crate::diag::{line_col, suggest, Code, Diagnostic};

/// A key of the file: canonical name, the label shown in messages, accepted spellings.
struct Key {
    name: &'static str,
    label: &'static str,
    aliases: &'static [&'static str],
}

const fn k(name: &'static str, label: &'static str, aliases: &'static [&'static str]) -> Key {
    Key {
        name,
        label,
        aliases,
    }
}

/// Keys at the top of a file.
const TOP: &[Key] = &[
    k("name", "领域", &["领域", "领域名称", "area"]),
    k("slug", "编码", &["编码", "网址编码"]),
    k("subject", "公开主体", &["公开主体"]),
    k("description", "说明", &["说明", "备注"]),
    k("entries", "事项", &["事项", "公开事项", "items"]),
];

/// Keys of one `[[事项]]`, in the table's column order.
const ENTRY: &[Key] = &[
    k("id", "编号", &["编号", "事项编号"]),
    k("seq", "序号", &["序号"]),
    k("first", "一级事项", &["一级事项"]),
    k("second", "二级事项", &["二级事项"]),
    k(
        "content",
        "公开内容（要素）",
        &["公开内容", "公开内容（要素）", "公开内容(要素)", "公开要素"],
    ),
    k("basis", "公开依据", &["公开依据"]),
    k("deadline", "公开时限", &["公开时限"]),
    k("subject", "公开主体", &["公开主体"]),
    k(
        "channels",
        "公开渠道和载体",
        &["公开渠道", "公开渠道和载体", "公开载体"],
    ),
    k("audience", "公开对象", &["公开对象"]),
    k("modes", "公开方式", &["公开方式"]),
    k("levels", "公开层级", &["公开层级"]),
];

/// Columns every row must give (公开主体 may come from the top of the file).
const REQUIRED: &[&str] = &[
    "id", "first", "second", "content", "basis", "deadline", "subject", "channels", "audience",
    "modes", "levels",
];

fn lookup<'k>(keys: &'k [Key], written: &str) -> Option<&'k Key> {
    let w = super::squeeze(written);
    keys.iter()
        .find(|k| k.name == w || k.aliases.contains(&w.as_str()))
}

fn label(keys: &[Key], name: &str) -> &'static str {
    keys.iter().find(|k| k.name == name).map_or("", |k| k.label)
}

/// Parses every loaded catalogue file (path → text, or why it could not be read) and checks
/// what must be unique across them: ids, URL segments and 领域 names.
pub fn parse_all(
    files: &BTreeMap<PathBuf, Result<String, String>>,
) -> (Catalogue, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut areas: Vec<Area> = Vec::new();
    for (path, text) in files {
        match text {
            Err(why) => diags.push(
                Diagnostic::new(
                    Code::E014,
                    path,
                    format!("无法读取标准目录文件：{why} (cannot read the file)"),
                )
                .help("检查文件权限；文件应为 UTF-8 编码的 TOML 文本"),
            ),
            Ok(text) => {
                let (area, d) = parse_area(path, text);
                diags.extend(d);
                areas.extend(area);
            }
        }
    }
    // Ids, slugs and names are what URLs and documents refer to: a repeat is an error, and
    // the later file's copy is dropped so that every reference still has one meaning.
    let mut ids: BTreeMap<String, (PathBuf, usize)> = BTreeMap::new();
    let mut slugs: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut names: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut kept = Vec::new();
    for mut area in areas {
        if let Some(other) = slugs.get(&area.slug).or_else(|| names.get(&area.name)) {
            diags.push(
                Diagnostic::new(
                    Code::E014,
                    &area.file,
                    format!(
                        "领域 “{}”（编码 {}）与 {} 重复，本文件未采用 (repeated area)",
                        area.name,
                        area.slug,
                        other.display()
                    ),
                )
                .at(1)
                .field("编码")
                .help("每个领域一个文件；两个领域名称的拼音首字母相同时，在文件开头写 编码 = \"…\" 加以区分"),
            );
            continue;
        }
        slugs.insert(area.slug.clone(), area.file.clone());
        names.insert(area.name.clone(), area.file.clone());
        area.entries.retain(|e| {
            if let Some((f, l)) = ids.get(&e.id) {
                diags.push(
                    Diagnostic::new(
                        Code::E014,
                        &area.file,
                        format!(
                            "事项编号 “{}” 与 {} 第 {l} 行重复，本行未采用 (repeated id)",
                            e.id,
                            f.display()
                        ),
                    )
                    .at(e.line_of("id"))
                    .field("编号")
                    .help("编号在全部标准目录中唯一，且一经使用不再更改（文件和网址都用它）；给本行另取一个编号"),
                );
                false
            } else {
                ids.insert(e.id.clone(), (area.file.clone(), e.line_of("id")));
                true
            }
        });
        kept.push(area);
    }
    (Catalogue { areas: kept }, diags)
}

/// Parses one file. `None` when the file is not TOML at all; otherwise the area with the rows
/// that are complete, and a finding for every problem.
pub fn parse_area(file: &Path, text: &str) -> (Option<Area>, Vec<Diagnostic>) {
    let mut r = Reader {
        file,
        text: "",
        diags: Vec::new(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let quoted = quote_chinese_keys(text);
    let text = quoted.as_str();
    r.text = text;
    let doc = match ImDocument::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let mut d = Diagnostic::new(
                Code::E014,
                file,
                format!("标准目录文件不是有效的 TOML：{} (not valid TOML)", e.message()),
            )
            .help("按 TOML 格式书写：键 = \"值\"，每个事项以一行 [[事项]] 开始；可对照编辑手册中的样例");
            if let Some(span) = e.span() {
                let (l, c) = line_col(text, span.start);
                d = d.at_col(l, c);
            }
            return (None, vec![d]);
        }
    };
    let root = doc.as_table();
    let mut top: BTreeMap<&'static str, (&Item, usize)> = BTreeMap::new();
    for (key, item) in root.iter() {
        let line = r.key_line(root, key);
        match lookup(TOP, key) {
            Some(k) => {
                top.insert(k.name, (item, line));
            }
            None => r.unknown(key, line, TOP, "文件开头"),
        }
    }
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match top.get("name") {
        Some((item, line)) => r.string(item, *line, "领域").unwrap_or(stem.clone()),
        None => stem.clone(),
    };
    let slug = match top.get("slug") {
        Some((item, line)) => match r.string(item, *line, "编码") {
            Some(s) if is_ascii_slug(&s) => s,
            Some(s) => {
                r.err(
                    *line,
                    "编码",
                    format!("编码 “{s}” 只能由英文字母、数字和 - _ 组成（它是网址的一部分）"),
                    format!("例如 编码 = \"{}\"", slug_of(&name)),
                );
                slug_of(&name)
            }
            None => slug_of(&name),
        },
        None => slug_of(&name),
    };
    let default_subject = top
        .get("subject")
        .and_then(|(item, line)| r.string(item, *line, "公开主体"));
    let description = top
        .get("description")
        .and_then(|(item, line)| r.string(item, *line, "说明"))
        .unwrap_or_default();
    let mut entries = Vec::new();
    match top.get("entries") {
        Some((Item::ArrayOfTables(rows), _)) => {
            let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
            for (i, row) in rows.iter().enumerate() {
                if let Some(e) = r.entry(row, i, default_subject.as_deref()) {
                    if let Some(l) = seen.insert((e.first.clone(), e.second.clone()), e.line) {
                        r.err(
                            e.line,
                            "二级事项",
                            format!(
                                "一级事项 “{}” 下的二级事项 “{}” 与第 {l} 行重复 (repeated item)",
                                e.first, e.second
                            ),
                            "合并这两行，或改正其中一行的事项名称",
                        );
                        continue;
                    }
                    entries.push(e);
                }
            }
        }
        Some((_, line)) => r.err(
            *line,
            "事项",
            "“事项” 应写成一组 [[事项]] 表，每个二级事项一个".into(),
            "每个二级事项以单独一行 [[事项]] 开始，下面逐行写 编号 = …、一级事项 = … 等",
        ),
        None => r.err(
            1,
            "事项",
            format!("标准目录文件 {} 中没有任何 [[事项]]", file.display()),
            "每个二级事项以单独一行 [[事项]] 开始（格式见编辑手册“政务公开事项标准目录”一节）",
        ),
    }
    let area = Area {
        file: file.to_path_buf(),
        name,
        slug,
        description,
        entries,
    };
    (Some(area), r.diags)
}

/// TOML 1.0 allows only ASCII in bare keys, but editors write the table's own headings
/// (`公开时限 = "…"`, `[[事项]]`). Such keys are put in quotes before parsing; lines are
/// unchanged, so every finding still names the editor's line. Multi-line strings are left
/// alone.
pub fn quote_chinese_keys(text: &str) -> String {
    const DELIMS: [&str; 2] = ["\"\"\"", "'''"];
    let mut out = String::with_capacity(text.len() + 64);
    let mut in_string: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        if let Some(delim) = in_string {
            if line.matches(delim).count() % 2 == 1 {
                in_string = None;
            }
            out.push_str(line);
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let body = &line[indent..];
        let bare = |k: &str| {
            let k = k.trim();
            !k.is_empty()
                && !k.is_ascii()
                && !k.starts_with(['"', '\'', '#'])
                && !k.contains(['"', '\'', '.', '[', ']', '#', '='])
        };
        let fixed = if let Some(rest) = body.strip_prefix("[[") {
            match rest.split_once("]]") {
                Some((k, tail)) if bare(k) => Some(format!("[[\"{}\"]]{tail}", k.trim())),
                _ => None,
            }
        } else if let Some(rest) = body.strip_prefix('[') {
            match rest.split_once(']') {
                Some((k, tail)) if bare(k) => Some(format!("[\"{}\"]{tail}", k.trim())),
                _ => None,
            }
        } else {
            match body.split_once('=') {
                Some((k, v)) if bare(k) => Some(format!("\"{}\" ={v}", k.trim())),
                _ => None,
            }
        };
        let line_out = match fixed {
            Some(f) => format!("{}{f}", &line[..indent]),
            None => line.to_string(),
        };
        in_string = DELIMS
            .into_iter()
            .find(|d| line_out.matches(d).count() % 2 == 1);
        out.push_str(&line_out);
    }
    out
}

/// Collects findings while walking one file.
struct Reader<'a> {
    file: &'a Path,
    text: &'a str,
    diags: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn err(&mut self, line: usize, field: &str, message: String, help: impl Into<String>) {
        self.diags.push(
            Diagnostic::new(Code::E014, self.file, message)
                .at(line)
                .field(field)
                .help(help),
        );
    }

    fn line_of(&self, span: Option<std::ops::Range<usize>>) -> Option<usize> {
        span.map(|s| line_col(self.text, s.start).0)
    }

    fn key_line(&self, table: &Table, key: &str) -> usize {
        table
            .key(key)
            .and_then(|k| self.line_of(k.span()))
            .or_else(|| self.line_of(table.span()))
            .unwrap_or(1)
    }

    fn unknown(&mut self, key: &str, line: usize, keys: &[Key], place: &str) {
        let all = keys
            .iter()
            .flat_map(|k| std::iter::once(k.label).chain(k.aliases.iter().copied()));
        let hint = suggest(key, all);
        let known: Vec<&str> = keys.iter().map(|k| k.label).collect();
        self.err(
            line,
            key,
            format!("{place}有未知的列 “{key}”{hint} (unknown column)"),
            format!("可用的列：{}", known.join("、")),
        );
    }

    /// A text value (a number is taken as written: `序号 = 3`).
    fn string(&mut self, item: &Item, line: usize, what: &str) -> Option<String> {
        match item.as_value() {
            Some(Value::String(s)) => Some(s.value().trim().to_string()).filter(|s| !s.is_empty()),
            Some(Value::Integer(i)) => Some(i.value().to_string()),
            Some(Value::Array(a)) => {
                let parts: Vec<String> = a
                    .iter()
                    .filter_map(|v| v.as_str().map(|s| s.trim().to_string()))
                    .filter(|s| !s.is_empty())
                    .collect();
                (!parts.is_empty()).then(|| parts.join("\n"))
            }
            _ => {
                self.err(
                    line,
                    what,
                    format!("“{what}” 应是文字"),
                    format!("写成 {what} = \"……\""),
                );
                None
            }
        }
    }

    /// A list of texts: an array, or one text split at 、，,；; and spaces. A printed checklist
    /// (`■政府网站 □政务微博`) keeps the ■/√/☑ items only.
    fn list(&mut self, item: &Item, line: usize, what: &str) -> Vec<String> {
        let raw: Vec<String> = match item.as_value() {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.value().to_string()),
                    _ => {
                        self.err(
                            line,
                            what,
                            format!("“{what}” 的列表中有一项不是文字"),
                            format!("写成 {what} = [\"…\", \"…\"]"),
                        );
                        None
                    }
                })
                .collect(),
            Some(Value::String(s)) => vec![s.value().to_string()],
            _ => {
                self.err(
                    line,
                    what,
                    format!("“{what}” 应是文字或文字的列表"),
                    format!("写成 {what} = [\"…\", \"…\"]"),
                );
                return Vec::new();
            }
        };
        split_list(&raw.join("、"))
    }

    fn entry(&mut self, row: &Table, index: usize, default_subject: Option<&str>) -> Option<Entry> {
        let line = self.line_of(row.span()).unwrap_or(1);
        let mut fields: BTreeMap<&'static str, (&Item, usize)> = BTreeMap::new();
        let mut key_lines = Vec::new();
        for (key, item) in row.iter() {
            let kl = self.key_line(row, key);
            match lookup(ENTRY, key) {
                Some(k) => {
                    fields.insert(k.name, (item, kl));
                    key_lines.push((k.name, kl));
                }
                None => self.unknown(key, kl, ENTRY, &format!("第 {} 个 [[事项]] ", index + 1)),
            }
        }
        let before = self.diags.len();
        let text = |r: &mut Self, name: &'static str| -> Option<String> {
            let (item, l) = fields.get(name)?;
            r.string(item, *l, label(ENTRY, name))
        };
        let id = text(self, "id");
        let seq = text(self, "seq").unwrap_or_else(|| (index + 1).to_string());
        let first = text(self, "first");
        let second = text(self, "second");
        let content = text(self, "content");
        let basis = text(self, "basis");
        let deadline_text = text(self, "deadline");
        let subject = text(self, "subject").or(default_subject.map(str::to_string));
        let ticks = |r: &mut Self, name: &'static str| -> Vec<String> {
            match fields.get(name) {
                Some((item, l)) => r.list(item, *l, label(ENTRY, name)),
                None => Vec::new(),
            }
        };
        let channels = ticks(self, "channels");
        let audience_t = ticks(self, "audience");
        let modes_t = ticks(self, "modes");
        let levels_t = ticks(self, "levels");
        let audience = self.values(
            &fields,
            "audience",
            &audience_t,
            Audience::parse,
            "全社会、特定群体",
        );
        let modes = self.values(&fields, "modes", &modes_t, Mode::parse, "主动、依申请");
        let levels = self.values(
            &fields,
            "levels",
            &levels_t,
            Level::parse,
            "县级、乡、村级（市级、省级）",
        );
        let present: BTreeSet<&str> = [
            ("id", id.is_some()),
            ("first", first.is_some()),
            ("second", second.is_some()),
            ("content", content.is_some()),
            ("basis", basis.is_some()),
            ("deadline", deadline_text.is_some()),
            ("subject", subject.is_some()),
            ("channels", !channels.is_empty()),
            ("audience", !audience_t.is_empty()),
            ("modes", !modes_t.is_empty()),
            ("levels", !levels_t.is_empty()),
        ]
        .into_iter()
        .filter(|(_, ok)| *ok)
        .map(|(k, _)| k)
        .collect();
        let missing: Vec<&str> = REQUIRED
            .iter()
            .filter(|k| !present.contains(*k) && !fields.contains_key(*k))
            .map(|k| label(ENTRY, k))
            .collect();
        let empty: Vec<&str> = REQUIRED
            .iter()
            .filter(|k| !present.contains(*k) && fields.contains_key(*k))
            .map(|k| label(ENTRY, k))
            .collect();
        let what = match (&first, &second) {
            (Some(f), Some(s)) => format!("事项 “{f}/{s}”"),
            _ => format!("第 {} 个 [[事项]]", index + 1),
        };
        if !missing.is_empty() {
            self.err(
                line,
                missing[0],
                format!("{what}缺少列：{} (missing columns)", missing.join("、")),
                format!(
                    "标准目录的每一行都要填全十列；在这个 [[事项]] 下补上 {}",
                    missing
                        .iter()
                        .map(|m| format!("{m} = \"…\""))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            );
        }
        for e in empty {
            let l = key_lines
                .iter()
                .find(|(k, _)| label(ENTRY, k) == e)
                .map_or(line, |(_, l)| *l);
            self.err(
                l,
                e,
                format!("{what}的 “{e}” 是空的 (empty column)"),
                format!("在这一行填写{e}；不适用的写“无”"),
            );
        }
        if let Some(id) = &id {
            if !is_ascii_id(id) {
                self.err(
                    fields.get("id").map_or(line, |f| f.1),
                    "编号",
                    format!("编号 “{id}” 只能由英文字母、数字和 - _ . 组成，且不能是 page 或以 .html 等结尾（它是网址的一部分）(not a usable id)"),
                    "例如 编号 = \"zdjsxm-01\"：领域编码加序号",
                );
            }
        }
        if self.diags.len() > before {
            return None;
        }
        let deadline_text = deadline_text?;
        Some(Entry {
            id: id?,
            seq,
            first: first?,
            second: second?,
            content: content?,
            basis: basis?,
            deadline: Deadline::parse(&deadline_text),
            deadline_text,
            subject: subject?,
            channels,
            audience,
            modes,
            levels,
            line,
            key_lines,
        })
    }

    /// The ticked values of a mark column, each checked against the official headings.
    fn values<T: Ord + Copy>(
        &mut self,
        fields: &BTreeMap<&'static str, (&Item, usize)>,
        name: &'static str,
        written: &[String],
        parse: fn(&str) -> Option<T>,
        allowed: &str,
    ) -> Vec<T> {
        let what = label(ENTRY, name);
        let line = fields.get(name).map_or(1, |f| f.1);
        let mut out: Vec<T> = Vec::new();
        for w in written {
            match parse(w) {
                Some(v) => out.push(v),
                None => self.err(
                    line,
                    what,
                    format!("{what} “{w}” 不是标准目录的取值 (not a value of this column)"),
                    format!("{what}可写：{allowed}"),
                ),
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

/// Splits a cell into its values. A checklist with marks keeps the ticked items only; other
/// text is split at 、，,；; and line breaks (spaces too, when no other separator is used).
pub fn split_list(s: &str) -> Vec<String> {
    const TICKS: &[char] = &['■', '√', '☑', '✓', '✔', '▇'];
    const BLANKS: &[char] = &['□', '☐'];
    if s.contains(TICKS) || s.contains(BLANKS) {
        let mut out = Vec::new();
        let marks: Vec<(usize, char)> = s
            .char_indices()
            .filter(|(_, c)| TICKS.contains(c) || BLANKS.contains(c))
            .collect();
        for (n, &(at, mark)) in marks.iter().enumerate() {
            let end = marks.get(n + 1).map_or(s.len(), |m| m.0);
            let item = s[at + mark.len_utf8()..end]
                .trim_matches(|c: char| c.is_whitespace() || "、，,；;".contains(c));
            if TICKS.contains(&mark) && !item.is_empty() {
                out.push(item.to_string());
            }
        }
        return out;
    }
    // "乡、村级" is one official heading, not two values.
    let s = s.replace("乡、村级", "乡村级");
    let separators: &[char] = if s.contains(['、', '，', ',', '；', ';', '\n']) {
        &['、', '，', ',', '；', ';', '\n']
    } else {
        &[' ', '\u{3000}', '\t']
    };
    s.split(separators)
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(|p| {
            if p == "乡村级" {
                "乡、村级".to_string()
            } else {
                p.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
领域 = "重大建设项目"
公开主体 = "县发展和改革局"

[[事项]]
编号 = "zdjsxm-01"
一级事项 = "批准服务信息"
二级事项 = "申报要求"
公开内容 = "申报材料清单"
公开依据 = "《政府信息公开条例》"
公开时限 = "信息形成或变更之日起20个工作日内"
公开渠道 = "■政府网站 □政务微博 ■政务服务中心"
公开对象 = "全社会"
公开方式 = "主动"
公开层级 = "县级、乡、村级"
"#;

    fn parse(text: &str) -> (Option<Area>, Vec<Diagnostic>) {
        parse_area(Path::new("catalogue/重大建设项目.toml"), text)
    }

    #[test]
    fn reads_a_row_with_marks_and_defaults() {
        let (a, d) = parse(GOOD);
        assert!(d.is_empty(), "{d:?}");
        let a = a.unwrap();
        assert_eq!(a.slug, "zdjsxm");
        let e = &a.entries[0];
        assert_eq!(e.subject, "县发展和改革局");
        assert_eq!(e.channels, ["政府网站", "政务服务中心"]);
        assert_eq!(e.levels, [Level::County, Level::TownVillage]);
        assert_eq!(e.deadline, Deadline::WorkingDays { days: 20 });
        assert_eq!(e.line, 5);
        assert_eq!(e.line_of("basis"), 10);
    }

    #[test]
    fn unknown_keys_and_missing_columns_name_their_lines() {
        let text = GOOD
            .replace("公开依据 = \"《政府信息公开条例》\"\n", "")
            .replace("公开时限", "公开时间");
        let (a, d) = parse(&text);
        assert!(a.unwrap().entries.is_empty());
        let unknown = d.iter().find(|d| d.message.contains("未知的列")).unwrap();
        assert_eq!(unknown.line, Some(10));
        assert!(unknown.message.contains("公开时限"), "{}", unknown.message);
        let missing = d.iter().find(|d| d.message.contains("缺少列")).unwrap();
        assert_eq!(missing.line, Some(5));
        assert!(missing.message.contains("公开依据"), "{}", missing.message);
        assert!(missing.message.contains("公开时限"), "{}", missing.message);
    }

    #[test]
    fn bad_toml_is_one_finding_with_its_line() {
        let (a, d) = parse("领域 = \"x\"\n[[事项]]\n编号 = \n");
        assert!(a.is_none());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, Some(3));
        assert_eq!(d[0].rule, crate::diag::Code::E014);
    }

    #[test]
    fn wrong_marks_are_named() {
        let (_, d) = parse(&GOOD.replace("公开方式 = \"主动\"", "公开方式 = \"主动推送\""));
        assert!(d[0].message.contains("主动推送"), "{d:?}");
        assert_eq!(d[0].line, Some(14));
    }

    #[test]
    fn splits_checklists_and_lists() {
        assert_eq!(
            split_list("√政府网站□公开查阅点√两微一端"),
            ["政府网站", "两微一端"]
        );
        assert_eq!(
            split_list("政府网站、政务服务中心"),
            ["政府网站", "政务服务中心"]
        );
        assert_eq!(split_list("县级 乡、村级"), ["县级", "乡、村级"]);
    }

    #[test]
    fn repeated_ids_across_files_are_refused() {
        let mut files = BTreeMap::new();
        files.insert(PathBuf::from("catalogue/a.toml"), Ok(GOOD.to_string()));
        files.insert(
            PathBuf::from("catalogue/b.toml"),
            Ok(GOOD.replace("重大建设项目", "义务教育")),
        );
        let (c, d) = parse_all(&files);
        assert_eq!(c.areas.len(), 2);
        assert_eq!(c.areas[1].entries.len(), 0);
        assert!(d[0].message.contains("zdjsxm-01"), "{d:?}");
    }
}
