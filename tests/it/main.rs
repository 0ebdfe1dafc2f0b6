//! One integration binary, one module per feature (ripgrep's layout).

mod harness;

mod browser;
mod build;
mod check;
mod corpus;
mod deploy;
mod hardening;
mod integrity;
mod invalid;
mod leak;
mod nginx;
mod props;
mod report;
mod review;
mod search;
mod serve;
