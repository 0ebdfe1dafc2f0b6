//! The form of one document: a field per front-matter key of its 文种, the body, the
//! attachments, the findings next to the fields they concern, and the page as it will look.

use std::path::Path;

use super::{layout, Nav, PREFIX};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::load::Source;
use crate::render::escape_html as esc;
use crate::workbench::form::{self, Control, Options, Shown, Spec};
use crate::workbench::review::DocReview;

/// One finding as a list item, in the words of `gongkai check`.
pub fn finding_html(d: &Diagnostic) -> String {
    let class = match d.severity {
        crate::diag::Severity::Error => "sev-error",
        crate::diag::Severity::Warn => "sev-warn",
        crate::diag::Severity::Allow => "sev-ok",
    };
    let line = d
        .line
        .map(|l| format!(" <span class=\"where\">第 {l} 行</span>"))
        .unwrap_or_default();
    let field = d
        .field
        .as_deref()
        .map(|f| match crate::labels::field_label(f) {
            Some(label) => format!(" 字段 {f}（{label}）"),
            None => format!(" 字段 {f}"),
        })
        .unwrap_or_default();
    let tail = match (&d.acknowledged, &d.help) {
        (Some(r), _) => format!(
            "<br><span class=\"help\">确认理由 (review_ok): {}</span>",
            esc(r)
        ),
        (None, Some(h)) => format!("<br><span class=\"help\">修改办法: {}</span>", esc(h)),
        _ => String::new(),
    };
    format!(
        "<li class=\"finding {class}\"><strong>{}[{}]</strong>{line}{}<br>{}{tail}</li>",
        crate::diag::severity_word(d),
        d.rule,
        esc(&field),
        esc(&d.message)
    )
}

/// Where a finding is shown: a field's key, `body`, or `general`.
pub fn place(d: &Diagnostic, shown: &[&str], body_line: Option<usize>) -> String {
    if let Some(f) = d.field.as_deref() {
        if shown.contains(&f) {
            return f.to_string();
        }
    }
    match (d.line, body_line) {
        (Some(l), Some(b)) if l >= b && d.field.is_none() => "body".into(),
        _ => "general".into(),
    }
}

fn findings_for(review: &DocReview, key: &str, shown: &[&str], body_line: Option<usize>) -> String {
    review
        .findings
        .iter()
        .filter(|d| place(d, shown, body_line) == key)
        .map(finding_html)
        .collect()
}

fn option_list(values: &[(String, String)], current: &str, placeholder: bool) -> String {
    let mut out = String::new();
    if placeholder {
        out.push_str(&format!(
            "<option value=\"\"{}>（请选择）</option>",
            if current.is_empty() { " selected" } else { "" }
        ));
    }
    if !current.is_empty() && !values.iter().any(|(v, _)| v == current) {
        out.push_str(&format!(
            "<option value=\"{}\" selected>{}（不在可选列表中）</option>",
            esc(current),
            esc(current)
        ));
    }
    for (v, t) in values {
        out.push_str(&format!(
            "<option value=\"{}\"{}>{}</option>",
            esc(v),
            if v == current { " selected" } else { "" },
            esc(t)
        ));
    }
    out
}

