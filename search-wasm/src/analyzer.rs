//! The Chinese analyzer `cjk_unibi`: one definition of "what is a word" for the index (native, at
//! build time) and for queries (wasm, in the browser), so the two can never disagree.
//!
//! Why not a dictionary segmenter: the research note (`shared/research/search-feasibility.md` §2)
//! measured jieba and friends losing recall whenever the query is segmented differently from the
//! indexed text (生态环境 inside 生态环境保护, 政府信息公开条例 …). This analyzer has no dictionary:
//!
//! * Text is first normalised character by character ([`normalize_char`]): full-width ASCII
//!   (ＰＭ２．５) becomes half-width, the ideographic space becomes a space, letters are lowercased.
//! * It is then cut into *units*: one unit per CJK character (Han, kana, hangul, 〇), and one
//!   unit per run of other letters and digits (`pm2`, `2016`, `44`). Everything else (punctuation,
//!   spaces, emoji, symbols) is a separator. Each unit takes one position; a run of separators
//!   takes one position too, so `2016年` and `2016 年` are different phrases.
//! * At **index** time each CJK character emits its unigram and, when the next character is also
//!   CJK and adjacent, the bigram starting there, both at the character's position. Word units emit
//!   themselves. This is Lucene's CJK bigram scheme plus unigrams.
//! * At **query** time ([`query_terms`]) a CJK run of one character becomes its unigram; a longer
//!   run becomes bigrams that *cover* it (offsets 0, 2, 4 … and one final overlapping bigram).
//!   Because positions are per character, a phrase of covering bigrams matches exactly the places
//!   where the whole run occurs, with half the terms of the full bigram chain.
//!
//! So every query string made of CJK characters finds exactly the documents that contain it
//! (公开 and 政务 both find 政务公开). Letter/digit runs are matched as whole words: `2016` does
//! not match inside `12016`, and `office` does not match inside `libreoffice`.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name under which the index-time analyzer is registered in the schema.
pub const ANALYZER_NAME: &str = "cjk_unibi";

/// Longest word unit kept, in characters; longer letter/digit runs are cut (same rule at index and
/// query time, so they still match each other).
pub const MAX_WORD_CHARS: usize = 40;

/// The kind of one unit of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// One CJK character (Han, kana, hangul).
    Cjk,
    /// A run of letters and/or digits that are not CJK.
    Word,
}

/// One unit of normalised text with its position and its byte range in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// CJK character or word.
    pub kind: UnitKind,
    /// The normalised text of the unit.
    pub text: String,
    /// Position: units count one each, a run of separators counts one.
    pub position: usize,
    /// Byte offset of the first character in the original text.
    pub start: usize,
    /// Byte offset just past the last character in the original text.
    pub end: usize,
}

/// Normalises one character: full-width ASCII forms → ASCII, ideographic space → space, and a
/// lowercase mapping when it is a single character (so byte offsets stay one character each).
pub fn normalize_char(c: char) -> char {
    // Most characters of a Chinese text: nothing to map (the Unicode lookups are slow).
    if is_cjk(c) {
        return c;
    }
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Normalises a whole string with [`normalize_char`].
pub fn normalize(text: &str) -> String {
    text.chars().map(normalize_char).collect()
}

/// Whether a (normalised) character is a CJK character, i.e. one unit on its own.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3007                // 〇
        | 0x3040..=0x30FF     // hiragana, katakana
        | 0x31F0..=0x31FF     // katakana phonetic extensions
        | 0x3400..=0x4DBF     // CJK extension A
        | 0x4E00..=0x9FFF     // CJK unified ideographs
        | 0xAC00..=0xD7AF     // hangul syllables
        | 0xF900..=0xFAFF     // CJK compatibility ideographs
        | 0x20000..=0x3FFFF   // CJK extensions B–H, compatibility supplement
    )
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    !is_cjk(c) && c.is_alphanumeric()
}

