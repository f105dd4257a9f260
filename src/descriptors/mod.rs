//! Where method and message descriptions come from: server reflection, `.proto` files or
//! protosets, and the built-in files.

mod symbol;

pub use symbol::Symbol;
