//! `apicli bench`: load-test any method, with live progress and exact percentiles.

pub mod compare;
pub mod expect;
pub mod print;
pub mod report;
