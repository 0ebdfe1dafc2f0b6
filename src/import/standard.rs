//! `gongkai import --standard TABLE`: a 政务公开事项标准目录 table as offices receive it (.xlsx,
//! .csv or a Word .docx) → the text of `catalogue/<领域>.toml`.
//!
//! The printed table has a two-row head: 序号 | 公开事项 (一级事项, 二级事项) | 公开内容（要素）|
//! 公开依据 | 公开时限 | 公开主体 | 公开渠道和载体 | 公开对象 (全社会, 特定群体) | 公开方式 (主动,
//! 依申请) | 公开层级 (县级, 乡、村级). The head is found by its words, wherever it starts; each
//! column is taken from the lower head cell, else the upper one, so a one-row head whose 公开对象
//! column holds the words (全社会) reads as well as the √ columns. A 一级事项 merged over several
//! rows is filled down; a 公开渠道 checklist (`■政府网站 □政务微博`) keeps the ticked items.
//!
//! Reading reuses the import readers: [`super::catalogue::sheet`] (calamine for .xlsx, UTF-8 or
//! GBK .csv) and [`super::docx`] (the Word tables, spans expanded). The result is parsed back
//! with [`crate::catalogue::parse`] before it is written, so an import never writes a file the
//! build would refuse.

use std::path::Path;

use crate::catalogue::{parse::split_list, slug_of};

/// A column of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Seq,
    First,
    Second,
    Content,
    Basis,
    Deadline,
    Subject,
    Channels,
    /// A text column of values (a one-row head).
    Audience,
    Modes,
    Levels,
    /// A √ column: the key and the value it ticks.
    Tick(&'static str, &'static str),
}

const HEADS: &[(&str, Col)] = &[
    ("序号", Col::Seq),
    ("一级事项", Col::First),
    ("二级事项", Col::Second),
    ("公开内容", Col::Content),
    ("公开要素", Col::Content),
    ("公开依据", Col::Basis),
    ("公开时限", Col::Deadline),
    ("公开主体", Col::Subject),
    ("公开渠道", Col::Channels),
    ("公开载体", Col::Channels),
    ("公开对象", Col::Audience),
    ("公开方式", Col::Modes),
    ("公开层级", Col::Levels),
    ("全社会", Col::Tick("公开对象", "全社会")),
    ("特定群体", Col::Tick("公开对象", "特定群体")),
    ("主动", Col::Tick("公开方式", "主动")),
    ("依申请", Col::Tick("公开方式", "依申请")),
    ("省级", Col::Tick("公开层级", "省级")),
    ("市级", Col::Tick("公开层级", "市级")),
    ("县级", Col::Tick("公开层级", "县级")),
    ("乡、村级", Col::Tick("公开层级", "乡、村级")),
    ("乡村级", Col::Tick("公开层级", "乡、村级")),
    ("乡级", Col::Tick("公开层级", "乡、村级")),
    ("村级", Col::Tick("公开层级", "乡、村级")),
    ("乡镇级", Col::Tick("公开层级", "乡、村级")),
];

fn head_of(cell: &str) -> Option<Col> {
    let c: String = crate::catalogue::squeeze(cell)
        .replace(['（', '(', '）', ')'], "")
        .replace("要素", "");
    // Exact words first (县级 must not be read as part of 公开层级).
    HEADS
        .iter()
        .find(|(w, _)| c == *w)
        .or_else(|| {
            HEADS
                .iter()
                .find(|(w, _)| w.chars().count() >= 4 && c.starts_with(w))
        })
        .map(|(_, col)| *col)
}

/// What an import made: the file's text and what it found.
#[derive(Debug, Clone)]
pub struct Imported {
    /// 领域 name.
    pub area: String,
    /// The `catalogue/<领域>.toml` text.
    pub toml: String,
    /// Rows imported.
    pub rows: usize,
    /// Notes for the editor (rows skipped, values not understood), each naming the row.
    pub notes: Vec<String>,
}

