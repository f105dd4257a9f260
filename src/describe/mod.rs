//! What `apicli describe` prints about a symbol: its definition in `.proto` syntax (the default),
//! its descriptor as JSON (`-o json`), or a JSON request skeleton (`--template`).

mod comments;
#[cfg(test)]
mod fixtures;
mod options;
mod proto_text;

pub use proto_text::proto_text;
