//! The catalogue as a table: `.xlsx` through calamine, `.csv` in UTF-8 or GBK; the header row
//! found and each column recognised by its Chinese header or a mapping file; rows as entries.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::Problem;

/// Largest catalogue read (a real one is a few megabytes).
const MAX_LIST: u64 = 200 << 20;

/// The catalogue as text cells, with the spreadsheet row number of each row.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// (row number, cells).
    pub rows: Vec<(usize, Vec<String>)>,
    /// How a CSV was decoded (`UTF-8`, `GBK`); empty for `.xlsx`.
    pub encoding: &'static str,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// A front-matter key (`title`, `index_no`, `issuer` …).
    Field(&'static str),
    /// The page's old address (链接).
    Url,
    /// The saved page's file name in the pages folder.
    Page,
}

/// Headers recognised besides the front-matter labels.
const EXTRA_HEADERS: &[(&str, Column)] = &[
    ("链接", Column::Url),
    ("网址", Column::Url),
    ("url", Column::Url),
    ("地址", Column::Url),
    ("原文链接", Column::Url),
    ("访问地址", Column::Url),
    ("页面地址", Column::Url),
    ("信息链接", Column::Url),
    ("页面文件", Column::Page),
    ("文件名", Column::Page),
    ("本地文件", Column::Page),
    ("页面", Column::Page),
    ("信息名称", Column::Field("title")),
    ("题名", Column::Field("title")),
    ("文件标题", Column::Field("title")),
    ("发布时间", Column::Field("published")),
    ("公开日期", Column::Field("published")),
    ("发文日期", Column::Field("written")),
    ("印发日期", Column::Field("written")),
    ("时效性", Column::Field("validity")),
    ("分类", Column::Field("category")),
    ("信息来源", Column::Field("source")),
];

/// Reads the catalogue.
pub fn read_sheet(path: &Path) -> Result<Sheet, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("无法读取：{} ({e})", crate::diag::io_reason(&e)))?
        .len();
    if size > MAX_LIST {
        return Err(format!(
            "文件有 {size} 字节，超过上限 {MAX_LIST} 字节；请只导出目录的文字 (the list is too large)"
        ));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" | "tsv" => {
            let bytes = std::fs::read(path).map_err(|e| format!("无法读取：{e}"))?;
            read_csv(&bytes)
        }
        "xlsx" | "xlsm" | "xls" | "ods" => read_workbook(path),
        _ => Err("目录文件应为 .xlsx 或 .csv（Excel 另存为“CSV”或“Excel 工作簿”）(the list must be .xlsx or .csv)".into()),
    }
}

/// Decodes CSV bytes: UTF-8 (with or without BOM), else GB18030 (a superset of GBK and
/// GB2312, what Excel writes on a Chinese Windows).
pub fn decode_csv(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return (
            enc.decode_without_bom_handling(&bytes[bom..])
                .0
                .into_owned(),
            enc.name(),
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_string(), "UTF-8"),
        Err(_) => (
            encoding_rs::GB18030
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
            "GBK",
        ),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Sheet, String> {
    let (text, encoding) = decode_csv(bytes);
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches('\t').count() > first.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            format!(
                "第 {} 行无法解析（{e}）；请用 Excel 打开后重新另存为 CSV",
                e.position().map(|p| p.line()).unwrap_or(0)
            )
        })?;
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
        rows.push((line, rec.iter().map(|c| c.trim().to_string()).collect()));
    }
    Ok(Sheet { rows, encoding })
}

/// Largest uncompressed size of a workbook's parts, checked before calamine reads them (a
/// zip bomb disguised as a catalogue).
const MAX_WORKBOOK_XML: u64 = 1 << 30;

fn read_workbook(path: &Path) -> Result<Sheet, String> {
    if let Ok(f) = std::fs::File::open(path) {
        if let Ok(z) = zip::ZipArchive::new(std::io::BufReader::new(f)) {
            let total = z.decompressed_size().unwrap_or(0);
            if total > u128::from(MAX_WORKBOOK_XML) {
                return Err(format!("工作簿解压后有 {total} 字节，超过上限；请只导出目录的文字 (the workbook is too large)"));
            }
        }
    }
    let owned = path.to_path_buf();
    std::panic::catch_unwind(move || read_workbook_unchecked(&owned)).unwrap_or_else(|_| {
        Err("读取时发生内部错误；请用 Excel/WPS 打开后另存为 .csv 再试 (internal error while reading the workbook)".into())
    })
}