/// Reads the table at `path` and writes the catalogue text. `area` and `slug` override what
/// the file says. Errors name the file and say what to do, in Chinese first.
pub fn import(path: &Path, area: Option<&str>, slug: Option<&str>) -> Result<Imported, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let rows: Vec<(usize, Vec<String>)> = if ext == "docx" {
        docx_rows(path)?
    } else {
        super::catalogue::sheet::read_sheet(path)?.rows
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    from_rows(&rows, area, slug, &stem)
}

/// The rows of the Word tables (the first table with a 标准目录 head, and the tables after it,
/// which continue it across pages): spans expanded to their columns, merged cells empty.
fn docx_rows(path: &Path) -> Result<Vec<(usize, Vec<String>)>, String> {
    let file = std::fs::File::open(path)
        .map_err(|e| format!("无法读取：{}", crate::diag::io_message(&e)))?;
    let doc = super::docx::read(std::io::BufReader::new(file)).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut n = 0;
    for block in &doc.blocks {
        let super::docx::Block::Table(t) = block else {
            continue;
        };
        for row in &t.rows {
            n += 1;
            let mut cells = Vec::new();
            for c in &row.cells {
                cells.push(if c.merged_above {
                    String::new()
                } else {
                    c.text()
                });
                for _ in 1..c.span.max(1) {
                    cells.push(String::new());
                }
            }
            out.push((n, cells));
        }
    }
    if out.is_empty() {
        return Err("Word 文件中没有表格；标准目录应是一张表格（序号、公开事项、公开内容……公开层级）(no table in the .docx)".into());
    }
    Ok(out)
}