/// The control of one field.
fn control(spec: &Spec, c: Control, shown: &Shown, config: &Config, described: &str) -> String {
    let id = format!("f-{}", spec.key);
    let name = form::name(spec.key);
    let text = match shown {
        Shown::Text(t) => t.clone(),
        Shown::Many(v) => v.join("、"),
        _ => String::new(),
    };
    let attrs = format!("id=\"{id}\" name=\"{name}\" aria-describedby=\"{described}\"");
    match c {
        Control::Text | Control::Number | Control::List => format!(
            "<input type=\"text\" {attrs} value=\"{}\"{}>",
            esc(&text),
            if c == Control::Number {
                " inputmode=\"numeric\""
            } else {
                ""
            }
        ),
        Control::Url => format!("<input type=\"url\" {attrs} value=\"{}\">", esc(&text)),
        Control::ReadOnly => format!(
            "<input type=\"text\" {attrs} value=\"{}\" readonly{}>",
            esc(&text),
            if text.is_empty() {
                " placeholder=\"发布时从索引号台账分配\""
            } else {
                ""
            }
        ),
        Control::LongText => format!("<textarea {attrs} rows=\"3\">\n{}</textarea>", esc(&text)),
        Control::Date => format!("<input type=\"date\" {attrs} value=\"{}\">", esc(&text)),
        Control::DateTime => {
            let (d, t) = match shown {
                Shown::DateTime(d, t) => (d.as_str(), t.as_str()),
                _ => ("", ""),
            };
            format!(
                "<input type=\"date\" {attrs} value=\"{}\"> <label for=\"{id}-time\" class=\"inline\">时间（可不填）</label> <input type=\"time\" id=\"{id}-time\" name=\"{name}.time\" value=\"{}\" aria-describedby=\"{described}\">",
                esc(d),
                esc(t)
            )
        }
        Control::Choice(o) => {
            let values = form::options(o, config);
            if o == Options::CategorySubs {
                let mut groups = String::from("<option value=\"\">（不填）</option>");
                if !text.is_empty() && !values.iter().any(|(v, _)| *v == text) {
                    groups.push_str(&format!(
                        "<option value=\"{0}\" selected>{0}（不在分类表中）</option>",
                        esc(&text)
                    ));
                }
                for (class, subs) in &config.taxonomy {
                    groups.push_str(&format!("<optgroup label=\"{}\">", esc(class)));
                    for s in subs {
                        groups.push_str(&format!(
                            "<option value=\"{0}\"{1}>{0}</option>",
                            esc(s),
                            if *s == text { " selected" } else { "" }
                        ));
                    }
                    groups.push_str("</optgroup>");
                }
                return format!("<select {attrs}>{groups}</select>");
            }
            format!(
                "<select {attrs}>{}</select>",
                option_list(&values, &text, true)
            )
        }
        Control::Suggest(o) => {
            let list: String = form::options(o, config)
                .iter()
                .map(|(v, _)| format!("<option value=\"{}\"></option>", esc(v)))
                .collect();
            format!(
                "<input type=\"text\" {attrs} value=\"{}\" list=\"{id}-list\" autocomplete=\"off\"><datalist id=\"{id}-list\">{list}</datalist>",
                esc(&text)
            )
        }
        Control::Flag => format!(
            "<input type=\"checkbox\" {attrs}{}>",
            if matches!(shown, Shown::Flag(true)) {
                " checked"
            } else {
                ""
            }
        ),
        Control::Pairs => {
            let t: String = match shown {
                Shown::Pairs(p) => p.iter().map(|(k, v)| format!("{k}: {v}\n")).collect(),
                _ => String::new(),
            };
            format!("<textarea {attrs} rows=\"3\">\n{}</textarea>", esc(&t))
        }
        Control::Items | Control::Matters | Control::Attachments => String::new(),
    }
}

fn items_html(spec: &Spec, shown: &Shown, described: &str) -> String {
    let chosen: Vec<String> = match shown {
        Shown::Many(v) => v.clone(),
        _ => vec![],
    };
    let name = form::name(spec.key);
    let mut boxes = String::new();
    let mut all: Vec<(String, String)> = crate::labels::ITEMS
        .iter()
        .map(|(c, l, _)| (c.to_string(), format!("{c} {l}")))
        .collect();
    for c in &chosen {
        if !all.iter().any(|(v, _)| v == c) {
            all.push((c.clone(), format!("{c}（不是条例事项）")));
        }
    }
    for (i, (v, t)) in all.iter().enumerate() {
        boxes.push_str(&format!(
            "<span class=\"check\"><input type=\"checkbox\" id=\"f-{key}-{i}\" name=\"{name}\" value=\"{v}\"{c}><label for=\"f-{key}-{i}\">{t}</label></span>",
            key = spec.key,
            v = esc(v),
            t = esc(t),
            c = if chosen.contains(v) { " checked" } else { "" }
        ));
    }
    format!("<fieldset class=\"items\" aria-describedby=\"{described}\"><legend>{}</legend>{boxes}</fieldset>", spec.label)
}

