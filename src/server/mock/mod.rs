//! `apicli serve` as a test double: stubs served for any service, the journal of the calls, and
//! the admin service that inspects them.

pub mod journal;
