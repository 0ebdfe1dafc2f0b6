//! Typed references to the site's documents.
//!
//! Columns, catalogue values, relations and registers refer to documents by [`DocId`], and
//! what the site knows per document (the document, its lifecycle, its relations) is kept in a
//! [`ByDoc`], indexed only by a `DocId`: a column number or a position in some other list cannot
//! be used to look a document up by mistake.

use std::ops::Index;

/// A published document: its place in [`Site::docs`](super::Site::docs), which is sorted
/// newest first, so ascending ids are catalogue order. Only the site model makes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId(u32);

impl DocId {
    /// The id of the document at `index` in site order (the site model's graph walks).
    pub(super) fn from_index(index: usize) -> DocId {
        DocId(u32::try_from(index).expect("ids are made for documents that exist"))
    }
    /// The position in [`Site::docs`](super::Site::docs), for a renderer that numbers rows.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One value per published document, in [`Site::docs`](super::Site::docs) order.
#[derive(Debug, Clone, Default)]
pub struct ByDoc<T>(Vec<T>);

impl<T> ByDoc<T> {
    /// Wraps per-document values made in site order.
    pub(crate) fn new(values: Vec<T>) -> ByDoc<T> {
        assert!(
            u32::try_from(values.len()).is_ok(),
            "more documents than a DocId can number"
        );
        ByDoc(values)
    }
    /// The value for `id`, if the table has one (a table left empty has none).
    pub fn get(&self, id: DocId) -> Option<&T> {
        self.0.get(id.index())
    }
    /// Number of documents.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// True when the site has no document.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The values in site order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
    /// The values in site order, to change.
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.0.iter_mut()
    }
    /// The values in site order, as a slice (for a stage that takes every document).
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }
    /// Every document's id, in site order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = DocId> + ExactSizeIterator + Clone {
        (0..self.0.len() as u32).map(DocId)
    }
    /// Every document's id, in site order, to work on in parallel.
    pub fn par_ids(&self) -> impl rayon::iter::IndexedParallelIterator<Item = DocId> {
        use rayon::iter::{IntoParallelIterator, ParallelIterator};
        (0..self.0.len() as u32).into_par_iter().map(DocId)
    }
    /// The values with their documents' ids, in site order.
    pub fn enumerate(&self) -> impl DoubleEndedIterator<Item = (DocId, &T)> + Clone {
        self.ids().zip(self.0.iter())
    }
    /// A new table of one value per document, from each document's id and value here.
    pub fn map<U>(&self, f: impl FnMut((DocId, &T)) -> U) -> ByDoc<U> {
        ByDoc(self.enumerate().map(f).collect())
    }
}

impl<T> Index<DocId> for ByDoc<T> {
    type Output = T;
    fn index(&self, id: DocId) -> &T {
        &self.0[id.index()]
    }
}

impl<T> std::ops::IndexMut<DocId> for ByDoc<T> {
    fn index_mut(&mut self, id: DocId) -> &mut T {
        &mut self.0[id.index()]
    }
}

impl<'a, T> IntoIterator for &'a ByDoc<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