/// The 事项 of the 标准目录 as check boxes, one group per 领域 (open when one of its items is
/// chosen). A chosen value keeps its spelling (id or names), so saving an unchanged form writes
/// nothing; values the catalogue does not know stay in a text box, so nothing is lost.
fn matters_html(
    spec: &Spec,
    shown: &Shown,
    described: &str,
    catalogue: &crate::catalogue::Catalogue,
) -> String {
    let chosen: Vec<String> = match shown {
        Shown::Many(v) => v.clone(),
        _ => vec![],
    };
    let name = form::name(spec.key);
    // Which written value names each entry.
    let mut written: std::collections::BTreeMap<crate::catalogue::EntryAt, &str> =
        Default::default();
    let mut unknown: Vec<&str> = Vec::new();
    for c in &chosen {
        match catalogue.resolve(c) {
            Some(at) => {
                written.entry(at).or_insert(c);
            }
            None => unknown.push(c),
        }
    }
    let mut groups = String::new();
    for (a, area) in catalogue.areas.iter().enumerate() {
        let picked = area
            .entries
            .iter()
            .enumerate()
            .filter(|(e, _)| written.contains_key(&(a, *e)))
            .count();
        let mut boxes = String::new();
        let mut first = "";
        for (e, entry) in area.entries.iter().enumerate() {
            if entry.first != first {
                if !first.is_empty() {
                    boxes.push_str("</ul>");
                }
                first = &entry.first;
                boxes.push_str(&format!("<p class=\"first\">{}</p><ul>", esc(first)));
            }
            let value = written.get(&(a, e)).copied().unwrap_or(&entry.id);
            boxes.push_str(&format!(
                "<li class=\"check\"><input type=\"checkbox\" id=\"m-{a}-{e}\" name=\"{name}\" value=\"{v}\"{c}><label for=\"m-{a}-{e}\">{second} <span class=\"id\">{id}</span>{mode}</label></li>",
                v = esc(value),
                c = if written.contains_key(&(a, e)) { " checked" } else { "" },
                second = esc(&entry.second),
                id = esc(&entry.id),
                mode = if entry.is_on_request_only() { "（依申请公开事项）" } else { "" },
            ));
        }
        if !first.is_empty() {
            boxes.push_str("</ul>");
        }
        let count = if picked > 0 {
            format!("（已选 {picked} 项）")
        } else {
            String::new()
        };
        groups.push_str(&format!(
            "<details{open}><summary>{area}{count}</summary>{boxes}</details>",
            open = if picked > 0 { " open" } else { "" },
            area = esc(&area.name),
        ));
    }
    let intro = if catalogue.is_empty() {
        "本站没有 catalogue/ 标准目录，可在下面直接填写事项。"
    } else {
        "按领域展开，勾选本文件落实的事项。"
    };
    format!(
        "<fieldset class=\"matters\" aria-describedby=\"{described}\"><legend>{label}</legend><p class=\"hint\">{intro}</p>{groups}<label for=\"f-{key}-more\">其他事项（标准目录中没有的，多个用 、 分开）</label><input type=\"text\" id=\"f-{key}-more\" name=\"{name}.more\" value=\"{more}\"></fieldset>",
        label = spec.label,
        key = spec.key,
        more = esc(&unknown.join("、")),
    )
}

