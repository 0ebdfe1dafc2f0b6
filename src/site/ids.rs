//! Typed references to the site's documents and columns.
//!
//! Columns, catalogue values, relations and registers refer to documents by [`DocId`], and
//! what the site knows per document (the document, its lifecycle, its relations) is kept in a
//! [`ByDoc`], indexed only by a `DocId`. The column tree is a [`ByColumn`] of columns that name
//! their children by [`ColumnId`]. A column number, a document id or a position in some other
//! list cannot be used for the other by mistake:
//!
//! ```compile_fail,E0277
//! fn first(site: &gongkai::site::Site) -> &str {
//!     &site.docs[0].title
//! }
//! ```
//! ```compile_fail,E0308
//! fn home(site: &gongkai::site::Site) -> &str {
//!     let first = site.docs.ids().next().unwrap();
//!     &site.columns[first].title
//! }
//! ```
//! ```
//! fn titles(site: &gongkai::site::Site) -> Vec<&str> {
//!     site.columns[gongkai::site::ColumnId::HOME]
//!         .docs
//!         .iter()
//!         .map(|&id| site.docs[id].title.as_str())
//!         .collect()
//! }
//! ```

/// Defines an id type and the table it indexes (one value per id, in order).
macro_rules! typed_table {
    ($(#[$id_doc:meta])* $Id:ident, $(#[$table_doc:meta])* $Table:ident) => {
        $(#[$id_doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $Id(u32);

        impl $Id {
            /// The id of the value at `index` (the site model's graph walks).
            pub(super) fn from_index(index: usize) -> $Id {
                $Id(u32::try_from(index).expect("a table holds fewer than 2³² values"))
            }
            /// The position in its table.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        $(#[$table_doc])*
        #[derive(Debug, Clone)]
        pub struct $Table<T>(Vec<T>);

        impl<T> Default for $Table<T> {
            fn default() -> Self {
                $Table(Vec::new())
            }
        }

        impl<T> $Table<T> {
            /// Wraps values made in order.
            pub(crate) fn new(values: Vec<T>) -> $Table<T> {
                assert!(
                    u32::try_from(values.len()).is_ok(),
                    "a table holds fewer than 2³² values"
                );
                $Table(values)
            }
            /// The value for `id`, if the table has one (a table left empty has none).
            pub fn get(&self, id: $Id) -> Option<&T> {
                self.0.get(id.index())
            }
            /// Number of values.
            pub fn len(&self) -> usize {
                self.0.len()
            }
            /// True when there is none.
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
            /// The values in order.
            pub fn iter(&self) -> std::slice::Iter<'_, T> {
                self.0.iter()
            }
            /// The values in order, to change.
            pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
                self.0.iter_mut()
            }
            /// The values in order, as a slice (for a stage that takes them all).
            pub fn as_slice(&self) -> &[T] {
                &self.0
            }
            /// Every id, in order.
            pub fn ids(&self) -> impl DoubleEndedIterator<Item = $Id> + ExactSizeIterator + Clone {
                (0..self.0.len() as u32).map($Id)
            }
            /// Every id, in order, to work on in parallel.
            pub fn par_ids(&self) -> impl rayon::iter::IndexedParallelIterator<Item = $Id> {
                use rayon::iter::{IntoParallelIterator, ParallelIterator};
                (0..self.0.len() as u32).into_par_iter().map($Id)
            }
            /// The values with their ids, in order.
            pub fn enumerate(&self) -> impl DoubleEndedIterator<Item = ($Id, &T)> + Clone {
                self.ids().zip(self.0.iter())
            }
            /// The id of the first value that satisfies `pred`.
            pub fn position(&self, pred: impl FnMut(&T) -> bool) -> Option<$Id> {
                self.0.iter().position(pred).map($Id::from_index)
            }
            /// A new table of one value per id, from each id and value here.
            pub fn map<U>(&self, f: impl FnMut(($Id, &T)) -> U) -> $Table<U> {
                $Table(self.enumerate().map(f).collect())
            }
        }

        impl<T> std::ops::Index<$Id> for $Table<T> {
            type Output = T;
            fn index(&self, id: $Id) -> &T {
                &self.0[id.index()]
            }
        }

        impl<T> std::ops::IndexMut<$Id> for $Table<T> {
            fn index_mut(&mut self, id: $Id) -> &mut T {
                &mut self.0[id.index()]
            }
        }

        impl<'a, T> IntoIterator for &'a $Table<T> {
            type Item = &'a T;
            type IntoIter = std::slice::Iter<'a, T>;
            fn into_iter(self) -> Self::IntoIter {
                self.0.iter()
            }
        }
    };
}

typed_table!(
    /// A published document: its place in [`Site::docs`](super::Site::docs), which is sorted
    /// newest first, so ascending ids are catalogue order. Only the site model makes one.
    DocId,
    /// One value per published document, in [`Site::docs`](super::Site::docs) order.
    ByDoc
);

typed_table!(
    /// A column of the tree: its place in [`Site::columns`](super::Site::columns). The home is
    /// [`ColumnId::HOME`]; only the site model makes the others.
    ColumnId,
    /// The columns of the tree, in the order they were made (parents before children).
    ByColumn
);

impl ColumnId {
    /// The 政府信息公开 home, the root of the tree.
    pub const HOME: ColumnId = ColumnId(0);
}

impl<T> ByColumn<T> {
    /// Adds a column and returns its id.
    pub(crate) fn push(&mut self, column: T) -> ColumnId {
        self.0.push(column);
        ColumnId::from_index(self.0.len() - 1)
    }
}
