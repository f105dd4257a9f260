//! What the test double serves: the descriptors (built in, the user's files, or a live server's
//! reflection) and the stubs read from `--stubs`.

use std::path::PathBuf;

use anyhow::Context as _;
use prost_reflect::DescriptorPool;

use crate::{
    client,
    descriptors::{Descriptors, Reflection, builtin_pool, load_files},
    exit::UsageError,
    settings::DoubleDescriptors,
    stubs::Stub,
};

/// Services the double never answers from stubs: it serves its own admin service, health and
/// reflection.
const OWN_SERVICES: &[&str] = &[
    "apicli.mock.v1.Mock",
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
];

/// The descriptors of the services to serve, and those services' full names, sorted.
pub async fn descriptors(
    source: &DoubleDescriptors,
) -> anyhow::Result<(DescriptorPool, Vec<String>)> {
    let pool = match source {
        DoubleDescriptors::Builtin => builtin_pool(),
        DoubleDescriptors::Files(files) => {
            load_files(&files.protos, &files.import_paths, &files.protosets)?
        }
        DoubleDescriptors::Reflection(settings) => {
            let server = settings.target.display();
            let connection = client::connect(settings)
                .await
                .with_context(|| format!("--reflect-from {server}"))?;
            let metadata = client::reflection_metadata(settings);
            let reflection = Reflection::new(connection.channel, metadata);
            let mut descriptors = Descriptors::from_reflection(reflection, server.clone());
            let fetched = async {
                for name in descriptors.services().await? {
                    if !OWN_SERVICES.contains(&name.as_str()) {
                        descriptors.service(&name).await?;
                    }
                }
                anyhow::Ok(())
            };
            fetched
                .await
                .with_context(|| format!("--reflect-from {server}"))?;
            descriptors.close_reflection().await;
            descriptors.pool().clone()
        }
    };
    let mut services: Vec<String> = (pool.services())
        .map(|service| service.full_name().to_owned())
        .filter(|name| !OWN_SERVICES.contains(&name.as_str()))
        .collect();
    services.sort();
    if services.is_empty() {
        anyhow::bail!("the descriptors describe no service to serve");
    }
    Ok((pool, services))
}

/// The stubs of `paths` (files, and the stub files of folders, read recursively in path order),
/// checked against `pool`: a bad one is exit 2 with its `file:line:column`.
pub fn stubs(paths: &[PathBuf], pool: &DescriptorPool) -> Result<Vec<Stub>, UsageError> {
    crate::stubs::load_paths(paths, pool).map_err(|err| UsageError(err.to_string()))
}