/// The attachments of the document: each with its link text, a link to the file and a button
/// that removes it; uploading adds more.
fn attachments_html(rel: &Path, shown: &Shown, findings: &str, limit_mb: u64) -> String {
    let files = match shown {
        Shown::Files(f) => f.clone(),
        _ => vec![],
    };
    let dir = rel.parent().unwrap_or(Path::new(""));
    let rows: String = files
        .iter()
        .enumerate()
        .map(|(i, (p, t))| {
            let file = dir.join(p);
            let href = format!(
                "{PREFIX}file?path={}",
                form_urlencoded::byte_serialize(file.to_string_lossy().as_bytes()).collect::<String>()
            );
            format!(
                "<li><input type=\"hidden\" name=\"f.attachments.path\" value=\"{p}\"><a href=\"{href}\" target=\"_blank\" rel=\"noopener\">{p}</a> <label for=\"att-{i}\">链接文字</label> <input type=\"text\" id=\"att-{i}\" name=\"f.attachments.title\" value=\"{t}\"> <button type=\"button\" class=\"remove\" data-entry=\"{p}\">删除附件<span class=\"visually-hidden\"> {p}</span></button></li>",
                p = esc(p),
                t = esc(t),
                href = esc(&href)
            )
        })
        .collect();
    format!(
        r#"<fieldset class="attachments" id="field-attachments" aria-describedby="hint-attachments find-attachments">
<legend>附件</legend>
<ul id="att-list">{rows}</ul>
<div class="drop" id="att-drop">
<p>把附件拖到这里，或者用下面的按钮选择。文件名保持不变，存放在 {dir}/ 中；每个文件上限 {limit_mb} MB。</p>
<label for="att-upload">添加附件</label> <input type="file" id="att-upload" multiple>
</div>
<p class="hint" id="hint-attachments">链接文字要能单独读懂，如“2024年预算表”；删除附件会同时删除 {dir}/ 中的文件。</p>
<ul class="findings" id="find-attachments">{findings}</ul>
</fieldset>"#,
        dir = esc(&crate::workbench::paths::asset_dir(rel).to_string_lossy()),
    )
}

/// Everything the form page shows.
pub struct EditView<'a> {
    /// The site's configuration.
    pub config: &'a Config,
    /// The token of this run.
    pub token: &'a str,
    /// The document, relative to the root.
    pub rel: &'a Path,
    /// Its source.
    pub src: &'a Source,
    /// The version the form was opened at.
    pub version: &'a str,
    /// Its review.
    pub review: &'a DocReview,
    /// A draft.
    pub draft: bool,
    /// 主动公开 (may be published).
    pub proactive: bool,
    /// Messages to show once (after an import, after a save without JavaScript).
    pub notes: &'a [String],
    /// The upload limit.
    pub limit_mb: u64,
    /// The 政务公开事项标准目录 (empty when the site keeps none).
    pub catalogue: &'a crate::catalogue::Catalogue,
}