/// One unit as the scanner finds it: its normalised text is `norm[norm_start..norm_end]` of the
/// scanner's shared buffer (no allocation per unit).
#[derive(Debug, Clone, Copy)]
struct RawUnit {
    kind: UnitKind,
    position: usize,
    start: usize,
    end: usize,
    norm_start: usize,
    norm_end: usize,
}

/// Cuts `text` into units, appending their normalised text to `norm` (see the module doc).
fn scan(text: &str, out: &mut Vec<RawUnit>, norm: &mut String) {
    let mut position = 0usize;
    let mut gap = false;
    // The word being built: (char count, start byte, end byte, start in `norm`).
    let mut word: Option<(usize, usize, usize, usize)> = None;

    fn push(out: &mut Vec<RawUnit>, position: &mut usize, gap: &mut bool, mut unit: RawUnit) {
        if *gap && !out.is_empty() {
            *position += 1;
        }
        *gap = false;
        unit.position = *position;
        out.push(unit);
        *position += 1;
    }
    fn end_word(
        word: &mut Option<(usize, usize, usize, usize)>,
        norm: &str,
        out: &mut Vec<RawUnit>,
        position: &mut usize,
        gap: &mut bool,
    ) {
        if let Some((_, s, e, ns)) = word.take() {
            let unit = RawUnit {
                kind: UnitKind::Word,
                position: 0,
                start: s,
                end: e,
                norm_start: ns,
                norm_end: norm.len(),
            };
            push(out, position, gap, unit);
        }
    }

    for (offset, raw) in text.char_indices() {
        let c = normalize_char(raw);
        let end = offset + raw.len_utf8();
        if is_word_char(c) {
            match word.as_mut() {
                Some((n, _, e, _)) => {
                    if *n < MAX_WORD_CHARS {
                        norm.push(c);
                        *n += 1;
                    }
                    *e = end;
                }
                None => {
                    word = Some((1, offset, end, norm.len()));
                    norm.push(c);
                }
            }
            continue;
        }
        end_word(&mut word, norm, out, &mut position, &mut gap);
        if is_cjk(c) {
            let ns = norm.len();
            norm.push(c);
            let unit = RawUnit {
                kind: UnitKind::Cjk,
                position: 0,
                start: offset,
                end,
                norm_start: ns,
                norm_end: norm.len(),
            };
            push(out, &mut position, &mut gap, unit);
        } else {
            gap = true;
        }
    }
    end_word(&mut word, norm, out, &mut position, &mut gap);
}

/// Cuts `text` into units (see the module doc).
pub fn units(text: &str) -> Vec<Unit> {
    let mut raw = Vec::new();
    let mut norm = String::new();
    scan(text, &mut raw, &mut norm);
    raw.into_iter()
        .map(|u| Unit {
            kind: u.kind,
            text: norm[u.norm_start..u.norm_end].to_string(),
            position: u.position,
            start: u.start,
            end: u.end,
        })
        .collect()
}

/// Whether unit `b` directly follows CJK unit `a` in the same CJK run.
fn continues_cjk_run(a: &Unit, b: &Unit) -> bool {
    a.kind == UnitKind::Cjk && b.kind == UnitKind::Cjk && b.position == a.position + 1
}

/// Same as [`continues_cjk_run`], on scanner units.
fn raw_continues_cjk_run(a: &RawUnit, b: &RawUnit) -> bool {
    a.kind == UnitKind::Cjk && b.kind == UnitKind::Cjk && b.position == a.position + 1
}

/// Index-time tokens, all at once (the reference the streaming tokenizer is tested against).
#[cfg(test)]
fn index_tokens(text: &str) -> Vec<Token> {
    let mut stream = CjkUnibiTokenizer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        tokens.push(stream.token().clone());
    }
    tokens
}

