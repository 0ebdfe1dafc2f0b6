//! The parts of a `.docx` that shape its text: the relationships (pictures, hyperlinks, which
//! part holds the styles), the styles (alignment, indents, colour and bold inherited through
//! `basedOn`) and the numbering definitions (Word's automatic `一、`), plus the XML helpers the
//! reader shares.

use std::collections::HashMap;

use roxmltree::Node;

use super::{parse_xml, Align, DocxError};

/// An attribute by local name (`w:val` → `val`), whatever its namespace prefix.
pub(super) fn attr<'a>(n: Node<'a, '_>, local: &str) -> Option<&'a str> {
    n.attributes()
        .find(|a| a.name() == local)
        .map(|a| a.value())
}

/// The first child element with this local name.
pub(super) fn child<'a, 'i>(n: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == local)
}

/// An on/off property: present means on, unless `w:val` says 0/false/off.
pub(super) fn on_off(n: Node) -> bool {
    !matches!(attr(n, "val"), Some("0" | "false" | "off" | "none"))
}

/// Word writes colours as `RRGGBB`; the 版头 red is any strong red (FF0000, E60012, C00000 …).
pub(super) fn is_red_hex(v: &str) -> bool {
    if v.len() != 6 {
        return false;
    }
    let c = |i: usize| u8::from_str_radix(&v[i..i + 2], 16).ok();
    matches!((c(0), c(2), c(4)), (Some(r), Some(g), Some(b)) if r >= 0xB0 && g <= 0x60 && b <= 0x60)
}

/// Relationships of the main part: id → target, and part paths by relationship type.
#[derive(Debug, Default)]
pub(super) struct Rels {
    pub(super) targets: HashMap<String, (String, bool)>,
    pub(super) types: Vec<(String, String)>,
}

impl Rels {
    pub(super) fn parse(text: &str, dir: &str, part: &str) -> Result<Rels, DocxError> {
        let doc = parse_xml(text, part)?;
        let mut r = Rels::default();
        for n in doc.root_element().children().filter(Node::is_element) {
            let (Some(id), Some(target)) = (attr(n, "Id"), attr(n, "Target")) else {
                continue;
            };
            let external = attr(n, "TargetMode") == Some("External");
            let path = if external {
                target.to_string()
            } else {
                resolve(dir, target)
            };
            if let Some(t) = attr(n, "Type") {
                let short = t.rsplit('/').next().unwrap_or(t).to_string();
                r.types.push((short, path.clone()));
            }
            r.targets.insert(id.to_string(), (path, external));
        }
        Ok(r)
    }

    pub(super) fn by_type(&self, short: &str) -> Option<&str> {
        self.types
            .iter()
            .find(|(t, _)| t == short)
            .map(|(_, p)| p.as_str())
    }
}

/// `word` + `media/image1.png` → `word/media/image1.png`; `../x` and `/x` handled.
fn resolve(dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Paragraph and run properties of a style, unresolved (`None` = inherit).
#[derive(Debug, Default, Clone)]
pub(super) struct Props {
    pub(super) align: Option<Align>,
    pub(super) indent_first: Option<bool>,
    pub(super) indent_left: Option<i32>,
    pub(super) outline: Option<u8>,
    pub(super) bold: Option<bool>,
    pub(super) italic: Option<bool>,
    pub(super) red: Option<bool>,
    /// Hidden text (`w:vanish`): Word neither shows nor prints it.
    pub(super) hidden: Option<bool>,
    /// Raised or lowered text (`w:vertAlign`): `Some(true)` superscript, `Some(false)`
    /// subscript, `None` inherited or on the baseline.
    pub(super) raised: Option<Option<bool>>,
    pub(super) num: Option<(String, usize)>,
    pub(super) based_on: Option<String>,
}

impl Props {
    /// Fills what `self` leaves open from `base`.
    pub(super) fn or(self, base: &Props) -> Props {
        Props {
            align: self.align.or(base.align),
            indent_first: self.indent_first.or(base.indent_first),
            indent_left: self.indent_left.or(base.indent_left),
            outline: self.outline.or(base.outline),
            bold: self.bold.or(base.bold),
            italic: self.italic.or(base.italic),
            red: self.red.or(base.red),
            hidden: self.hidden.or(base.hidden),
            raised: self.raised.or(base.raised),
            num: self.num.or_else(|| base.num.clone()),
            based_on: None,
        }
    }
}

pub(super) fn read_ppr(ppr: Node, p: &mut Props) {
    for c in ppr.children().filter(Node::is_element) {
        match c.tag_name().name() {
            "jc" => {
                p.align = Some(match attr(c, "val").unwrap_or("") {
                    "center" => Align::Center,
                    "right" | "end" => Align::Right,
                    "both" | "distribute" | "thaiDistribute" => Align::Justify,
                    _ => Align::Left,
                })
            }
            "ind" => {
                let num = |k: &str| attr(c, k).and_then(|v| v.parse::<i64>().ok());
                if let Some(v) = num("firstLine").or(num("firstLineChars")) {
                    p.indent_first = Some(v > 0);
                }
                if num("hanging")
                    .or(num("hangingChars"))
                    .is_some_and(|v| v > 0)
                {
                    p.indent_first = Some(false);
                }
                if let Some(v) = num("left").or(num("start")) {
                    p.indent_left = Some(v.clamp(-100_000, 100_000) as i32);
                }
            }
            "outlineLvl" => p.outline = attr(c, "val").and_then(|v| v.parse().ok()),
            "numPr" => {
                let id = child(c, "numId").and_then(|n| attr(n, "val"));
                let lvl = child(c, "ilvl")
                    .and_then(|n| attr(n, "val"))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0usize);
                if let Some(id) = id {
                    p.num = Some((id.to_string(), lvl.min(8)));
                }
            }
            "rPr" => {}
            _ => {}
        }
    }
}