/// The table's rows (row number, cells) → the catalogue text.
pub fn from_rows(
    rows: &[(usize, Vec<String>)],
    area: Option<&str>,
    slug: Option<&str>,
    file_stem: &str,
) -> Result<Imported, String> {
    let head_at = rows
        .iter()
        .position(|(_, cells)| {
            let cols: Vec<Col> = cells.iter().filter_map(|c| head_of(c)).collect();
            cols.contains(&Col::Deadline) && cols.contains(&Col::Basis)
        })
        .ok_or("找不到表头：标准目录的表头应有“公开事项”“公开依据”“公开时限”等列 (no header row with 公开依据 and 公开时限)")?;
    // A title row above the head names the 领域 (“重大建设项目领域基层政务公开标准目录”).
    let title = rows[..head_at]
        .iter()
        .flat_map(|(_, c)| c.iter())
        .find(|c| c.contains("目录"))
        .map(|t| area_from_title(t));
    let upper = &rows[head_at].1;
    let lower = rows
        .get(head_at + 1)
        .map(|r| r.1.clone())
        .unwrap_or_default();
    // A second head row names 一级/二级事项 or the √ columns, and is empty under 公开依据
    // (merged from above); a data row under a one-row head always gives its 公开依据.
    let basis_at = upper.iter().position(|c| head_of(c) == Some(Col::Basis));
    let two_rows = lower
        .iter()
        .any(|c| matches!(head_of(c), Some(Col::First | Col::Second | Col::Tick(..))))
        && basis_at.is_none_or(|j| lower.get(j).is_none_or(|c| c.trim().is_empty()));
    let width = upper.len().max(lower.len());
    let mut cols: Vec<Option<Col>> = Vec::with_capacity(width);
    let mut group: Option<Col> = None;
    for j in 0..width {
        let up = upper.get(j).map(String::as_str).unwrap_or("");
        let low = if two_rows {
            lower.get(j).map(String::as_str).unwrap_or("")
        } else {
            ""
        };
        if !up.trim().is_empty() {
            group = head_of(up);
        }
        let col = head_of(low).or_else(|| {
            if up.trim().is_empty() {
                // Under a merged upper cell (公开事项 spanning 一级/二级) with no lower word.
                None
            } else {
                group
            }
        });
        cols.push(col);
    }
    // 公开事项 as one column (no 一级/二级 split): it holds the 二级事项.
    if !cols.contains(&Some(Col::Second)) {
        if let Some(p) = upper
            .iter()
            .position(|c| crate::catalogue::squeeze(c) == "公开事项")
        {
            cols[p] = Some(Col::Second);
        }
    }
    let has = |want: fn(&Col) -> bool| cols.iter().flatten().any(want);
    let mut missing = Vec::new();
    for (label, ok) in [
        ("二级事项（或公开事项）", has(|c| *c == Col::Second)),
        ("公开内容（要素）", has(|c| *c == Col::Content)),
        ("公开依据", has(|c| *c == Col::Basis)),
        ("公开时限", has(|c| *c == Col::Deadline)),
        ("公开渠道和载体", has(|c| *c == Col::Channels)),
        (
            "公开对象",
            has(|c| matches!(c, Col::Audience | Col::Tick("公开对象", _))),
        ),
        (
            "公开方式",
            has(|c| matches!(c, Col::Modes | Col::Tick("公开方式", _))),
        ),
        (
            "公开层级",
            has(|c| matches!(c, Col::Levels | Col::Tick("公开层级", _))),
        ),
    ] {
        if !ok {
            missing.push(label);
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "第 {} 行的表头缺少列：{}。标准目录应有十列：序号、公开事项（一级、二级）、公开内容（要素）、公开依据、公开时限、公开主体、公开渠道和载体、公开对象、公开方式、公开层级 (missing columns)",
            rows[head_at].0,
            missing.join("、")
        ));
    }
    let name = area
        .map(str::to_string)
        .or(title)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| area_from_title(file_stem));
    let slug = slug.map(str::to_string).unwrap_or_else(|| slug_of(&name));
    let first_data = head_at + if two_rows { 2 } else { 1 };
    let mut out = String::new();
    out.push_str(&format!(
        "# {name}领域政务公开标准目录，由 gongkai import --standard 导入。\n# 编号一经使用不再更改：文件头的“事项”和网址都用它。\n领域 = {}\n编码 = {}\n",
        quote(&name),
        quote(&slug)
    ));
    let mut notes = Vec::new();
    let mut count = 0;
    let mut last_first = String::new();
    let mut ids = std::collections::BTreeSet::new();
    for (row_no, cells) in &rows[first_data..] {
        let get = |want: Col| -> String {
            cols.iter()
                .zip(cells)
                .filter(|(c, _)| **c == Some(want))
                .map(|(_, v)| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        };
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // A repeated head (a table continued on the next page) is not a row.
        if head_of(&get(Col::Deadline)).is_some() || get(Col::Second) == "二级事项" {
            continue;
        }
        let mut first = get(Col::First);
        if first.is_empty() {
            first = last_first.clone();
        } else {
            last_first = first.clone();
        }
        let mut second = get(Col::Second);
        if second.is_empty() {
            if first.is_empty() {
                notes.push(format!("第 {row_no} 行没有事项名称，已跳过"));
                continue;
            }
            second = first.clone();
        }
        if first.is_empty() {
            first = second.clone();
        }
        let ticked = |key: &str| -> Vec<String> {
            let mut v: Vec<String> = cols
                .iter()
                .zip(cells)
                .filter_map(|(c, cell)| match c {
                    Some(Col::Tick(k, value)) if *k == key && is_tick(cell) => {
                        Some(value.to_string())
                    }
                    _ => None,
                })
                .collect();
            let text_col = match key {
                "公开对象" => Col::Audience,
                "公开方式" => Col::Modes,
                _ => Col::Levels,
            };
            v.extend(split_list(&get(text_col)));
            v.dedup();
            v
        };
        count += 1;
        let seq = get(Col::Seq);
        let n = seq
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .unwrap_or(count);
        let mut id = format!("{slug}-{n:02}");
        while !ids.insert(id.clone()) {
            id = format!("{slug}-{n:02}-{count}");
        }
        out.push_str(&format!("\n[[事项]]\n编号 = {}\n", quote(&id)));
        if !seq.is_empty() {
            out.push_str(&format!("序号 = {}\n", quote(&seq)));
        }
        out.push_str(&format!(
            "一级事项 = {}\n二级事项 = {}\n",
            quote(&first),
            quote(&second)
        ));
        for (label, col) in [
            ("公开内容", Col::Content),
            ("公开依据", Col::Basis),
            ("公开时限", Col::Deadline),
            ("公开主体", Col::Subject),
        ] {
            let v = get(col);
            if v.is_empty() {
                notes.push(format!("第 {row_no} 行（{second}）的{label}是空的，请补上"));
            }
            out.push_str(&format!("{label} = {}\n", quote(&v)));
        }
        for (label, values) in [
            ("公开渠道", split_list(&get(Col::Channels))),
            ("公开对象", ticked("公开对象")),
            ("公开方式", ticked("公开方式")),
            ("公开层级", ticked("公开层级")),
        ] {
            if values.is_empty() {
                notes.push(format!("第 {row_no} 行（{second}）没有勾选{label}，请补上"));
            }
            let list: Vec<String> = values.iter().map(|v| quote(v)).collect();
            out.push_str(&format!("{label} = [{}]\n", list.join(", ")));
        }
    }
    if count == 0 {
        return Err("表头下面没有任何事项行 (no rows under the header)".into());
    }
    Ok(Imported {
        area: name,
        toml: out,
        rows: count,
        notes,
    })
}

