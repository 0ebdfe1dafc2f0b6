//! The automatic pre-publication review (公开前审查, SPEC §6).
//!
//! Field rules (P01–P04, P06–P11, P18, P19, P22) are checked where the fields are read, in
//! `validate`; `review` runs the rules that need whole documents or the calendar; `scan` holds
//! the pure text scanners; `output` whether the output can carry what a document says (name
//! lengths, characters XML forbids); `fix` rewrites what can be fixed mechanically (`check --fix`);
//! `ack` reads a document's `review_ok`, where an editor acknowledges a finding with a reason.

pub mod ack;
pub mod fix;
pub mod output;
pub mod placeholders;
pub mod review;
pub mod scan;
pub mod standard;
