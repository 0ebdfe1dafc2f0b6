//! Domain value types of a document's front-matter (SPEC §3).
//!
//! Each type parses from the text an editor writes (`FromStr`), displays as citizens see it,
//! and does no I/O. `validate` adds the file and line to their errors.

pub mod date;
pub mod disclosure;
pub mod doc_no;
pub mod index_no;
pub mod item;
pub mod validity;

pub use date::{parse_date, PubDate};
pub use disclosure::{Disclosure, ExemptBasis};
pub use index_no::{IndexNo, IndexNoTemplate};
pub use item::Item;
pub use validity::Validity;
