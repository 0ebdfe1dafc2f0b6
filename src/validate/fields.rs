//! One document's front-matter, field by field (SPEC §3), and the publication decision: a
//! document is published only if it is 主动公开 and not a draft.

use chrono::NaiveDate;

use crate::config::Config;
use crate::diag::Code;
use crate::document::{Document, Metadata, PendingIndexNo, Section};
use crate::labels::{self, ITEM_20_1_KINDS};
use crate::meta::{date::parse_pub_date, Disclosure, ExemptBasis, IndexNo, Item, Validity};

use super::body::owned_files;
pub(super) use super::field_ctx::FieldCtx;
use super::WithheldRef;
use crate::meta::date::add_years;
use crate::meta::doc_no::DocNumber;

/// The 15 kinds of 公文 of the 党政机关公文处理工作条例 (第八条): an editor who writes one of
/// them as the 文种 means the document's form, not its catalogue class.
const OFFICIAL_DOCUMENT_TYPES: &[&str] = &[
    "决议", "决定", "命令", "令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示",
    "批复", "议案", "函", "纪要",
];

/// Kinds that are 公文 and so need a 成文日期 (SPEC §3.1).
const OFFICIAL_KINDS: &[&str] = &["行政法规", "规章", "行政规范性文件", "其他文件"];

#[derive(Debug, Clone)]
pub(crate) enum Decision {
    Publish(std::sync::Arc<Document<PendingIndexNo>>),
    Withhold(WithheldRef),
}