/// The query-side terms of one query part: `(relative position, term text)`, first at 0.
///
/// A phrase made of these terms (at these offsets) in a field indexed with [`CjkUnibiTokenizer`]
/// matches exactly the places where `part` occurs, up to separators (see the module doc).
/// Returns an empty list when `part` holds no letters, digits or CJK characters.
pub fn query_terms(part: &str) -> Vec<(usize, String)> {
    let units = units(part);
    let Some(first) = units.first() else {
        return Vec::new();
    };
    let base = first.position;
    let mut terms = Vec::new();
    let mut i = 0;
    while i < units.len() {
        if units[i].kind == UnitKind::Word {
            terms.push((units[i].position - base, units[i].text.clone()));
            i += 1;
            continue;
        }
        // A CJK run: units[i..j].
        let mut j = i + 1;
        while j < units.len() && continues_cjk_run(&units[j - 1], &units[j]) {
            j += 1;
        }
        let run = &units[i..j];
        if run.len() == 1 {
            terms.push((run[0].position - base, run[0].text.clone()));
        } else {
            let mut starts: Vec<usize> = (0..run.len() - 1).step_by(2).collect();
            if run.len() % 2 == 1 {
                starts.push(run.len() - 2);
            }
            for s in starts {
                let text = format!("{}{}", run[s].text, run[s + 1].text);
                terms.push((run[s].position - base, text));
            }
        }
        i = j;
    }
    terms
}

/// The index-time tokenizer registered as [`ANALYZER_NAME`]: unigrams and bigrams of CJK runs,
/// whole letter/digit words, all normalised.
#[derive(Debug, Clone, Default)]
pub struct CjkUnibiTokenizer;

/// Token stream of [`CjkUnibiTokenizer`]. Units are scanned up front into one vector and one
/// string; tokens are then produced one at a time into a single reused [`Token`], so indexing
/// allocates per field value, not per token.
pub struct CjkUnibiTokenStream {
    units: Vec<RawUnit>,
    norm: String,
    /// Index of the unit of the current token.
    unit: usize,
    /// Whether the current token is the bigram starting at `unit`.
    bigram: bool,
    started: bool,
    token: Token,
}

impl Tokenizer for CjkUnibiTokenizer {
    type TokenStream<'a> = CjkUnibiTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkUnibiTokenStream {
        let mut units = Vec::with_capacity(text.len() / 3 + 1);
        let mut norm = String::with_capacity(text.len());
        scan(text, &mut units, &mut norm);
        CjkUnibiTokenStream {
            units,
            norm,
            unit: 0,
            bigram: false,
            started: false,
            token: Token::default(),
        }
    }
}

impl CjkUnibiTokenStream {
    fn has_bigram(&self, i: usize) -> bool {
        self.units
            .get(i + 1)
            .is_some_and(|next| raw_continues_cjk_run(&self.units[i], next))
    }
}

