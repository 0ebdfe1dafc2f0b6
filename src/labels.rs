//! Chinese labels, in one place.
//!
//! Front-matter keys are English (SPEC §3.1); editors may write the Chinese label instead, and
//! this table is the single list of aliases. The statutory column labels and the 条例 item
//! headings also live here, so that no other module spells a Chinese label.

/// A front-matter field: canonical key, label shown in the 信息索引 box, accepted aliases.
pub struct Field {
    /// Canonical key (SPEC §3.1).
    pub key: &'static str,
    /// Label as shown to citizens and in error messages.
    pub label: &'static str,
    /// Other spellings accepted in front-matter (Chinese labels, common synonyms).
    pub aliases: &'static [&'static str],
}

const fn f(key: &'static str, label: &'static str, aliases: &'static [&'static str]) -> Field {
    Field {
        key,
        label,
        aliases,
    }
}

/// Every front-matter key gongkai reads.
pub const FIELDS: &[Field] = &[
    f("title", "名称", &["名称", "标题", "文件名称"]),
    f("index_no", "索引号", &["索引号"]),
    f("category", "主题分类", &["主题分类"]),
    f("category_sub", "二级分类", &["二级分类", "主题分类二级"]),
    f("issuer", "发布机构", &["发布机构", "发文机关", "发文单位"]),
    f("doc_no", "文件编号", &["文件编号", "发文字号", "文号"]),
    f("written", "成文日期", &["成文日期", "生成日期"]),
    f("published", "发布日期", &["发布日期"]),
    f("disclosure", "公开属性", &["公开属性", "公开方式"]),
    f(
        "exempt_basis",
        "不予公开依据",
        &["不予公开依据", "不公开理由"],
    ),
    f("validity", "有效性", &["有效性", "效力状态"]),
    f("kind", "文种", &["文种", "文件类型"]),
    f("item", "条例事项", &["条例事项", "公开事项"]),
    f("effective", "施行日期", &["施行日期", "生效日期"]),
    f("expires", "有效期至", &["有效期至"]),
    f("no_expiry", "无有效期", &["无有效期"]),
    f("repealed", "废止日期", &["废止日期", "失效日期"]),
    f("replaces", "替代文件", &["替代文件"]),
    f("replaced_by", "被替代文件", &["被替代文件"]),
    f("interprets", "解读对象", &["解读对象"]),
    f("interpretation", "相关解读", &["相关解读"]),
    f("interpretation_form", "解读形式", &["解读形式"]),
    f("report_year", "报告年度", &["报告年度", "年报年度"]),
    f("summary", "内容概述", &["内容概述", "摘要"]),
    f("keywords", "主题词", &["主题词", "关键词"]),
    f("attachments", "附件", &["附件"]),
    f("source", "信息来源", &["信息来源"]),
    f("source_url", "来源网址", &["来源网址"]),
    f("draft", "草稿", &["草稿"]),
    f("repost", "转载", &["转载", "转发", "转载自"]),
    f("review_ok", "审查确认", &["审查确认"]),
    f("weight", "排序", &["排序"]),
    f("updated", "更新日期", &["更新日期"]),
    f(
        "matters",
        "事项",
        &["事项", "目录事项", "标准目录事项", "公开事项目录"],
    ),
];

/// Canonical key for a key as written (English key, Chinese label or alias; spaces inside a
/// Chinese label such as `索 引 号` are ignored, as on many printed 信息索引 boxes).
pub fn canonical_key(written: &str) -> Option<&'static str> {
    let squeezed: String = written
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect();
    FIELDS
        .iter()
        .find(|f| f.key == squeezed || f.aliases.contains(&squeezed.as_str()))
        .map(|f| f.key)
}

/// `written` (a key as an editor wrote it, which [`canonical_key`] maps to `key`) as the
/// listed key or alias it equals, else as written.
pub fn written_label(key: &str, written: String) -> std::borrow::Cow<'static, str> {
    FIELDS
        .iter()
        .find(|f| f.key == key)
        .and_then(|f| {
            std::iter::once(&f.key)
                .chain(f.aliases)
                .find(|a| **a == written)
        })
        .map_or(std::borrow::Cow::Owned(written), |a| {
            std::borrow::Cow::Borrowed(*a)
        })
}

/// The Chinese label of a canonical key.
pub fn field_label(key: &str) -> Option<&'static str> {
    FIELDS.iter().find(|f| f.key == key).map(|f| f.label)
}

