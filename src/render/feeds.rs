//! Atom feeds (one per list column), the sitemap (split above the configured number of URLs,
//! 30,000 by default) and robots.txt. Written directly, not through templates: their formats are
//! fixed by their specifications, not by the theme.

use crate::site::{ColumnKind, DocId, Site};
use crate::write::OutputFile;

/// True for characters an XML document may carry. XML 1.0 (§2.2 `Char`) forbids the C0 controls
/// other than tab, line feed and carriage return, and U+FFFE and U+FFFF; one of them makes a feed
/// or sitemap not well-formed, and readers reject the whole file. The other noncharacters
/// (U+FDD0–U+FDEF, and the last two code points of every plane) are allowed but "discouraged":
/// they are never text, so they are dropped too. Rust strings hold no surrogates.
pub fn is_xml_char(c: char) -> bool {
    let u = c as u32;
    match u {
        0x09 | 0x0A | 0x0D => true,
        0x00..=0x1F => false,
        0xFDD0..=0xFDEF => false,
        _ => u & 0xFFFE != 0xFFFE,
    }
}

/// XML-escapes text, dropping the characters XML cannot carry ([`is_xml_char`]).
pub fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if !is_xml_char(c) => {}
            c => o.push(c),
        }
    }
    o
}

/// Percent-encodes a root-relative path for use in an absolute URL (RFC 3986).
pub fn encode_path(path: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(path, SET).to_string()
}

/// The absolute URL of a root-relative path.
pub fn absolute(site: &Site, path: &str) -> String {
    format!("{}{}", site.config.base_url, encode_path(path))
}

/// One Atom feed per list column and one for the home (newest documents).
pub fn feeds(site: &Site) -> Result<Vec<OutputFile>, crate::diag::Diagnostic> {
    let mut out = Vec::new();
    // Dates and times in documents are written in the site's zone (`timezone`, +08:00).
    let zone = site.config.timezone;
    for c in site
        .columns
        .iter()
        .filter(|c| c.has_feed || c.kind == ColumnKind::Home)
    {
        let entries: Vec<DocId> = c.docs.iter().copied().take(site.config.feed_size).collect();
        let updated = entries
            .iter()
            .filter_map(|&i| site.docs[i].sort_date())
            .max()
            .map(|d| d.to_string())
            .unwrap_or_else(|| site.today.to_string());
        let mut x = String::new();
        x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
        x.push_str(&format!(
            "  <title>{} - {}</title>\n",
            xml_escape(&c.title),
            xml_escape(&site.config.site_name)
        ));
        x.push_str(&format!(
            "  <id>{}</id>\n",
            xml_escape(&absolute(site, &c.path))
        ));
        x.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&absolute(site, &c.path))
        ));
        x.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            xml_escape(&absolute(site, &format!("{}atom.xml", c.path)))
        ));
        x.push_str(&format!("  <updated>{updated}T00:00:00{zone}</updated>\n"));
        x.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            xml_escape(&site.config.org_name)
        ));
        for &i in &entries {
            let d = &site.docs[i];
            let url = absolute(site, d.page_path());
            let date = d
                .published
                .map(|p| {
                    format!(
                        "{}T{}:00{zone}",
                        p.date,
                        p.time
                            .map(|t| t.format("%H:%M").to_string())
                            .unwrap_or_else(|| "00:00".into())
                    )
                })
                .unwrap_or_else(|| format!("{updated}T00:00:00{zone}"));
            x.push_str("  <entry>\n");
            x.push_str(&format!("    <title>{}</title>\n", xml_escape(&d.title)));
            x.push_str(&format!("    <id>{}</id>\n", xml_escape(&url)));
            x.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                xml_escape(&url)
            ));
            x.push_str(&format!(
                "    <updated>{date}</updated>\n    <published>{date}</published>\n"
            ));
            x.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                xml_escape(&d.issuer_text())
            ));
            let summary = match &d.summary {
                Some(s) => s.clone(),
                None => crate::markdown::excerpt(&d.body.rendered()?.text, 200),
            };
            x.push_str(&format!(
                "    <summary>{}</summary>\n",
                xml_escape(&summary)
            ));
            x.push_str("  </entry>\n");
        }
        x.push_str("</feed>\n");
        out.push(OutputFile {
            path: format!("{}atom.xml", c.path),
            bytes: x.into_bytes(),
        });
    }
    Ok(out)
}

/// `sitemap.xml`: a plain urlset, or, above the limit, a sitemap index over `sitemap-N.xml`.
pub fn sitemap(site: &Site, html_paths: &[&str]) -> Vec<OutputFile> {
    let mut urls: Vec<(String, Option<String>)> = html_paths
        .iter()
        .filter(|p| **p != "404.html")
        .map(|p| (p.trim_end_matches("index.html").to_string(), None))
        .collect();
    let lastmod: std::collections::BTreeMap<String, String> = site
        .docs
        .iter()
        .filter_map(|d| {
            d.sort_date()
                .map(|dt| (d.page_path().to_string(), dt.to_string()))
        })
        .collect();
    for u in &mut urls {
        u.1 = lastmod.get(&u.0).cloned();
    }
    urls.sort();
    let urlset = |chunk: &[(String, Option<String>)]| {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (p, lm) in chunk {
            x.push_str(&format!(
                "  <url><loc>{}</loc>",
                xml_escape(&absolute(site, p))
            ));
            if let Some(lm) = lm {
                x.push_str(&format!("<lastmod>{lm}</lastmod>"));
            }
            x.push_str("</url>\n");
        }
        x.push_str("</urlset>\n");
        x
    };
    let max = site.config.sitemap_max_urls;
    if urls.len() <= max {
        return vec![OutputFile {
            path: "sitemap.xml".into(),
            bytes: urlset(&urls).into_bytes(),
        }];
    }
    let mut out = Vec::new();
    let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (n, chunk) in urls.chunks(max).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            xml_escape(&absolute(site, &name))
        ));
        out.push(OutputFile {
            path: name,
            bytes: urlset(chunk).into_bytes(),
        });
    }
    index.push_str("</sitemapindex>\n");
    out.push(OutputFile {
        path: "sitemap.xml".into(),
        bytes: index.into_bytes(),
    });
    out
}

/// `robots.txt` pointing at the sitemap.
pub fn robots(site: &Site) -> OutputFile {
    OutputFile {
        path: "robots.txt".into(),
        bytes: format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            absolute(site, "sitemap.xml")
        )
        .into_bytes(),
    }
}
