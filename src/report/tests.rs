//! Unit tests of the report's rendering; table 2 counting is tested on whole sites in
//! `tests/it/report.rs`.

use super::format::{amount, json, markdown};
use super::*;
use crate::render::annual::view;
use std::path::Path;

fn sample() -> AnnualReport {
    let data = annual::parse(
        2023,
        Path::new("annual/2023.toml"),
        include_str!("../../annual/2023.toml"),
    )
    .unwrap();
    AnnualReport {
        year: 2023,
        issuer: "承德市人民政府".into(),
        joint_issuers: JointRule::First,
        regulations: Regulations {
            rules: KindCounts {
                issued: 1,
                repealed: 0,
                in_force: 1,
            },
            normative: KindCounts::default(),
        },
        data,
    }
}

#[test]
fn markdown_has_the_six_exact_headings_in_order() {
    let md = markdown(&sample());
    let headings: Vec<&str> = md.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    assert_eq!(headings, crate::labels::REPORT_SECTIONS);
    assert!(md.contains("| 规章 | 1 | 0 | 1 |"), "{md}");
    assert!(md.contains("统计期限为2023年1月1日至2023年12月31日"));
}

#[test]
fn the_view_spans_the_official_merged_cells() {
    let v = view(&sample());
    assert_eq!(v.sections.len(), 6);
    let t3 = v.sections[2].table.as_ref().unwrap();
    let rows = &t3.body[0];
    assert_eq!(rows.len(), 25);
    // Every body row has exactly seven numbers, whatever its header cells.
    for r in rows {
        assert_eq!(r.iter().filter(|c| !c.header).count(), 7);
        assert!(r.iter().any(|c| c.scope == "row"));
    }
    let results = rows[2].iter().find(|c| c.scope == "rowgroup").unwrap();
    assert_eq!(results.text, crate::labels::TABLE3_RESULTS);
    assert_eq!(results.rowspan, 22);
}

#[test]
fn json_carries_labels_with_numbers() {
    let j = json(&sample());
    assert_eq!(j["table2"]["rules"]["issued"], 1);
    assert_eq!(
        j["table3"]["rows"][0]["label"],
        "一、本年新收政府信息公开申请数量"
    );
    assert_eq!(j["table4"]["groups"][0]["values"][4], 1);
}

#[test]
fn amounts_drop_trailing_zeros() {
    assert_eq!(amount(0.0), "0");
    assert_eq!(amount(12.5), "12.5");
    assert_eq!(amount(3.0), "3");
}