/// The statutory first-level columns (SPEC §2): slug, label, ColumnType meta value.
pub const GUIDE: (&str, &str) = ("zfxxgkzn", "政府信息公开指南");
/// 政府信息公开制度.
pub const SYSTEM: (&str, &str) = ("zfxxgkzd", "政府信息公开制度");
/// 法定主动公开内容.
pub const STATUTORY: (&str, &str) = ("fdzdgknr", "法定主动公开内容");
/// 政府信息公开年报.
pub const REPORTS: (&str, &str) = ("zfxxgknb", "政府信息公开年报");
/// 政策解读 (optional first-level column, after the four statutory ones).
pub const INTERPRETATIONS: (&str, &str) = ("zcjd", "政策解读");
/// 依申请公开 (optional first-level column: how to apply, SPEC §2), from `content/ysqgk/_index.md`.
pub const APPLY: (&str, &str) = ("ysqgk", "依申请公开");
/// 政务公开事项标准目录 (国办发〔2019〕54号): a first-level column after the statutory ones
/// (SPEC §2: additions stay outside the four), one page per 领域.
pub const STANDARD: (&str, &str) = ("bzml", "政务公开事项标准目录");
/// 信息公开目录 (catalogue pages by facet).
pub const CATALOGUE: (&str, &str) = ("ml", "信息公开目录");
/// The home of the column.
pub const HOME: &str = "政府信息公开";

