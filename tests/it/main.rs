//! One integration binary, one module per feature (ripgrep's layout).

mod harness;

mod browser;
mod build;
mod check;
mod corpus;
mod deploy;
mod invalid;
mod leak;
mod nginx;
mod report;
mod search;
mod serve;
