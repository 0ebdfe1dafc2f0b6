//! Stage 3, the site model: published documents → the column tree and the catalogues.
//!
//! `(Vec<Public<Document>>, sections, &Config, build date) → Site`. The tree follows SPEC §2: the
//! four statutory columns (指南 / 制度 / 法定主动公开内容 with one sub-column per 条例 item / 年报),
//! then 政策解读 and the 目录 by 主题分类, 发布机构, 年份, 文种 and 有效性. Documents are
//! referred to by their [`DocId`] in `Site::docs`, which is sorted newest first, so every list built
//! from ascending ids is already in catalogue order.

pub mod duties;
mod facets;
mod ids;
pub mod lifecycle;
pub mod register;
mod relations;
pub mod slugs;
pub mod standard;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::document::{Document, Public, Section};
use crate::labels::{self, APPLY, CATALOGUE, GUIDE, INTERPRETATIONS, REPORTS, STATUTORY, SYSTEM};
use crate::meta::{Item, Validity};
use facets::facets;
pub use facets::url_segment;
pub use ids::{ByColumn, ByDoc, ColumnId, DocId};
pub use lifecycle::Lifecycle;
use relations::relate;
pub use relations::Relations;

/// What a column page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnKind {
    /// 政府信息公开 home.
    Home,
    /// A single page (指南).
    Page,
    /// A list of documents.
    List,
    /// A list of child columns (法定主动公开内容, 目录 home).
    Hub,
    /// A register of 法规文件 (现行有效 or 已废止、失效), from [`register::Register`].
    Register,
    /// The 政务公开事项标准目录: its index, a 领域's table, or an item's documents
    /// ([`standard::Standard`]).
    Standard,
}

/// A node of the column tree.
#[derive(Debug, Clone)]
pub struct Column {
    /// Title (fixed statutory label, or the 条例 item's label).
    pub title: String,
    /// URL path relative to the site root, ending in `/` (`""` for the home).
    pub path: String,
    /// `ColumnType` meta value (SPEC §5.1).
    pub column_type: &'static str,
    /// What the page shows.
    pub kind: ColumnKind,
    /// Documents listed, newest first.
    pub docs: Vec<DocId>,
    /// Child columns.
    pub children: Vec<ColumnId>,
    /// Heading text under the title (e.g. the 条例 item's wording).
    pub description: String,
    /// `content/<dir>/_index.md` that supplies an introduction, when present.
    pub section_dir: String,
    /// Whether the column has an Atom feed.
    pub has_feed: bool,
    /// The path earlier versions gave the column (Chinese segments), when it differs.
    pub legacy_path: Option<String>,
    /// What the page says while the list is empty (a 条例 item: `[items]`, SPEC §2).
    pub empty_text: String,
}

/// One value of a catalogue facet (e.g. 主题分类 = 综合政务) with its documents.
#[derive(Debug, Clone)]
pub struct FacetValue {
    /// Value as shown.
    pub value: String,
    /// URL path relative to the root, ending in `/`.
    pub path: String,
    /// The path earlier versions gave it (`ml/主题分类/综合政务/`).
    pub legacy_path: String,
    /// Documents, newest first.
    pub docs: Vec<DocId>,
}

/// A catalogue dimension.
#[derive(Debug, Clone)]
pub struct Facet {
    /// 主题分类, 发布机构, 年份, 文种 or 有效性.
    pub name: &'static str,
    /// URL path of its index page, relative to the root (`ml/ztfl/`).
    pub path: String,
    /// The path earlier versions gave it (`ml/主题分类/`).
    pub legacy_path: String,
    /// Values in display order.
    pub values: Vec<FacetValue>,
}

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    /// Configuration.
    pub config: Config,
    /// Build date.
    pub today: NaiveDate,
    /// Published documents, newest first.
    pub docs: ByDoc<Public<Document>>,
    /// Validity of each document on the build date.
    pub lifecycles: ByDoc<Lifecycle>,
    /// Links between documents.
    pub relations: ByDoc<Relations>,
    /// Column pages by folder under `content/`.
    pub sections: BTreeMap<String, Public<Section>>,
    /// The column tree, from the home ([`ColumnId::HOME`]).
    pub columns: ByColumn<Column>,
    /// Catalogue facets.
    pub facets: Vec<Facet>,
    /// The register of 法规文件 in force and ended on the build date.
    pub register: register::Register,
    /// Annual reports computed for 年报 documents with a `report_year`, by year, from the
    /// loaded `annual/YEAR.toml` data.
    pub reports: BTreeMap<i32, crate::report::AnnualReport>,
    /// Old addresses and where they now lead (filled in by the pipeline from `redirects.csv`
    /// and the site's earlier addresses; [`crate::redirects`]).
    pub redirects: Vec<crate::redirects::Redirect>,
    /// The 政务公开事项标准目录 and the documents that fulfil its items (filled in by the
    /// pipeline, which reads `catalogue/`).
    pub standard: standard::Standard,
}

