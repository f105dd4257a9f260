//! HTTP proxies: `--proxy`, `--no-proxy`, and `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` from
//! the environment, as grpc-go and curl read them; a call through a proxy goes in a CONNECT
//! tunnel, with TLS (for `https://`) inside it.
//!
//! - [`no_proxy`]: the `NO_PROXY` list;
//! - [`url`]: a proxy's URL and credentials, shown without the password;
//! - [`connect`]: the tunnel.

mod connect;
mod no_proxy;
mod url;

pub use connect::{Connector, ProxyError};
pub use no_proxy::{NoProxy, canonical};
pub use url::{Proxy, redact};
