//! `apicli serve` as a test double: stubs served for any service, the journal of the calls, and
//! the admin service that inspects them.

pub mod admin;
pub mod filter;
pub mod journal;
pub mod json;
pub mod served;
pub mod unused;
pub mod watch;
