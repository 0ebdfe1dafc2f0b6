//! The automatic pre-publication review (公开前审查, SPEC §6): rules that scan titles and bodies.
//!
//! `scan` holds the pure text scanners (密级 markings, personal data, process markers, title
//! form, placeholders).

pub mod scan;