pub(super) fn read_rpr(rpr: Node, p: &mut Props) {
    for c in rpr.children().filter(Node::is_element) {
        match c.tag_name().name() {
            "b" => p.bold = Some(on_off(c)),
            "i" => p.italic = Some(on_off(c)),
            "color" => p.red = Some(attr(c, "val").is_some_and(is_red_hex)),
            "vanish" => p.hidden = Some(on_off(c)),
            "vertAlign" => {
                p.raised = Some(match attr(c, "val") {
                    Some("superscript") => Some(true),
                    Some("subscript") => Some(false),
                    _ => None,
                })
            }
            _ => {}
        }
    }
}

/// `styles.xml`: style id → properties, and the document defaults.
#[derive(Debug, Default)]
pub(super) struct Styles {
    pub(super) by_id: HashMap<String, Props>,
    pub(super) default_para: Option<String>,
    pub(super) defaults: Props,
}

impl Styles {
    pub(super) fn parse(text: &str, part: &str) -> Result<Styles, DocxError> {
        let doc = parse_xml(text, part)?;
        let mut s = Styles::default();
        for n in doc.root_element().children().filter(Node::is_element) {
            match n.tag_name().name() {
                "docDefaults" => {
                    for d in n.descendants().filter(Node::is_element) {
                        match d.tag_name().name() {
                            "pPr" => read_ppr(d, &mut s.defaults),
                            "rPr" => read_rpr(d, &mut s.defaults),
                            _ => {}
                        }
                    }
                }
                "style" => {
                    let Some(id) = attr(n, "styleId") else {
                        continue;
                    };
                    let mut p = Props::default();
                    for c in n.children().filter(Node::is_element) {
                        match c.tag_name().name() {
                            "basedOn" => p.based_on = attr(c, "val").map(str::to_string),
                            "pPr" => read_ppr(c, &mut p),
                            "rPr" => read_rpr(c, &mut p),
                            _ => {}
                        }
                    }
                    if attr(n, "type") == Some("paragraph") && attr(n, "default") == Some("1") {
                        s.default_para = Some(id.to_string());
                    }
                    s.by_id.insert(id.to_string(), p);
                }
                _ => {}
            }
        }
        Ok(s)
    }

    /// A style's properties with its `basedOn` chain applied (at most 20 deep: chains can loop).
    pub(super) fn resolve(&self, id: Option<&str>) -> Props {
        let mut out = Props::default();
        let mut cur = id.map(str::to_string).or_else(|| self.default_para.clone());
        for _ in 0..20 {
            let Some(c) = cur else { break };
            let Some(p) = self.by_id.get(&c) else { break };
            out = out.or(p);
            cur = p.based_on.clone();
        }
        out.or(&self.defaults)
    }
}

/// One level of a list definition.
#[derive(Debug, Default, Clone)]
pub(super) struct Level {
    pub(super) start: u32,
    pub(super) format: String,
    pub(super) text: String,
}

/// `numbering.xml`: list id → level definitions.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    pub(super) abstracts: HashMap<String, Vec<Level>>,
    pub(super) nums: HashMap<String, (String, HashMap<usize, u32>)>,
}

