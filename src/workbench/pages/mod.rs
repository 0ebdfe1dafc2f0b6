//! The workbench's pages, as HTML strings: the document list, the form, the page to create or
//! import a document, and messages. Plain HTML that works with the keyboard alone: every control
//! has a label, groups have a legend, findings are linked to their fields (`aria-describedby`)
//! and announced in a live region; the script (`assets/workbench.js`) only adds the live review,
//! saving without leaving the page, uploads and import.

mod edit;
mod list;

pub use edit::{edit_page, finding_html, place, raw_page, summary, EditView};
pub use list::{list_page, Filters};

use crate::config::Config;
use crate::render::escape_html as esc;

/// The workbench's URL prefix.
pub const PREFIX: &str = "/_gongkai/";

/// Which page of the navigation is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// The document list.
    List,
    /// New document or import.
    New,
    /// A document's form (no navigation entry).
    Edit,
}

/// A whole page: head, skip link, navigation, `main`.
pub fn layout(title: &str, nav: Nav, site_name: &str, token: &str, main: &str) -> String {
    let item = |href: &str, text: &str, me: bool| {
        format!(
            "<li><a href=\"{href}\"{}>{text}</a></li>",
            if me { " aria-current=\"page\"" } else { "" }
        )
    };
    format!(
        r##"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="gongkai-token" content="{token}">
<title>{title} - 公开工作台</title>
<link rel="stylesheet" href="{PREFIX}assets/workbench.css">
<script src="{PREFIX}assets/workbench.js" defer></script>
</head>
<body>
<a class="skip" href="#main">跳到主要内容</a>
<header class="top">
<p class="brand">公开工作台<span class="site">{site}</span></p>
<nav aria-label="工作台导航"><ul>{list}{new}<li><a href="/">网站预览</a></li></ul></nav>
</header>
<main id="main" tabindex="-1">
{main}
</main>
</body>
</html>
"##,
        title = esc(title),
        site = esc(site_name),
        list = item(PREFIX, "文件列表", nav == Nav::List),
        new = item(&format!("{PREFIX}new"), "新建或导入", nav == Nav::New),
    )
}

/// A page that says what went wrong, with a way back.
pub fn message_page(
    title: &str,
    message: &str,
    back: &str,
    site_name: &str,
    token: &str,
) -> String {
    layout(
        title,
        Nav::Edit,
        site_name,
        token,
        &format!(
            "<h1>{}</h1>\n<p class=\"alert\" role=\"alert\">{}</p>\n<p><a href=\"{}\">返回</a></p>",
            esc(title),
            esc(message),
            esc(back)
        ),
    )
}

/// `?path=…` for a document path.
pub fn edit_url(path: &std::path::Path) -> String {
    format!(
        "{PREFIX}edit?path={}",
        form_urlencoded::byte_serialize(path.to_string_lossy().replace('\\', "/").as_bytes())
            .collect::<String>()
    )
}

/// The page to create a document or import Word files.
pub fn new_page(
    config: &Config,
    token: &str,
    folders: &[String],
    today_year: i32,
    error: Option<&str>,
    limit_mb: u64,
) -> String {
    let kinds: String = config
        .kinds
        .iter()
        .map(|k| {
            format!(
                "<option{}>{}</option>",
                if k == "其他文件" { " selected" } else { "" },
                esc(k)
            )
        })
        .collect();
    let items: String = crate::labels::ITEMS
        .iter()
        .map(|(code, label, _)| format!("<option value=\"{code}\">{code} {}</option>", esc(label)))
        .collect();
    let folder_options: String = folders
        .iter()
        .map(|f| format!("<option value=\"{}\"></option>", esc(f)))
        .collect();
    let default_folder = format!("content/{today_year}");
    let err = error
        .map(|e| format!("<p class=\"alert\" role=\"alert\">{}</p>\n", esc(e)))
        .unwrap_or_default();
    let main = format!(
        r#"<h1>新建或导入</h1>
{err}<section aria-labelledby="new-h">
<h2 id="new-h">新建文件</h2>
<p>新文件是草稿，索引号从索引号台账中预留。创建后打开表单填写。</p>
<form method="post" action="{PREFIX}new" class="stack">
<input type="hidden" name="token" value="{token}">
<div class="field"><label for="n-kind">文种</label>
<select id="n-kind" name="kind">{kinds}</select></div>
<div class="field"><label for="n-item">条例事项</label>
<select id="n-item" name="item" aria-describedby="n-item-hint"><option value="">按文种默认</option>{items}</select>
<p class="hint" id="n-item-hint">规章、规范性文件默认 20.1；政策解读、制度、年报进入各自栏目</p></div>
<div class="field"><label for="n-title">标题</label>
<input id="n-title" name="title" type="text" required autocomplete="off"></div>
<div class="field"><label for="n-folder">保存到</label>
<input id="n-folder" name="folder" type="text" value="{folder}" list="n-folders" aria-describedby="n-folder-hint" autocomplete="off">
<datalist id="n-folders">{folder_options}</datalist>
<p class="hint" id="n-folder-hint">content/ 下的文件夹，如 content/{today_year}</p></div>
<div class="field"><label for="n-name">文件名（可不填）</label>
<input id="n-name" name="name" type="text" aria-describedby="n-name-hint" autocomplete="off">
<p class="hint" id="n-name-hint">不填则按标题生成；网址按索引号生成，与文件名无关</p></div>
<p><button type="submit">新建</button></p>
</form>
</section>
<section aria-labelledby="import-h">
<h2 id="import-h">导入 Word 公文</h2>
<p>把定稿的 .docx 文件和它的附件一起放进来：标题、文号、发文机关、成文日期、附件从公文中读出，正文转为 Markdown。每个文件上限 {limit_mb} MB。</p>
<noscript><p class="alert">导入需要浏览器启用 JavaScript；也可以在命令行运行 gongkai import 文件.docx</p></noscript>
<form id="import" class="stack" data-limit="{limit_bytes}">
<div class="drop" id="dropzone">
<p>把 .docx 文件和附件拖到这里，或者用下面的按钮选择（可以一次选多个）。</p>
<label for="import-files">选择文件</label>
<input id="import-files" type="file" multiple>
<ul id="import-list" aria-label="待导入的文件"></ul>
</div>
<div class="field"><label for="i-kind">文种</label>
<select id="i-kind" name="kind"><option value="">按公文自动识别</option>{kinds_plain}</select></div>
<div class="field"><label for="i-folder">保存到</label>
<input id="i-folder" name="folder" type="text" value="" list="n-folders" aria-describedby="i-folder-hint" autocomplete="off">
<p class="hint" id="i-folder-hint">不填则按成文年份放入 content/年份/</p></div>
<p><button type="submit" id="import-go">导入</button></p>
<div id="import-status" role="status" aria-live="polite"></div>
</form>
</section>"#,
        folder = esc(&default_folder),
        limit_bytes = limit_mb << 20,
        kinds_plain = config
            .kinds
            .iter()
            .map(|k| format!("<option>{}</option>", esc(k)))
            .collect::<String>(),
    );
    layout("新建或导入", Nav::New, &config.site_name, token, &main)
}
