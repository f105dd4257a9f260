//! The settings of a quick look at a server, such as completion's reflection lookup: the address
//! and the proxy route as a call would take them, every other option at its default.

use std::time::Duration;

use super::{
    ClientSettings, Colors, DEFAULT_MAX_MESSAGE_SIZE, DescriptorFiles, OutputFormat, parse_target,
    route,
};
use crate::exit::UsageError;

impl ClientSettings {
    /// Settings to reach `addr` within `connect_timeout`, through the proxy that `--proxy`
    /// (`proxy`), `--no-proxy` (`no_proxy`) and the environment's variables choose, as for a
    /// call. No TLS settings: an `https://` address is the caller's to refuse or to complete.
    pub fn lookup(
        addr: &str,
        proxy: Option<&str>,
        no_proxy: bool,
        connect_timeout: Duration,
    ) -> Result<ClientSettings, UsageError> {
        let target = parse_target(addr)?;
        let proxy = route::resolve(&target, proxy, no_proxy, |name| std::env::var(name).ok())?;
        Ok(ClientSettings {
            target,
            tls: None,
            descriptor_files: DescriptorFiles::default(),
            authority: None,
            metadata: Vec::new(),
            rpc_metadata: Vec::new(),
            reflect_metadata: Vec::new(),
            timeout: None,
            connect_timeout,
            keepalive: None,
            proxy,
            other_routes: Vec::new(),
            compress: None,
            protocol: super::Protocol::Grpc,
            http: super::HttpVersion::Auto,
            codec: crate::connect::Codec::Proto,
            get: false,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            output: OutputFormat::Table,
            verbose: false,
            profile: None,
            progress: false,
            color: Colors::default(),
        })
    }
}