impl TokenStream for CjkUnibiTokenStream {
    fn advance(&mut self) -> bool {
        // Order per unit: its unigram (or word), then its bigram if the run continues.
        if !self.started {
            self.started = true;
        } else if !self.bigram && self.has_bigram(self.unit) {
            self.bigram = true;
        } else {
            self.unit += 1;
            self.bigram = false;
        }
        let Some(u) = self.units.get(self.unit).copied() else {
            return false;
        };
        let t = &mut self.token;
        t.text.clear();
        t.position = u.position;
        t.position_length = 1;
        t.offset_from = u.start;
        if self.bigram {
            let next = self.units[self.unit + 1];
            t.text.push_str(&self.norm[u.norm_start..next.norm_end]);
            t.offset_to = next.end;
        } else {
            t.text.push_str(&self.norm[u.norm_start..u.norm_end]);
            t.offset_to = u.end;
        }
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(text: &str) -> Vec<String> {
        index_tokens(text)
            .into_iter()
            .map(|t| format!("{}@{}", t.text, t.position))
            .collect()
    }

    fn query(text: &str) -> Vec<String> {
        query_terms(text)
            .into_iter()
            .map(|(p, t)| format!("{t}@{p}"))
            .collect()
    }

    #[test]
    fn index_tokens_table() {
        let table: &[(&str, &[&str])] = &[
            (
                "政务公开",
                &["政@0", "政务@0", "务@1", "务公@1", "公@2", "公开@2", "开@3"],
            ),
            ("2016年", &["2016@0", "年@1"]),
            ("PM2.5", &["pm2@0", "5@2"]),
            ("ＰＭ２．５", &["pm2@0", "5@2"]),
            ("〔2022〕44号", &["2022@0", "44@2", "号@3"]),
            (
                "公开，政务",
                &["公@0", "公开@0", "开@1", "政@3", "政务@3", "务@4"],
            ),
            (
                "政务\u{3000}公开",
                &["政@0", "政务@0", "务@1", "公@3", "公开@3", "开@4"],
            ),
            ("😀公开😀", &["公@0", "公开@0", "开@1"]),
            ("😀", &[]),
            ("", &[]),
            ("，。！", &[]),
            ("Hello World", &["hello@0", "world@2"]),
        ];
        for (text, expected) in table {
            assert_eq!(index(text), *expected, "index tokens of {text:?}");
        }
    }

    #[test]
    fn query_terms_table() {
        let table: &[(&str, &[&str])] = &[
            ("公开", &["公开@0"]),
            ("税", &["税@0"]),
            ("预决算", &["预决@0", "决算@1"]),
            ("政务公开", &["政务@0", "公开@2"]),
            (
                "政府信息公开条例",
                &["政府@0", "信息@2", "公开@4", "条例@6"],
            ),
            ("2016年", &["2016@0", "年@1"]),
            ("PM2.5", &["pm2@0", "5@2"]),
            ("〔2022〕44号", &["2022@0", "44@2", "号@3"]),
            ("“环境变量”", &["环境@0", "变量@2"]),
            ("😀", &[]),
            ("，", &[]),
            ("ＡＢＣ", &["abc@0"]),
        ];
        for (text, expected) in table {
            assert_eq!(query(text), *expected, "query terms of {text:?}");
        }
    }

    /// The streaming tokenizer gives what the definition says: per unit its text, then the bigram
    /// with the next unit of the same CJK run, at the unit's position.
    #[test]
    fn stream_matches_the_definition() {
        let text = "一、总体要求\n\n2022年，全市政务公开工作要以ＰＭ２．５治理为例，落实《条例》第12条…abc-def 東京タワー한국어 税";
        let u = units(text);
        let mut expected = Vec::new();
        for (i, unit) in u.iter().enumerate() {
            expected.push(format!(
                "{}@{}:{}-{}",
                unit.text, unit.position, unit.start, unit.end
            ));
            if let Some(next) = u.get(i + 1).filter(|n| continues_cjk_run(unit, n)) {
                expected.push(format!(
                    "{}{}@{}:{}-{}",
                    unit.text, next.text, unit.position, unit.start, next.end
                ));
            }
        }
        let got: Vec<String> = index_tokens(text)
            .into_iter()
            .map(|t| {
                format!(
                    "{}@{}:{}-{}",
                    t.text, t.position, t.offset_from, t.offset_to
                )
            })
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn long_words_are_cut_the_same_way_on_both_sides() {
        let long = "a".repeat(100);
        assert_eq!(
            index(&long),
            vec![format!("{}@0", "a".repeat(MAX_WORD_CHARS))]
        );
        assert_eq!(
            query(&long),
            vec![format!("{}@0", "a".repeat(MAX_WORD_CHARS))]
        );
    }

    #[test]
    fn byte_offsets_point_into_the_original_text() {
        let text = "ＰＭ２．５超标";
        for u in units(text) {
            assert!(text.is_char_boundary(u.start) && text.is_char_boundary(u.end));
        }
        let u = units(text);
        assert_eq!(&text[u[0].start..u[0].end], "ＰＭ２");
    }
}
