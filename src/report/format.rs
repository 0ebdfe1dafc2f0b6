//! An [`AnnualReport`] as Markdown and as JSON, and the wording both share with the HTML
//! form (`render::annual`). Markdown cannot merge cells; there the row labels are spelled out
//! in full instead.

use serde_json::json;

use crate::labels::{
    REPORT_SECTIONS, TABLE3_COLUMNS, TABLE3_NOTE, TABLE3_RESULTS, TABLE3_ROWS, TABLE4_COLUMNS,
    TABLE4_GROUPS,
};

use super::AnnualReport;

/// The opening paragraph: the basis of the report and its period (SPEC §4.1).
pub fn preface(year: i32) -> String {
    format!(
        "本报告根据《中华人民共和国政府信息公开条例》第五十条和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）编制。统计期限为{year}年1月1日至{year}年12月31日。"
    )
}

/// 一、总体情况 as written, or a plain sentence when the data file leaves it out.
pub fn overview(r: &AnnualReport) -> String {
    r.data.text.overview.clone().unwrap_or_else(|| {
        format!(
            "{}年，{}认真贯彻落实《中华人民共和国政府信息公开条例》，依法做好政府信息主动公开和依申请公开工作。",
            r.year, r.issuer
        )
    })
}

/// A money amount in 万元 as written on the form: no trailing zeros.
pub fn amount(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// GitHub-style tables, merged cells spelled out.
pub fn markdown(r: &AnnualReport) -> String {
    let mut s = String::new();
    let g = &r.regulations;
    let dec = &r.data.decisions;
    let text = &r.data.text;
    s.push_str(&format!(
        "# {}{}年政府信息公开工作年度报告\n\n",
        r.issuer, r.year
    ));
    s.push_str(&preface(r.year));
    s.push_str("\n\n");
    s.push_str(&format!(
        "## {}\n\n{}\n\n",
        REPORT_SECTIONS[0],
        overview(r).trim()
    ));
    s.push_str(&format!("## {}\n\n", REPORT_SECTIONS[1]));
    s.push_str("| 第二十条第（一）项 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---:|---:|---:|\n");
    for (l, k) in [("规章", &g.rules), ("行政规范性文件", &g.normative)] {
        s.push_str(&format!(
            "| {l} | {} | {} | {} |\n",
            k.issued, k.repealed, k.in_force
        ));
    }
    s.push_str("\n| 第二十条第（五）项 | 本年处理决定数量 |\n|---|---:|\n");
    s.push_str(&format!("| 行政许可 | {} |\n", dec.licensing));
    s.push_str("\n| 第二十条第（六）项 | 本年处理决定数量 |\n|---|---:|\n");
    s.push_str(&format!(
        "| 行政处罚 | {} |\n| 行政强制 | {} |\n",
        dec.penalty, dec.coercion
    ));
    s.push_str("\n| 第二十条第（八）项 | 本年收费金额（单位：万元） |\n|---|---:|\n");
    s.push_str(&format!("| 行政事业性收费 | {} |\n\n", amount(dec.fees)));
    s.push_str(&format!("## {}\n\n", REPORT_SECTIONS[2]));
    s.push_str(&format!(
        "| 申请人情况 | {} |\n|---|{}\n",
        TABLE3_COLUMNS.join(" | "),
        "---:|".repeat(7)
    ));
    for (i, (_, group, label)) in TABLE3_ROWS.iter().enumerate() {
        if i == 2 {
            s.push_str(&format!("| {TABLE3_RESULTS} |{}\n", " |".repeat(7)));
        }
        let values = r.data.table3.get(i).copied().unwrap_or_default();
        let full = if group.is_empty() {
            label.to_string()
        } else {
            format!("{group} {label}")
        };
        let cells: Vec<String> = values.iter().map(u64::to_string).collect();
        s.push_str(&format!("| {full} | {} |\n", cells.join(" | ")));
    }
    s.push_str(&format!("\n{TABLE3_NOTE}\n\n## {}\n\n", REPORT_SECTIONS[3]));
    s.push_str(&format!(
        "| | {} |\n|---|{}\n",
        TABLE4_COLUMNS.join(" | "),
        "---:|".repeat(5)
    ));
    for (i, (_, label)) in TABLE4_GROUPS.iter().enumerate() {
        let l = if i == 0 {
            label.to_string()
        } else {
            format!("行政诉讼：{label}")
        };
        let cells: Vec<String> = r.data.table4[i].iter().map(u64::to_string).collect();
        s.push_str(&format!("| {l} | {} |\n", cells.join(" | ")));
    }
    s.push_str(&format!(
        "\n## {}\n\n{}\n\n",
        REPORT_SECTIONS[4],
        text.problems.trim()
    ));
    s.push_str(&format!(
        "## {}\n\n{}\n",
        REPORT_SECTIONS[5],
        text.other.trim()
    ));
    s
}

/// The report as JSON (for `gongkai report --format json` and other programs): every number
/// with its row and column labels.
pub fn json(r: &AnnualReport) -> serde_json::Value {
    let dec = &r.data.decisions;
    let table3: Vec<serde_json::Value> = TABLE3_ROWS
        .iter()
        .enumerate()
        .map(|(i, (key, group, label))| {
            let v = r.data.table3.get(i).copied().unwrap_or_default();
            json!({"key": key, "group": group, "label": label, "values": v})
        })
        .collect();
    let table4: Vec<serde_json::Value> = TABLE4_GROUPS
        .iter()
        .enumerate()
        .map(|(i, (key, label))| json!({"key": key, "label": label, "values": r.data.table4[i]}))
        .collect();
    json!({
        "year": r.year,
        "issuer": r.issuer,
        "joint_issuers": r.joint_issuers,
        "period": {"from": format!("{}-01-01", r.year), "to": format!("{}-12-31", r.year)},
        "sections": REPORT_SECTIONS,
        "table2": {
            "rules": r.regulations.rules,
            "normative": r.regulations.normative,
            "licensing": dec.licensing,
            "penalty": dec.penalty,
            "coercion": dec.coercion,
            "fees_wan_yuan": dec.fees,
        },
        "table3": {"columns": TABLE3_COLUMNS, "rows": table3},
        "table4": {"columns": TABLE4_COLUMNS, "groups": table4},
        "text": {
            "overview": overview(r),
            "problems": r.data.text.problems,
            "other": r.data.text.other,
        },
    })
}
