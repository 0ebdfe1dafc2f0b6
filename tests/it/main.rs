//! One integration binary, one module per feature (ripgrep's layout).

mod harness;

mod build;
mod check;
mod corpus;
mod invalid;
mod leak;