/// A cell that ticks its column: √, ✓, ■, ●, 是, ○ is not.
fn is_tick(cell: &str) -> bool {
    let c = cell.trim();
    !c.is_empty() && c.contains(['√', '✓', '✔', '■', '●', '☑', '是', 'V', 'v', 'Y', '1'])
}

/// `重大建设项目领域基层政务公开标准目录` → `重大建设项目`.
fn area_from_title(t: &str) -> String {
    let t = crate::catalogue::squeeze(t);
    let t = t.split("领域").next().unwrap_or(&t);
    let t = t
        .trim_end_matches("政务公开标准目录")
        .trim_end_matches("基层政务公开标准目录")
        .trim_end_matches("标准目录")
        .trim_start_matches(|c: char| c.is_ascii_digit() || "、.．".contains(c));
    // A place name before it (滦平县, 双桥区) names the office, not the 领域; a 领域 may
    // itself hold 市 (城市管理, 市场监管), so only a 2–5 character name is taken off.
    let chars: Vec<char> = t.chars().collect();
    match chars.iter().position(|c| "县区市旗".contains(*c)) {
        Some(p) if (2..=5).contains(&p) && chars.len() > p + 2 => chars[p + 1..].iter().collect(),
        _ => t.to_string(),
    }
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: usize, cells: &[&str]) -> (usize, Vec<String>) {
        (n, cells.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn reads_a_one_row_head_with_words_instead_of_ticks() {
        // Some counties print 公开对象/方式/层级 as words in one column each, and 公开事项
        // as one column (the 二级事项).
        let head =
            "序号,公开事项,公开内容,公开依据,公开时限,公开主体,公开渠道,公开对象,公开方式,公开层级";
        let row = "1,招生计划,各校招生计划,《义务教育法》,每年6月30日前,县教育局,政府网站、两微一端,全社会,主动,县级 乡、村级";
        let rows: Vec<(usize, Vec<String>)> = [head, row]
            .iter()
            .enumerate()
            .map(|(n, l)| (n + 1, l.split(',').map(str::to_string).collect()))
            .collect();
        let got = from_rows(&rows, Some("义务教育"), Some("jy"), "x").unwrap();
        let (area, d) =
            crate::catalogue::parse::parse_area(Path::new("catalogue/义务教育.toml"), &got.toml);
        assert!(d.is_empty(), "{d:?}\n{}", got.toml);
        let e = &area.unwrap().entries[0];
        assert_eq!(
            (e.id.as_str(), e.first.as_str(), e.second.as_str()),
            ("jy-01", "招生计划", "招生计划")
        );
        assert_eq!(e.levels.len(), 2);
        assert_eq!(
            e.deadline,
            crate::catalogue::Deadline::Yearly {
                month: 6,
                day: Some(30)
            }
        );
    }

    #[test]
    fn names_missing_columns() {
        let rows = vec![r(1, &["序号", "公开事项", "公开依据", "公开时限"])];
        let e = from_rows(&rows, None, None, "x").unwrap_err();
        assert!(e.contains("公开内容") && e.contains("公开层级"), "{e}");
    }
}