/// 条例 items (SPEC §1.2, §2): code, column label, verbatim heading of the article.
pub const ITEMS: &[(&str, &str, &str)] = &[
    ("20.1", "法规文件", "行政法规、规章和规范性文件"),
    (
        "20.2",
        "机构职能",
        "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    ),
    (
        "20.3",
        "规划信息",
        "国民经济和社会发展规划、专项规划、区域规划及相关政策",
    ),
    ("20.4", "统计信息", "国民经济和社会发展统计信息"),
    (
        "20.5",
        "行政许可",
        "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    ),
    (
        "20.6",
        "行政处罚和行政强制",
        "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    ),
    ("20.7", "财政预决算", "财政预算、决算信息"),
    ("20.8", "行政事业性收费", "行政事业性收费项目及其依据、标准"),
    (
        "20.9",
        "政府集中采购",
        "政府集中采购项目的目录、标准及实施情况",
    ),
    ("20.10", "重大建设项目", "重大建设项目的批准和实施情况"),
    (
        "20.11",
        "民生保障",
        "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    ),
    (
        "20.12",
        "应急管理",
        "突发公共事件的应急预案、预警信息及应对情况",
    ),
    (
        "20.13",
        "监督检查",
        "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    ),
    (
        "20.14",
        "公务员招考",
        "公务员招考的职位、名额、报考条件等事项以及录用结果",
    ),
    (
        "20.15",
        "其他法定公开信息",
        "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
    ),
    (
        "21",
        "第二十一条事项",
        "市政建设、公共服务、公益事业、土地征收、房屋征收、治安管理、社会救助",
    ),
];

/// The title of the 第二十一条 column: its label (and folder) says only where it is in the 条例,
/// the title says what it holds.
pub const ITEM_21_TITLE: &str = "市政建设、公共服务等事项（第二十一条）";

/// Kinds whose default 条例 item is 20.1 (SPEC §2).
pub const ITEM_20_1_KINDS: &[&str] = &["行政法规", "规章", "行政规范性文件"];

/// Default kinds (SPEC §3.2); the config may add more.
pub const DEFAULT_KINDS: &[&str] = &[
    "行政法规",
    "规章",
    "行政规范性文件",
    "其他文件",
    "政策解读",
    "政府信息公开年报",
    "制度",
    "规划",
    "统计信息",
    "财政信息",
    "行政许可",
    "行政处罚",
    "行政强制",
    "收费",
    "采购",
    "重大建设项目",
    "应急预案",
    "预警信息",
    "机构信息",
    "监督检查",
    "招考信息",
];

/// Exemption bases (SPEC §1.1): code and the annual-report row text.
pub const EXEMPT_BASES: &[(&str, &str)] = &[
    ("secret", "属于国家秘密"),
    ("law_forbidden", "其他法律行政法规禁止公开"),
    ("security_stability", "危及“三安全一稳定”"),
    ("third_party", "保护第三方合法权益"),
    ("internal_affairs", "属于三类内部事务信息"),
    ("process_info", "属于四类过程性信息"),
    ("enforcement_case", "属于行政执法案卷"),
];

/// Catalogue facets: URL segment (Chinese, readable) and label.
pub const FACET_CATEGORY: &str = "主题分类";
/// Facet: 发布机构.
pub const FACET_ISSUER: &str = "发布机构";
/// Facet: 年份.
pub const FACET_YEAR: &str = "年份";
/// Facet: 文种.
pub const FACET_KIND: &str = "文种";
/// Facet: 有效性.
pub const FACET_VALIDITY: &str = "有效性";

/// 政策解读 forms (解读形式): written text, graphic (图解), video.
pub const INTERPRETATION_FORMS: &[&str] = &["文字", "图解", "视频", "音频", "动漫"];

/// The register pages under the 法规文件 column (SPEC §3.6: cleaning results "以目录形式"):
/// URL segment and title.
pub const REGISTER_CURRENT: (&str, &str) = ("现行有效", "现行有效文件目录");
/// The register of documents that have ended.
pub const REGISTER_ENDED: (&str, &str) = ("已废止失效", "已废止、失效文件目录");

/// The six sections of an annual report, with their exact headings (SPEC §4.1).
pub const REPORT_SECTIONS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// Table 3 columns (SPEC §4.3): 自然人, the five kinds of 法人或其他组织, 总计.
pub const TABLE3_COLUMNS: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

/// Table 3 rows (SPEC §4.3), in order: key in `annual/YEAR.toml` (`[table3]` or a sub-table),
/// the group label (`（三）不予公开`, empty for none) and the exact row label.
pub const TABLE3_ROWS: [(&str, &str, &str); 25] = [
    ("new", "", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "", "二、上年结转政府信息公开申请数量"),
    ("disclosed", "", "（一）予以公开"),
    (
        "partly_disclosed",
        "",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    ("withheld.secret", "（三）不予公开", "1.属于国家秘密"),
    (
        "withheld.law_forbidden",
        "（三）不予公开",
        "2.其他法律行政法规禁止公开",
    ),
    (
        "withheld.security_stability",
        "（三）不予公开",
        "3.危及“三安全一稳定”",
    ),
    (
        "withheld.third_party",
        "（三）不予公开",
        "4.保护第三方合法权益",
    ),
    (
        "withheld.internal_affairs",
        "（三）不予公开",
        "5.属于三类内部事务信息",
    ),
    (
        "withheld.process_info",
        "（三）不予公开",
        "6.属于四类过程性信息",
    ),
    (
        "withheld.enforcement_case",
        "（三）不予公开",
        "7.属于行政执法案卷",
    ),
    ("withheld.query", "（三）不予公开", "8.属于行政查询事项"),
    (
        "unable.not_held",
        "（四）无法提供",
        "1.本机关不掌握相关政府信息",
    ),
    (
        "unable.needs_creation",
        "（四）无法提供",
        "2.没有现成信息需要另行制作",
    ),
    (
        "unable.unclear",
        "（四）无法提供",
        "3.补正后申请内容仍不明确",
    ),
    (
        "not_processed.petition",
        "（五）不予处理",
        "1.信访举报投诉类申请",
    ),
    ("not_processed.repeated", "（五）不予处理", "2.重复申请"),
    (
        "not_processed.publication",
        "（五）不予处理",
        "3.要求提供公开出版物",
    ),
    (
        "not_processed.mass_repeated",
        "（五）不予处理",
        "4.无正当理由大量反复申请",
    ),
    (
        "not_processed.confirm",
        "（五）不予处理",
        "5.要求行政机关确认或重新出具已获取信息",
    ),
    (
        "other.no_correction",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "other.no_fee",
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("other.other", "（六）其他处理", "3.其他"),
    ("total", "", "（七）总计"),
    ("carried_forward", "", "四、结转下年度继续办理"),
];

/// Table 3's main group heading for rows 三（一）…（七）.
pub const TABLE3_RESULTS: &str = "三、本年度办理结果";

/// Table 3's note on its sums, printed in the table head (SPEC §4.3).
pub const TABLE3_NOTE: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// Table 4 (SPEC §4.4): the three groups (key in `[table4]`, label) and the five columns of each.
pub const TABLE4_GROUPS: [(&str, &str); 3] = [
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
];
/// Table 4 columns within a group; the last is the sum of the other four.
pub const TABLE4_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_chinese_labels_with_spaces() {
        assert_eq!(canonical_key("索 引 号"), Some("index_no"));
        assert_eq!(canonical_key("有\u{3000}效\u{3000}性"), Some("validity"));
        assert_eq!(canonical_key("发文字号"), Some("doc_no"));
        assert_eq!(canonical_key("published"), Some("published"));
        assert_eq!(canonical_key("publshed"), None);
    }

    #[test]
    fn every_alias_is_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for f in FIELDS {
            assert!(seen.insert(f.key), "{}", f.key);
            for a in f.aliases {
                assert!(seen.insert(a), "{a}");
            }
        }
    }
}