/// Builds the site model, its annual reports included (from `annual`, the loaded
/// `annual/YEAR.toml` texts by year). Returns findings about the whole (P10: expired but marked
/// 有效; a missing 指南; the reports' own).
pub fn build_site(
    mut docs: Vec<Public<Document>>,
    sections: Vec<Public<Section>>,
    config: Config,
    today: NaiveDate,
    annual: &BTreeMap<i32, Result<String, String>>,
) -> (Site, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    docs.sort_by(|a, b| {
        b.sort_date()
            .cmp(&a.sort_date())
            .then_with(|| b.index_no().cmp(a.index_no()))
    });
    let docs = ByDoc::new(docs);
    let lifecycles = docs.map(|(_, d)| lifecycle::lifecycle(d, today, &config.validity));
    for (d, l) in docs.iter().zip(&lifecycles) {
        if l.computed
            && l.validity == Some(Validity::Expired)
            && d.validity == Some(Validity::InForce)
        {
            diags.push(
                Diagnostic::new(Code::P10,
                    d.path.clone(),
                    format!("标注为“有效”，但有效期已于 {} 届满，页面按“失效”显示", l.expires.map(|x| x.to_string()).unwrap_or_default()),
                )
                .field("validity")
                .help("请确认文件状态：已清理的写 validity: \"失效\" 并填写 repealed；延续的更新 expires"),
            );
        }
    }
    let relations = relate(&docs);
    diags.extend(register::check_cycles(&docs, &relations));
    let register = register::build(&docs, &lifecycles);
    let sections: BTreeMap<String, Public<Section>> =
        sections.into_iter().map(|s| (s.dir.clone(), s)).collect();
    if !sections.contains_key(GUIDE.0) {
        diags.push(
            Diagnostic::new(Code::P03, format!("content/{}/_index.md", GUIDE.0), "缺少政府信息公开指南（条例第十二条）")
                .help("新建 content/zfxxgkzn/_index.md，写明分类、编排体系、获取方式和公开工作机构的名称、地址、时间、电话、传真、网址"),
        );
    }

    let mut columns = ByColumn::new(vec![Column {
        title: labels::HOME.into(),
        path: String::new(),
        column_type: "信息公开目录",
        kind: ColumnKind::Home,
        docs: docs.ids().collect(),
        children: Vec::new(),
        description: String::new(),
        section_dir: String::new(),
        has_feed: true,
        legacy_path: None,
        empty_text: String::new(),
    }]);
    let add = |columns: &mut ByColumn<Column>, parent: ColumnId, c: Column| {
        let i = columns.push(c);
        columns[parent].children.push(i);
        i
    };
    let by_kind = |k: &str| {
        docs.enumerate()
            .filter(|(_, d)| d.kind == k)
            .map(|(i, _)| i)
            .collect::<Vec<_>>()
    };
    let col = |title: &str,
               path: String,
               column_type: &'static str,
               kind: ColumnKind,
               docs: Vec<DocId>,
               description: String,
               section_dir: String| Column {
        title: title.into(),
        has_feed: kind == ColumnKind::List,
        path,
        column_type,
        kind,
        docs,
        children: Vec::new(),
        description,
        section_dir,
        legacy_path: None,
        empty_text: String::new(),
    };
    add(
        &mut columns,
        ColumnId::HOME,
        col(
            GUIDE.1,
            format!("{}/", GUIDE.0),
            "信息公开指南",
            ColumnKind::Page,
            vec![],
            String::new(),
            GUIDE.0.into(),
        ),
    );
    add(
        &mut columns,
        ColumnId::HOME,
        col(
            SYSTEM.1,
            format!("{}/", SYSTEM.0),
            "信息公开制度",
            ColumnKind::List,
            by_kind("制度"),
            String::new(),
            SYSTEM.0.into(),
        ),
    );
    let statutory = add(
        &mut columns,
        ColumnId::HOME,
        col(
            STATUTORY.1,
            format!("{}/", STATUTORY.0),
            "信息公开目录",
            ColumnKind::Hub,
            vec![],
            "《中华人民共和国政府信息公开条例》第二十条、第二十一条规定应当主动公开的政府信息"
                .into(),
            STATUTORY.0.into(),
        ),
    );
    let codes = &config.urls.codes;
    let items: Vec<Item> = Item::all().collect();
    let empty: Vec<Item> = items
        .iter()
        .copied()
        .filter(|it| !docs.iter().any(|d| d.items.contains(it)))
        .collect();
    diags.extend(duties::empty_items(&empty, &config));
    let item_title = |item: Item| {
        if item.code() == "21" {
            labels::ITEM_21_TITLE
        } else {
            item.label()
        }
    };
    let names: Vec<&str> = items.iter().map(|&i| item_title(i)).collect();
    let (item_codes, d) = slugs::assign(
        &names,
        &|i| {
            let it = items[i];
            vec![item_title(it).into(), it.label().into(), it.code().into()]
        },
        &|i| slugs::built_in(items[i].code()).map(str::to_string),
        codes,
        ("条例事项栏目", &|_: &str| true),
    );
    diags.extend(d);
    let registers = [labels::REGISTER_CURRENT, labels::REGISTER_ENDED];
    let (register_codes, d) = slugs::assign(
        &registers.map(|r| r.1),
        &|i| vec![registers[i].1.into(), registers[i].0.into()],
        &|i| slugs::built_in(registers[i].0).map(str::to_string),
        codes,
        ("文件目录", &|_: &str| true),
    );
    diags.extend(d);
    for (k, &item) in items.iter().enumerate() {
        let ds: Vec<DocId> = docs
            .enumerate()
            .filter(|(_, d)| d.items.contains(&item))
            .map(|(i, _)| i)
            .collect();
        let path = format!("{}/{}/", STATUTORY.0, item_codes[k]);
        let legacy = format!("{}/{}/", STATUTORY.0, item.label());
        let mut c = col(
            item_title(item),
            path.clone(),
            "信息公开目录",
            ColumnKind::List,
            ds,
            format!("{}：{}", item.article_ref(), item.heading()),
            // The folder under content/ for the column's introduction keeps its Chinese name.
            legacy.trim_end_matches('/').to_string(),
        );
        c.empty_text = config.items.get(item).empty_text;
        c.legacy_path = (legacy != path).then_some(legacy.clone());
        let item_column = add(&mut columns, statutory, c);
        if item.code() == "20.1" {
            for (((slug, title), ids, what), code) in [
                (
                    labels::REGISTER_CURRENT,
                    &register.current,
                    "现行有效（含尚未生效、已修改）",
                ),
                (labels::REGISTER_ENDED, &register.ended, "已废止、失效"),
            ]
            .into_iter()
            .zip(&register_codes)
            {
                let mut c = col(
                    title,
                    format!("{path}{code}/"),
                    "信息公开目录",
                    ColumnKind::Register,
                    ids.clone(),
                    format!("本栏目公开的行政法规、规章和行政规范性文件中{what}的文件，截至 {today}，由各文件的施行日期、有效期和废止日期自动生成"),
                    String::new(),
                );
                c.has_feed = false;
                let old = format!("{legacy}{slug}/");
                c.legacy_path = (old != c.path).then_some(old);
                add(&mut columns, item_column, c);
            }
        }
    }
    add(
        &mut columns,
        ColumnId::HOME,
        col(
            REPORTS.1,
            format!("{}/", REPORTS.0),
            "信息公开年报",
            ColumnKind::List,
            by_kind("政府信息公开年报"),
            String::new(),
            REPORTS.0.into(),
        ),
    );
    if sections.contains_key(APPLY.0) {
        // 依申请公开 (SPEC §2, optional, after the statutory columns): how to apply, when the
        // site has written `content/ysqgk/_index.md`.
        add(
            &mut columns,
            ColumnId::HOME,
            col(
                APPLY.1,
                format!("{}/", APPLY.0),
                "依法申请公开",
                ColumnKind::Page,
                vec![],
                String::new(),
                APPLY.0.into(),
            ),
        );
    }
    add(
        &mut columns,
        ColumnId::HOME,
        col(
            INTERPRETATIONS.1,
            format!("{}/", INTERPRETATIONS.0),
            "政策解读",
            ColumnKind::List,
            by_kind("政策解读"),
            String::new(),
            INTERPRETATIONS.0.into(),
        ),
    );
    add(
        &mut columns,
        ColumnId::HOME,
        col(
            CATALOGUE.1,
            format!("{}/", CATALOGUE.0),
            "信息公开目录",
            ColumnKind::List,
            docs.ids().collect(),
            "全部主动公开政府信息，可按主题分类、发布机构、年份、文种和有效性查看".into(),
            CATALOGUE.0.into(),
        ),
    );

    let (facets, d) = facets(&docs, &lifecycles, &config);
    diags.extend(d);
    let mut site = Site {
        config,
        today,
        docs,
        lifecycles,
        relations,
        sections,
        columns,
        facets,
        register,
        reports: BTreeMap::new(),
        redirects: Vec::new(),
        standard: Default::default(),
    };
    let (reports, report_diags) = crate::report::site_reports(annual, &site);
    site.reports = reports;
    diags.extend(report_diags);
    (site, diags)
}