impl Numbering {
    pub(super) fn parse(text: &str, part: &str) -> Result<Numbering, DocxError> {
        let doc = parse_xml(text, part)?;
        let mut n = Numbering::default();
        for e in doc.root_element().children().filter(Node::is_element) {
            match e.tag_name().name() {
                "abstractNum" => {
                    let Some(id) = attr(e, "abstractNumId") else {
                        continue;
                    };
                    let mut levels = vec![Level::default(); 9];
                    for l in e.children().filter(|c| c.tag_name().name() == "lvl") {
                        let Some(i) = attr(l, "ilvl").and_then(|v| v.parse::<usize>().ok()) else {
                            continue;
                        };
                        if i > 8 {
                            continue;
                        }
                        let v = |k: &str| child(l, k).and_then(|c| attr(c, "val"));
                        levels[i] = Level {
                            start: v("start").and_then(|s| s.parse().ok()).unwrap_or(1),
                            format: v("numFmt").unwrap_or("decimal").to_string(),
                            text: v("lvlText").unwrap_or("").to_string(),
                        };
                    }
                    n.abstracts.insert(id.to_string(), levels);
                }
                "num" => {
                    let (Some(id), Some(abs)) = (
                        attr(e, "numId"),
                        child(e, "abstractNumId").and_then(|c| attr(c, "val")),
                    ) else {
                        continue;
                    };
                    let mut starts = HashMap::new();
                    for o in e
                        .children()
                        .filter(|c| c.tag_name().name() == "lvlOverride")
                    {
                        let lvl = attr(o, "ilvl").and_then(|v| v.parse::<usize>().ok());
                        let start = child(o, "startOverride")
                            .and_then(|c| attr(c, "val"))
                            .and_then(|v| v.parse::<u32>().ok());
                        if let (Some(l), Some(s)) = (lvl, start) {
                            starts.insert(l, s);
                        }
                    }
                    n.nums.insert(id.to_string(), (abs.to_string(), starts));
                }
                _ => {}
            }
        }
        Ok(n)
    }
}

/// A number in one of Word's formats.
pub(super) fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "chineseLegalSimplified"
        | "ideographDigital"
        | "japaneseCounting"
        | "taiwaneseCounting" => chinese_number(n),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32('①' as u32 + n - 1)
                .map(String::from)
                .unwrap_or_default()
        }
        "ideographTraditional" if (1..=10).contains(&n) => "甲乙丙丁戊己庚辛壬癸"
            .chars()
            .nth(n as usize - 1)
            .map(String::from)
            .unwrap_or_default(),
        "lowerLetter" | "upperLetter" if (1..=26).contains(&n) => {
            let c = (b'a' + (n - 1) as u8) as char;
            if format == "upperLetter" {
                c.to_ascii_uppercase().to_string()
            } else {
                c.to_string()
            }
        }
        "lowerRoman" | "upperRoman" => {
            let r = roman(n);
            if format == "lowerRoman" {
                r.to_lowercase()
            } else {
                r
            }
        }
        "bullet" | "none" => String::new(),
        _ => n.to_string(),
    }
}

/// 1 → 一, 10 → 十, 21 → 二十一 (up to 99; larger numbers in digits, as nobody counts so far).
pub fn chinese_number(n: u32) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].into(),
        10..=19 => format!("十{}", if n > 10 { D[n as usize - 10] } else { "" }),
        20..=99 => format!(
            "{}十{}",
            D[n as usize / 10],
            if !n.is_multiple_of(10) {
                D[n as usize % 10]
            } else {
                ""
            }
        ),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    const T: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in T {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers_count_as_written() {
        let got: Vec<String> = [1, 9, 10, 11, 20, 21, 99]
            .iter()
            .map(|n| chinese_number(*n))
            .collect();
        assert_eq!(got, ["一", "九", "十", "十一", "二十", "二十一", "九十九"]);
        assert_eq!(format_number(3, "decimalFullWidth"), "３");
        assert_eq!(format_number(2, "decimalEnclosedCircle"), "②");
        assert_eq!(format_number(4, "lowerRoman"), "iv");
    }

    #[test]
    fn resolves_relative_targets() {
        assert_eq!(resolve("word", "media/image1.png"), "word/media/image1.png");
        assert_eq!(
            resolve("word", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(resolve("word", "/word/media/a.png"), "word/media/a.png");
    }

    #[test]
    fn recognises_the_reds_of_a_masthead() {
        for red in ["FF0000", "E60012", "C00000", "ff0000"] {
            assert!(is_red_hex(red), "{red}");
        }
        for other in ["000000", "auto", "FF9900", "0000FF", "808080"] {
            assert!(!is_red_hex(other), "{other}");
        }
    }
}