pub(super) fn section_meta(ctx: &mut FieldCtx) -> Option<Section> {
    if ctx.flag("draft") {
        return None;
    }
    if let Some(d) = ctx.text("disclosure") {
        if d.parse::<Disclosure>().ok() != Some(Disclosure::Proactive) {
            return None;
        }
    }
    let dir = ctx
        .src
        .path
        .parent()
        .and_then(|p| p.strip_prefix(crate::load::CONTENT_DIR).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let title = ctx.text("title").unwrap_or_else(|| {
        ctx.missing(
            Code::P03,
            "title",
            "：栏目页需要标题",
            "\"政府信息公开指南\"",
        );
        dir.clone()
    });
    let updated = ctx.date("updated");
    Some(Section {
        path: ctx.src.path.clone(),
        dir,
        title,
        updated,
        body: Default::default(),
    })
}

pub(super) fn document_meta(ctx: &mut FieldCtx, config: &Config, today: NaiveDate) -> Decision {
    let path = ctx.src.path.clone();
    let index_no = ctx.text("index_no");
    let doc_no = ctx.text("doc_no");
    let src = ctx.src;
    let written_doc_no = doc_no.clone();
    let withhold = |reason: &str| WithheldRef {
        path: path.clone(),
        index_no: index_no.clone(),
        doc_no: written_doc_no.clone(),
        reason: reason.into(),
        files: owned_files(src),
    };

    // Publication first: nothing below may let a non-public document through.
    let draft = ctx.flag("draft");
    let disclosure = match ctx.text("disclosure") {
        None => {
            ctx.missing(
                Code::P01,
                "disclosure",
                "：未标明公开属性的文件不会发布",
                "\"主动公开\"",
            );
            return Decision::Withhold(withhold("未标明公开属性"));
        }
        Some(t) => match t.parse::<Disclosure>() {
            Ok(d) => d,
            Err(e) => {
                ctx.push(
                    Code::P01,
                    "disclosure",
                    e,
                    "公开属性在起草时确定（源头认定），只能是 主动公开、依申请公开 或 不予公开",
                );
                return Decision::Withhold(withhold("公开属性无效"));
            }
        },
    };
    if disclosure != Disclosure::Proactive {
        match ctx.text("exempt_basis") {
            None => ctx.missing(Code::P02, "exempt_basis", &format!("：{disclosure}的文件要写明依据"), "\"third_party\"（或 secret、law_forbidden、security_stability、internal_affairs、process_info、enforcement_case）"),
            Some(t) => {
                if let Err(e) = t.parse::<ExemptBasis>() {
                    ctx.push(Code::P02, "exempt_basis", e, "依据代码见 SPEC §1.1");
                }
            }
        }
        return Decision::Withhold(withhold(&disclosure.to_string()));
    }
    if draft {
        return Decision::Withhold(withhold("草稿"));
    }

    let title = ctx.text("title").unwrap_or_else(|| {
        ctx.missing(Code::P03, "title", "", "\"关于……的通知\"");
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let kind = match ctx.text("kind") {
        None => {
            ctx.missing(Code::P03, "kind", "", "\"其他文件\"（可选值见 README）");
            "其他文件".to_string()
        }
        Some(k) if config.kinds.contains(&k) => k,
        Some(k) => {
            let msg = if OFFICIAL_DOCUMENT_TYPES.contains(&k.as_str()) {
                format!(
                    "“{k}” 是公文的文种（党政机关公文处理工作条例），这里的文种是信息公开目录的分类：{k}一般填 其他文件；印发规范性文件的填 行政规范性文件，政府令公布的规章填 规章"
                )
            } else {
                format!(
                    "“{k}” 不是已配置的文种{}",
                    crate::diag::suggest_close(&k, config.kinds.iter().map(String::as_str))
                )
            };
            ctx.push(
                Code::E005,
                "kind",
                msg,
                "使用 README 列出的文种，或在 gongkai.toml 的 kinds 中加入新文种",
            );
            k
        }
    };
    let is_rule_kind = kind == "规章" || kind == "行政规范性文件";

    // 主题分类: `一级\二级` or a separate category_sub (SPEC §3.3).
    let (mut category, mut category_sub) = (ctx.text("category"), ctx.text("category_sub"));
    if let Some(c) = category.clone() {
        if let Some((top, sub)) = c.split_once(['\\', '/']) {
            category = Some(top.trim().to_string());
            category_sub = category_sub.or(Some(sub.trim().to_string()));
        }
    }
    match &category {
        None => ctx.missing(
            Code::P03,
            "category",
            "",
            "\"综合政务\"（22 个一级分类见 README）",
        ),
        Some(c) if !config.has_category(c) => {
            // A second-level name written as the first level (`公路`): name its parent.
            let parent = config
                .taxonomy
                .iter()
                .find(|(_, subs)| subs.iter().any(|s| s == c))
                .map(|(n, _)| n.as_str());
            let msg = match parent {
                Some(p) => format!(
                    "主题分类 “{c}” 是 “{p}” 下的二级分类，不是一级分类：写成 主题分类: \"{p}\\{c}\""
                ),
                None => format!(
                    "主题分类 “{c}” 不在分类表中{}",
                    crate::diag::suggest_close(c, config.taxonomy.iter().map(|(n, _)| n.as_str()))
                ),
            };
            ctx.push(Code::P08, "category", msg, "使用分类表中的一级分类（见 themes/default/data/taxonomy.toml，可在 gongkai.toml 用 taxonomy 指定自己的分类表）");
        }
        Some(c) => {
            if let Some(s) = &category_sub {
                if !config.has_category_sub(c, s) {
                    let subs = config
                        .taxonomy
                        .iter()
                        .find(|(n, _)| n == c)
                        .map(|(_, s)| s.join("、"))
                        .unwrap_or_default();
                    ctx.push(
                        Code::P08,
                        "category_sub",
                        format!("二级分类 “{s}” 不在 “{c}” 之下；可选：{subs}"),
                        "改为所列二级分类之一，或删除 category_sub",
                    );
                }
            }
        }
    }

    let issuers: Vec<String> = match ctx.text("issuer") {
        None => {
            ctx.missing(Code::P03, "issuer", "", &format!("\"{}\"", config.org_name));
            Vec::new()
        }
        Some(t) => t
            .split(['、', ',', '，'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    };
    if !config.issuers.is_empty() {
        for i in &issuers {
            if !config.issuers.contains(i) {
                let msg = format!(
                    "发布机构 “{i}” 不在 gongkai.toml 的 issuers 列表中{}",
                    crate::diag::suggest(i, config.issuers.iter().map(String::as_str))
                );
                ctx.push(
                    Code::P22,
                    "issuer",
                    msg,
                    "改用列表中的规范名称，或把该机构加入 issuers",
                );
            }
        }
    }

    if doc_no.is_none() && is_rule_kind {
        ctx.missing(
            Code::P03,
            "doc_no",
            &format!("：{kind}必须有文件编号"),
            "\"承市政规〔2022〕1号\"",
        );
    }
    let doc_no = doc_no.map(|n| {
        let is_order = kind == "规章" || kind == "行政法规";
        let (number, error) = DocNumber::read(&n, is_order);
        if let Some(e) = error {
            let help = e.help();
            ctx.push(Code::P06, "doc_no", e.to_string(), help);
        }
        number
    });

    let written = ctx.date("written");
    if written.is_none()
        && !ctx.src.fields.contains_key("written")
        && OFFICIAL_KINDS.contains(&kind.as_str())
    {
        ctx.missing(Code::P03, "written", "：公文要有成文日期", "\"2022-06-09\"");
    }
    let published = match ctx.text("published") {
        None => {
            ctx.missing(Code::P03, "published", "", "\"2022-06-10\"");
            None
        }
        Some(t) => match parse_pub_date(&t) {
            Ok(p) => Some(p),
            Err(e) => {
                ctx.push(
                    Code::P04,
                    "published",
                    e,
                    "日期写成 YYYY-MM-DD，可加时间 HH:MM",
                );
                None
            }
        },
    };
    if let Some(p) = published {
        if p.date > today {
            ctx.push(
                Code::P04,
                "published",
                format!(
                    "发布日期 {} 晚于构建日期 {today}：未到发布日期的文件不会发布",
                    p.date
                ),
                "到期后再构建，或改正发布日期",
            );
            return Decision::Withhold(withhold("未到发布日期"));
        }
        if let Some(w) = written {
            if w > p.date {
                ctx.push(
                    Code::P04,
                    "written",
                    format!("成文日期 {w} 晚于发布日期 {}", p.date),
                    "成文日期应不晚于发布日期",
                );
            }
        }
    }

    let validity = match ctx.text("validity") {
        None => {
            if is_rule_kind {
                ctx.missing(
                    Code::P03,
                    "validity",
                    &format!("：{kind}必须标注有效性"),
                    "\"有效\"",
                );
            }
            None
        }
        Some(t) => match t.parse::<Validity>() {
            Ok(v) => Some(v),
            Err(e) => {
                ctx.push(
                    Code::E005,
                    "validity",
                    e,
                    "有效性写 有效、失效、废止 或 已修改",
                );
                None
            }
        },
    };

    let given = ctx.list("item");
    let mut items = Vec::new();
    for t in &given {
        match t.parse::<Item>() {
            Ok(i) if !items.contains(&i) => items.push(i),
            Ok(_) => {}
            Err(e) => ctx.push(
                Code::E005,
                "item",
                e,
                "item: \"20.1\"，多个事项写成 [\"20.1\", \"20.7\"]",
            ),
        }
    }
    if items.is_empty() && ITEM_20_1_KINDS.contains(&kind.as_str()) {
        items.push("20.1".parse().expect("20.1 is an item"));
    }
    let has_home_column = matches!(kind.as_str(), "政策解读" | "制度" | "政府信息公开年报");
    // An item given but not valid is E005 above; calling it missing would be a second, false
    // finding for one mistake.
    if given.is_empty() && items.is_empty() && !has_home_column {
        ctx.missing(
            Code::P03,
            "item",
            "：没有条例事项的文件不会出现在“法定主动公开内容”栏目中",
            "\"20.15\"（第二十条第几项，见 README）",
        );
    }

    let effective = ctx.date("effective");
    let expires = ctx.date("expires");
    let repealed = ctx.date("repealed");
    let no_expiry = ctx.flag("no_expiry");
    if let (Some(e), Some(w)) = (effective, written) {
        if e < w {
            ctx.push(
                Code::P04,
                "effective",
                format!("施行日期 {e} 早于成文日期 {w}"),
                "施行日期应不早于成文日期",
            );
        }
    }
    if let (Some(r), Some(e)) = (repealed, effective) {
        if r < e {
            ctx.push(
                Code::P04,
                "repealed",
                format!("废止日期 {r} 早于施行日期 {e}"),
                "检查两个日期",
            );
        }
    }
    if matches!(validity, Some(Validity::Expired | Validity::Repealed)) && repealed.is_none() {
        ctx.missing(
            Code::P11,
            "repealed",
            "：失效或废止的文件要写明废止/失效日期（年报“本年废止件数”按它统计）",
            "\"2023-12-31\"",
        );
    }
    if kind == "行政规范性文件" {
        check_normative_period(ctx, config, &title, effective, expires, no_expiry);
    }
    let interprets = ctx.text("interprets");
    if kind == "政策解读" && interprets.is_none() {
        ctx.missing(
            Code::P03,
            "interprets",
            "：政策解读要指明解读的文件",
            "被解读文件的索引号或文件编号",
        );
    }
    if let (Some(x), Some(e)) = (expires, effective) {
        if x < e {
            ctx.push(
                Code::P04,
                "expires",
                format!("有效期至 {x} 早于施行日期 {e}"),
                "检查两个日期：有效期从施行日期起算",
            );
        }
    }
    if let (Some(r), None, Some(w)) = (repealed, effective, written) {
        if r < w {
            ctx.push(
                Code::P04,
                "repealed",
                format!("废止日期 {r} 早于成文日期 {w}"),
                "检查两个日期",
            );
        }
    }
    let interpretation_form = ctx.text("interpretation_form");
    if let Some(f) = &interpretation_form {
        if !labels::INTERPRETATION_FORMS.contains(&f.as_str()) {
            ctx.push(
                Code::E005,
                "interpretation_form",
                format!(
                    "“{f}” 不是解读形式；应为 {}",
                    labels::INTERPRETATION_FORMS.join("、")
                ),
                "写 interpretation_form: \"图解\"",
            );
        } else if kind != "政策解读" {
            ctx.push(
                Code::E005,
                "interpretation_form",
                format!("只有政策解读才有解读形式，这份文件的文种是 {kind}"),
                "删除 interpretation_form，或把文种改为 政策解读",
            );
        }
    }
    let report_year = match ctx.text("report_year") {
        None => None,
        Some(t) => match t.parse::<i32>() {
            Ok(y) if (1990..=9999).contains(&y) && kind == "政府信息公开年报" => Some(y),
            Ok(_) if kind != "政府信息公开年报" => {
                ctx.push(
                    Code::E005,
                    "report_year",
                    format!("只有政府信息公开年报才有报告年度，这份文件的文种是 {kind}"),
                    "删除 report_year，或把文种改为 政府信息公开年报",
                );
                None
            }
            _ => {
                ctx.push(
                    Code::E005,
                    "report_year",
                    format!("报告年度 “{t}” 不是四位年份"),
                    "写 report_year: 2023",
                );
                None
            }
        },
    };
    let index_no = index_no.and_then(|n| IndexNo::new(&n));
    if let Some(n) = &index_no {
        if !config.index_no_pattern.is_match(n.as_str()) {
            ctx.push(
                Code::E011,
                "index_no",
                format!(
                    "索引号 “{n}” 不符合站点格式 {}",
                    config.index_no_pattern.as_str()
                ),
                "核对索引号，或在 gongkai.toml 的 organisation.index_no_pattern 中调整格式",
            );
        }
    }
    let meta = Metadata {
        path: path.clone(),
        title,
        category,
        category_sub,
        issuers,
        doc_no,
        written,
        published,
        validity,
        kind,
        items,
        effective,
        expires,
        no_expiry,
        repealed,
        replaces: ctx.list("replaces"),
        replaced_by: ctx.list("replaced_by"),
        interprets,
        interpretation: ctx.list("interpretation"),
        interpretation_form,
        report_year,
        summary: ctx.text("summary"),
        keywords: ctx.list("keywords"),
        attachments: Vec::new(),
        source: ctx.text("source"),
        source_url: ctx.text("source_url"),
        matters: ctx.list("matters"),
        matters_line: ctx.src.fields.get("matters").map(|f| f.line),
        repost: crate::check::review::is_repost(ctx.src),
        body: Default::default(),
    };
    let doc = Document {
        number: index_no.map_or(PendingIndexNo::ToAssign, PendingIndexNo::Written),
        meta,
    };
    Decision::Publish(std::sync::Arc::new(doc))
}

/// P09 (SPEC §3.6): a 行政规范性文件 states 施行日期 and 有效期, within the configured maximum.
pub(super) fn check_normative_period(
    ctx: &mut FieldCtx,
    config: &Config,
    title: &str,
    effective: Option<NaiveDate>,
    expires: Option<NaiveDate>,
    no_expiry: bool,
) {
    let provisional = title.contains("暂行") || title.contains("试行");
    let max = if provisional {
        config.validity.provisional_years
    } else {
        config.validity.normative_years
    };
    if effective.is_none() {
        ctx.missing(
            Code::P09,
            "effective",
            "：行政规范性文件应标注施行日期",
            "\"2022-07-01\"",
        );
    }
    if expires.is_none() && !no_expiry {
        ctx.missing(
            Code::P09,
            "expires",
            &format!("：行政规范性文件应标注有效期（未标注时按 {max} 年计）"),
            "\"2027-06-30\"，或为实施法律法规的文件写 no_expiry: true",
        );
    }
    if let (Some(e), Some(x)) = (effective, expires) {
        let limit = add_years(e, max);
        if x > limit {
            ctx.push(
                Code::P09,
                "expires",
                format!(
                    "有效期至 {x} 超过施行日期 {e} 起 {max} 年（{}的上限）",
                    if provisional {
                        "暂行、试行文件"
                    } else {
                        "行政规范性文件"
                    }
                ),
                format!("有效期至最晚为 {limit}"),
            );
        }
    }
}

#[cfg(test)]
mod tests;