fn read_workbook_unchecked(path: &Path) -> Result<Sheet, String> {
    use calamine::{Data, Reader};
    let mut wb = calamine::open_workbook_auto(path).map_err(|e| {
        format!("无法读取这个 Excel 文件（{e}）。请用 Excel/WPS 打开后另存为 .xlsx 或 .csv 再试")
    })?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or("工作簿中没有工作表 (the workbook has no sheet)")?
        .map_err(|e| format!("无法读取第一个工作表（{e}）"))?;
    let top = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let rows = range
        .rows()
        .enumerate()
        .map(|(k, r)| {
            let cells = r
                .iter()
                .map(|c| match c {
                    Data::DateTime(d) => d
                        .as_datetime()
                        .map(|dt| {
                            if dt.time() == chrono::NaiveTime::MIN {
                                dt.date().to_string()
                            } else {
                                dt.format("%Y-%m-%d %H:%M").to_string()
                            }
                        })
                        .unwrap_or_else(|| c.to_string()),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    _ => c.to_string().trim().to_string(),
                })
                .collect();
            (top + k + 1, cells)
        })
        .collect();
    Ok(Sheet { rows, encoding: "" })
}

/// A column mapping file: `[columns]` header = field.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    columns: BTreeMap<String, String>,
}

fn column_for_name(name: &str) -> Option<Column> {
    let squeezed: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = squeezed.to_lowercase();
    if let Some((_, c)) = EXTRA_HEADERS.iter().find(|(h, _)| *h == lower) {
        return Some(*c);
    }
    match lower.as_str() {
        "page" => return Some(Column::Page),
        "link" => return Some(Column::Url),
        _ => {}
    }
    crate::labels::canonical_key(&squeezed).map(Column::Field)
}

/// Reads a mapping file: header → column.
pub fn read_mapping(path: &Path) -> Result<BTreeMap<String, Column>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("无法读取：{e}"))?;
    let m: MappingFile = toml::from_str(&text).map_err(|e| {
        format!("不是有效的列对应表（{e}）；格式为 [columns] 下每行 \"旧列名\" = \"字段\"")
    })?;
    let mut out = BTreeMap::new();
    for (header, field) in m.columns {
        let c = column_for_name(&field).ok_or_else(|| {
            format!(
                "“{field}”（列“{header}”）不是已知字段；可用 title、index_no、issuer、doc_no、written、published、category、validity、kind、summary、url、page 或它们的中文名"
            )
        })?;
        out.insert(header, c);
    }
    Ok(out)
}

/// Finds the header row (the first of the first ten rows in which two cells name known
/// columns) and the column of each cell.
pub fn detect_columns(
    sheet: &Sheet,
    mapping: Option<&BTreeMap<String, Column>>,
) -> Result<(usize, Vec<Option<Column>>), String> {
    let find = |cell: &str| -> Option<Column> {
        if let Some(m) = mapping {
            if let Some(c) = m.get(cell.trim()) {
                return Some(*c);
            }
        }
        column_for_name(cell)
    };
    for (k, (_, cells)) in sheet.rows.iter().take(10).enumerate() {
        let cols: Vec<Option<Column>> = cells.iter().map(|c| find(c)).collect();
        if cols.iter().flatten().count() >= 2 {
            if !cols.contains(&Some(Column::Field("title"))) {
                return Err(
                    "目录中没有“名称”或“标题”列；请在第一行写列名，或用 --columns 指定对应关系"
                        .into(),
                );
            }
            return Ok((k, cols));
        }
    }
    Err("在前 10 行中没有找到列名行（如 索引号、名称、发布机构、发布日期、链接）；请检查文件，或用 --columns 指定对应关系 (no header row found)".into())
}

static LOOSE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2}):(\d{2})(?::\d{2})?)?$",
    )
    .expect("static regex")
});