/// The form page.
pub fn edit_page(v: &EditView) -> String {
    // A column's own page (`_index.md`) has a title and an update date; other fields only when
    // written.
    let section = v.src.kind == crate::load::SourceKind::Section;
    let specs: Vec<Spec> = form::specs()
        .into_iter()
        .filter(|s| {
            !section
                || matches!(s.key, "title" | "updated")
                || v.src.fields.contains_key(s.key)
                || v.src.empty.contains_key(s.key)
        })
        .collect();
    let kind = v
        .src
        .fields
        .get("kind")
        .and_then(|f| f.value.as_str())
        .unwrap_or("")
        .to_string();
    let present = |k: &str| v.src.fields.contains_key(k) || v.src.empty.contains_key(k);
    let shown_keys: Vec<&str> = specs.iter().map(|s| s.key).collect();
    let body_line = Some(v.src.body_line);
    let mut basic = String::new();
    let mut more = String::new();
    let mut hidden = String::new();
    for spec in &specs {
        let shown = form::shown(spec, v.src);
        let c = form::effective(spec, v.src);
        let described = format!("hint-{0} find-{0}", spec.key);
        let findings = findings_for(v.review, spec.key, &shown_keys, body_line);
        if spec.key == "attachments" && !matches!(shown, Shown::Kept(_)) {
            hidden.push_str("<input type=\"hidden\" name=\"shown\" value=\"attachments\">");
            basic.push_str(&attachments_html(v.rel, &shown, &findings, v.limit_mb));
            continue;
        }
        let widget = match (&shown, c) {
            (Shown::Kept(yaml), _) => format!(
                "<pre class=\"kept\" id=\"f-{}\" tabindex=\"0\" aria-describedby=\"{described}\">{}</pre><p class=\"hint\">这个字段的写法较复杂，工作台不修改它，保存时原样保留。</p>",
                spec.key,
                esc(yaml)
            ),
            (_, Control::Items) => items_html(spec, &shown, &described),
            (_, Control::Matters) => matters_html(spec, &shown, &described, v.catalogue),
            _ => control(spec, c, &shown, v.config, &described),
        };
        if !matches!(shown, Shown::Kept(_)) && c != Control::ReadOnly {
            hidden.push_str(&format!(
                "<input type=\"hidden\" name=\"shown\" value=\"{}\">",
                spec.key
            ));
        }
        let label = match c {
            Control::Items | Control::Matters => String::new(),
            _ if matches!(shown, Shown::Kept(_)) => {
                format!("<span class=\"label\">{}</span>", spec.label)
            }
            _ => format!("<label for=\"f-{}\">{}</label>", spec.key, spec.label),
        };
        let (kinds_attr, hide) = if spec.kinds.is_empty() {
            (String::new(), false)
        } else {
            (
                format!(" data-kinds=\"{}\"", spec.kinds.join(" ")),
                !spec.kinds.contains(&kind.as_str()) && !present(spec.key),
            )
        };
        let row = format!(
            "<div class=\"field{flag}\" id=\"field-{key}\"{kinds_attr}{hide}>{label}{widget}<p class=\"hint\" id=\"hint-{key}\">{hint}</p><ul class=\"findings\" id=\"find-{key}\">{findings}</ul></div>\n",
            key = spec.key,
            flag = if c == Control::Flag { " flag" } else { "" },
            hide = if hide { " hidden" } else { "" },
            hint = esc(spec.hint),
        );
        let offered = spec.key == "matters" && !v.catalogue.is_empty();
        if spec.basic || offered || present(spec.key) || section {
            basic.push_str(&row);
        } else {
            more.push_str(&row);
        }
    }
    let general = findings_for(v.review, "general", &shown_keys, body_line);
    let body_findings = findings_for(v.review, "body", &shown_keys, body_line);
    let (errors, warnings) = v.review.counts();
    let state = if section {
        "栏目页"
    } else if v.draft {
        "草稿（未发布）"
    } else if v.proactive {
        "已发布"
    } else {
        "不发布（依申请公开或不予公开）"
    };
    let actions = if v.draft {
        "<button type=\"submit\" name=\"action\" value=\"save\">保存草稿</button> <button type=\"submit\" name=\"action\" value=\"publish\" class=\"primary\">发布</button>"
    } else if v.proactive {
        "<button type=\"submit\" name=\"action\" value=\"save\" class=\"primary\">保存</button> <button type=\"submit\" name=\"action\" value=\"withdraw\">撤回为草稿</button>"
    } else {
        "<button type=\"submit\" name=\"action\" value=\"save\" class=\"primary\">保存</button>"
    };
    let notes: String = if v.notes.is_empty() {
        String::new()
    } else {
        format!(
            "<div class=\"notes\" role=\"status\"><ul>{}</ul></div>",
            v.notes
                .iter()
                .map(|n| format!("<li>{}</li>", esc(n)))
                .collect::<String>()
        )
    };
    let preview = match (&v.review.page, &v.review.note) {
        (Some(html), _) => format!("<iframe id=\"preview\" title=\"页面预览：发布后的样子\" sandbox srcdoc=\"{}\"></iframe><p id=\"preview-note\" hidden></p>", esc(html)),
        (None, note) => format!(
            "<iframe id=\"preview\" title=\"页面预览：发布后的样子\" sandbox srcdoc=\"\" hidden></iframe><p id=\"preview-note\">{}</p>",
            esc(note.as_deref().unwrap_or(""))
        ),
    };
    let title = v
        .src
        .fields
        .get("title")
        .and_then(|f| f.value.as_str())
        .unwrap_or("（无标题）");
    let main = format!(
        r#"<h1>编辑：{title}</h1>
<p class="meta"><span>{path}</span> <span class="state">{state}</span></p>
{notes}<div id="status" role="status" aria-live="polite"></div>
<div class="columns">
<div class="editor">
<section class="review" aria-labelledby="review-h">
<h2 id="review-h">审查意见</h2>
<p id="review-summary">{summary}</p>
<ul class="findings" id="find-general">{general}</ul>
</section>
<form id="doc" method="post" action="{PREFIX}save" novalidate data-draft="{draft}">
<input type="hidden" name="token" value="{token}">
<input type="hidden" name="path" value="{path}">
<input type="hidden" name="version" value="{version}">
{hidden}
<fieldset class="fields"><legend>文件信息</legend>
{basic}</fieldset>
<details class="more"><summary>更多字段</summary>
{more}</details>
<div class="field body" id="field-body">
<label for="f-body">正文（Markdown 格式）</label>
<textarea id="f-body" name="body" rows="24" aria-describedby="hint-body find-body">
{body}</textarea>
<p class="hint" id="hint-body">空一行分段；## 开头是标题；[链接文字](地址) 是链接。按 Ctrl+S 保存。</p>
<ul class="findings" id="find-body">{body_findings}</ul>
</div>
<p class="actions">{actions}</p>
</form>
</div>
<section class="preview" aria-labelledby="preview-h">
<h2 id="preview-h">页面预览</h2>
{preview}
</section>
</div>"#,
        title = esc(title),
        path = esc(&v.rel.to_string_lossy()),
        token = v.token,
        version = esc(v.version),
        draft = v.draft,
        summary = summary(errors, warnings, v.draft),
        body = esc(&v.src.body),
    );
    layout(
        &format!("编辑：{title}"),
        Nav::Edit,
        &v.config.site_name,
        v.token,
        &main,
    )
}

