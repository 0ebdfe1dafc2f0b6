//! `[branding]` in `gongkai.toml`: the logo (国徽 or the office's emblem) and the two badges of
//! a government site's footer, 党政机关网站标识 and the 公安备案 icon (SPEC §5.1).
//!
//! Images are local files only, copied into the site under fixed names: a page must make no
//! request to another server (no tracking, and it works on an intranet). This module checks the
//! settings; `load` checks that the files exist and the pipeline copies them.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// `[branding]` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBranding {
    #[serde(default)]
    logo: String,
    #[serde(default)]
    logo_alt: String,
    #[serde(default)]
    gov_badge: String,
    #[serde(default)]
    gov_badge_link: String,
    #[serde(default)]
    gov_badge_alt: Option<String>,
    #[serde(default)]
    police_badge: String,
}

/// One image of the site's identity: the file at the root and where the site serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The setting that names it (`logo`), for messages.
    pub key: &'static str,
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// Its path in the built site (`branding/logo.png`).
    pub output: String,
}

/// The branding in force.
#[derive(Debug, Clone, Default)]
pub struct Branding {
    /// The logo beside the site name.
    pub logo: Option<Image>,
    /// The logo's text alternative; empty when the site name next to it says it all.
    pub logo_alt: String,
    /// 党政机关网站标识.
    pub gov_badge: Option<Image>,
    /// Where the 党政机关网站标识 links to (the 中央编办 verification page), if anywhere.
    pub gov_badge_link: String,
    /// The badge's text alternative (default 党政机关网站标识).
    pub gov_badge_alt: String,
    /// The 公安备案 icon before the record number.
    pub police_badge: Option<Image>,
}

impl Branding {
    /// Every configured image.
    pub fn images(&self) -> impl Iterator<Item = &Image> {
        [&self.logo, &self.gov_badge, &self.police_badge]
            .into_iter()
            .flatten()
    }
}

const IMAGE_TYPES: &[&str] = &["png", "jpg", "jpeg", "gif", "svg", "webp"];

/// Reads `[branding]`. Errors are (key, message), Chinese first.
pub(super) fn parse(raw: RawBranding) -> (Branding, Vec<(String, String)>) {
    let mut errors = Vec::new();
    let mut image = |key: &'static str, value: &str, name: &str| -> Option<Image> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        match local_image(v) {
            Ok(ext) => Some(Image {
                key,
                file: PathBuf::from(v),
                output: format!("branding/{name}.{ext}"),
            }),
            Err(why) => {
                errors.push((key.to_string(), format!("[branding] {key} = “{v}”：{why}")));
                None
            }
        }
    };
    let logo = image("logo", &raw.logo, "logo");
    let gov_badge = image("gov_badge", &raw.gov_badge, "gov-badge");
    let police_badge = image("police_badge", &raw.police_badge, "police-badge");
    let link = raw.gov_badge_link.trim().to_string();
    if !(link.is_empty() || link.starts_with("https://") || link.starts_with("http://")) {
        errors.push((
            "gov_badge_link".into(),
            format!("[branding] gov_badge_link “{link}” 应是以 https:// 或 http:// 开头的网址 (must be an http(s) address)"),
        ));
    }
    let branding = Branding {
        logo,
        logo_alt: raw.logo_alt.trim().to_string(),
        gov_badge,
        gov_badge_link: if errors.iter().any(|(k, _)| k == "gov_badge_link") {
            String::new()
        } else {
            link
        },
        gov_badge_alt: raw
            .gov_badge_alt
            .map(|a| a.trim().to_string())
            .unwrap_or_else(|| "党政机关网站标识".into()),
        police_badge,
    };
    (branding, errors)
}

/// Checks that `v` names a local image file inside the site; returns its extension.
fn local_image(v: &str) -> Result<String, String> {
    if v.contains("://") || v.starts_with("//") || v.starts_with("data:") {
        return Err("只能使用本站点文件夹里的图片文件，不能引用其他网站的地址（页面不向其他服务器发出请求）；请把图片下载到站点文件夹，写相对路径，例如 \"static/logo.png\" (a local file, not an address)".into());
    }
    let p = Path::new(v);
    if p.is_absolute()
        || v.starts_with('/')
        || v.starts_with('\\')
        || p.components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err("请写相对于站点根目录（gongkai.toml 所在的文件夹）的路径，不要以 / 开头，也不要用 ..，例如 \"static/logo.png\" (a path relative to the site root)".into());
    }
    let ext = p
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !IMAGE_TYPES.contains(&ext.as_str()) {
        return Err(format!(
            "不是图片文件；可用的格式：{} (an image: {})",
            IMAGE_TYPES.join("、"),
            IMAGE_TYPES.join(", ")
        ));
    }
    Ok(ext)
}

/// E005 for each image the configuration names that is missing under `root`, on its line of
/// `text` (the `gongkai.toml` read).
pub fn missing_file_findings(
    config: &super::Config,
    text: &str,
    root: &Path,
) -> Vec<crate::diag::Diagnostic> {
    config
        .branding
        .images()
        .filter(|i| !root.join(&i.file).is_file())
        .map(|i| {
            let mut d = crate::diag::Diagnostic::new(
                crate::diag::Code::E005,
                super::FILE_NAME,
                format!(
                    "[branding] {} 指定的图片 “{}” 不存在（在站点文件夹 {} 下找不到）；请把图片放到这个位置，或改正路径 (file not found)",
                    i.key,
                    i.file.display(),
                    root.display()
                ),
            )
            .field(i.key)
            .help("图片放在站点文件夹里，路径相对于 gongkai.toml 所在的文件夹，例如 \"branding/logo.png\"");
            d.line = super::key_line(text, i.key);
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_local_images_and_refuses_addresses() {
        let (b, e) = parse(RawBranding {
            logo: "static/国徽.PNG".into(),
            police_badge: "img/gaba.png".into(),
            gov_badge_link: "https://bszs.conac.cn/sitename?method=show&id=1".into(),
            ..Default::default()
        });
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(b.logo.as_ref().unwrap().output, "branding/logo.png");
        assert_eq!(b.gov_badge_alt, "党政机关网站标识");
        for bad in [
            "https://www.gov.cn/images/gh.png",
            "//cdn.example.com/a.png",
            "/etc/logo.png",
            "../logo.png",
            "static/logo.txt",
        ] {
            let (_, e) = parse(RawBranding {
                logo: bad.into(),
                ..Default::default()
            });
            assert_eq!(e.len(), 1, "{bad}");
            assert!(e[0].1.starts_with("[branding] logo = "), "{}", e[0].1);
        }
    }
}
