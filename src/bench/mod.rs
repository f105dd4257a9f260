//! `apicli bench`: load-test any method, with live progress and exact percentiles.

mod body;
mod codec;
pub mod report;
mod stats;