/// The line above the findings.
pub fn summary(errors: usize, warnings: usize, draft: bool) -> String {
    let what = if draft {
        "（按发布后的状态审查）"
    } else {
        ""
    };
    match (errors, warnings) {
        (0, 0) => format!("没有发现问题{what}。"),
        (e, w) => format!(
            "{e} 个错误，{w} 个警告{what}。{}",
            if e > 0 {
                "改正全部错误后才能发布。"
            } else {
                ""
            }
        ),
    }
}

/// The page of a file that does not load: its findings and its whole text to repair.
pub fn raw_page(
    config: &Config,
    token: &str,
    rel: &Path,
    text: &str,
    version: &str,
    review: &DocReview,
) -> String {
    let findings: String = review.findings.iter().map(finding_html).collect();
    let main = format!(
        r#"<h1>修复文件：{path}</h1>
<p>这个文件现在无法读取，所以不能按字段编辑。请按下面的说明改正文件文字，保存后即可按字段编辑。</p>
<div id="status" role="status" aria-live="polite"></div>
<section class="review" aria-labelledby="review-h"><h2 id="review-h">审查意见</h2>
<ul class="findings" id="find-general">{findings}</ul></section>
<form id="raw" method="post" action="{PREFIX}save" novalidate>
<input type="hidden" name="token" value="{token}">
<input type="hidden" name="path" value="{path}">
<input type="hidden" name="version" value="{version}">
<div class="field body"><label for="f-raw">文件全文</label>
<textarea id="f-raw" name="raw" rows="30">
{text}</textarea></div>
<p class="actions"><button type="submit" name="action" value="save" class="primary">保存</button></p>
</form>"#,
        path = esc(&rel.to_string_lossy()),
        version = esc(version),
        text = esc(text),
    );
    layout("修复文件", Nav::Edit, &config.site_name, token, &main)
}