/// A catalogue date (`2022-06-09`, `2022/6/9`, `2022年6月9日`, `2022.06.09 16:54`) as
/// `YYYY-MM-DD` (with ` HH:MM` when `time`).
pub fn normalise_date(s: &str, time: bool) -> Option<String> {
    let t = s.trim();
    if let Some(d) = crate::import::patterns::parse_date(t) {
        return Some(d.to_string());
    }
    let c = LOOSE_DATE.captures(t)?;
    let d = NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
    match (time, c.get(4), c.get(5)) {
        (true, Some(h), Some(m)) => {
            let (h, m): (u32, u32) = (h.as_str().parse().ok()?, m.as_str().parse().ok()?);
            (h < 24 && m < 60).then(|| format!("{d} {h:02}:{m:02}"))
        }
        _ => Some(d.to_string()),
    }
}

/// One catalogue row, its fields by key.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// Spreadsheet row number.
    pub row: usize,
    /// Front-matter values by key.
    pub fields: BTreeMap<&'static str, String>,
    /// Old URL.
    pub url: Option<String>,
    /// Page file named in the row.
    pub page: Option<String>,
}

/// The rows under the header as entries (rows with no title are skipped silently when empty,
/// reported otherwise).
pub fn entries(
    sheet: &Sheet,
    header: usize,
    cols: &[Option<Column>],
) -> (Vec<Entry>, Vec<Problem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (row, cells) in sheet.rows.iter().skip(header + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut e = Entry {
            row: *row,
            ..Entry::default()
        };
        for (c, v) in cols.iter().zip(cells) {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match c {
                Some(Column::Field(k)) => {
                    e.fields.insert(k, v.to_string());
                }
                Some(Column::Url) => e.url = Some(v.to_string()),
                Some(Column::Page) => e.page = Some(v.to_string()),
                None => {}
            }
        }
        if !e.fields.contains_key("title") {
            problems.push(Problem {
                row: *row,
                message: "这一行没有名称（标题），已跳过 (no title)".into(),
            });
            continue;
        }
        out.push(e);
    }
    (out, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn reads_gbk_and_utf8_csv() {
        let text = "索引号,名称,发布日期\n13502/2022-00001,关于政务公开的通知,2022/6/10\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let s = read_csv(&gbk).unwrap();
        assert_eq!(s.encoding, "GBK");
        assert_eq!(s.rows[1].1[1], "关于政务公开的通知");
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(text.as_bytes());
        let s = read_csv(&bom).unwrap();
        assert_eq!(s.encoding, "UTF-8");
        assert_eq!(s.rows[0].1[0], "索引号");
        assert_eq!(s.rows[1].0, 2);
    }

    #[test]
    fn recognises_columns_below_a_title_row() {
        let sheet = Sheet {
            rows: vec![
                (1, vec!["某某局政府信息公开目录".into()]),
                (
                    2,
                    vec![
                        "序号".into(),
                        "索 引 号".into(),
                        "信息名称".into(),
                        "发布机构".into(),
                        "文号".into(),
                        "链接".into(),
                        "备注".into(),
                    ],
                ),
            ],
            encoding: "UTF-8",
        };
        let (k, cols) = detect_columns(&sheet, None).unwrap();
        assert_eq!(k, 1);
        assert_eq!(
            cols,
            [
                None,
                Some(Column::Field("index_no")),
                Some(Column::Field("title")),
                Some(Column::Field("issuer")),
                Some(Column::Field("doc_no")),
                Some(Column::Url),
                None
            ]
        );
        let mut m = BTreeMap::new();
        m.insert("备注".to_string(), Column::Field("summary"));
        let (_, cols) = detect_columns(&sheet, Some(&m)).unwrap();
        assert_eq!(cols[6], Some(Column::Field("summary")));
    }

    #[test]
    fn normalises_catalogue_dates() {
        assert_eq!(
            normalise_date("2022/6/9", false).as_deref(),
            Some("2022-06-09")
        );
        assert_eq!(
            normalise_date("2022年6月9日", false).as_deref(),
            Some("2022-06-09")
        );
        assert_eq!(
            normalise_date("2022.06.10 16:54", true).as_deref(),
            Some("2022-06-10 16:54")
        );
        assert_eq!(
            normalise_date("2022-06-10 16:54:07", false).as_deref(),
            Some("2022-06-10")
        );
        assert_eq!(normalise_date("下周", false), None);
    }
}
