//! Where method and message descriptions come from, behind one interface for `list`, `describe`
//! and `call`: server reflection by default, or the user's `--proto` / `--protoset` files; and
//! always the built-in files (`proto/*.proto` and the health service), so the bundled services
//! can be called without either.

mod encoded;
mod files;
mod options;
mod reflection;
mod symbol;

use std::collections::{BTreeMap, HashSet};

use prost::Message as _;
use prost_reflect::{DescriptorPool, MethodDescriptor, ServiceDescriptor};
use prost_types::FileDescriptorProto;

use encoded::EncodedFile;
pub use files::load as load_files;
pub use reflection::{Reflection, ReflectionError};
pub use symbol::Symbol;

use crate::exit::UsageError;

/// The descriptor source of one process.
pub struct Descriptors {
    /// The user's files, or what reflection has fetched so far.
    pool: DescriptorPool,
    /// Asked for what `pool` lacks; `None` with `--proto` / `--protoset`.
    reflection: Option<Reflection>,
    /// The server address, for messages.
    server: String,
    builtin: Option<DescriptorPool>,
}

impl Descriptors {
    /// Descriptors from the user's files only: reflection is not used.
    pub fn from_files(pool: DescriptorPool) -> Descriptors {
        Descriptors {
            pool,
            reflection: None,
            server: String::new(),
            builtin: None,
        }
    }

    /// Descriptors fetched from the server at `server` as they are needed.
    pub fn from_reflection(reflection: Reflection, server: String) -> Descriptors {
        Descriptors {
            pool: DescriptorPool::new(),
            reflection: Some(reflection),
            server,
            builtin: None,
        }
    }

    /// Ends the reflection session, if there is one, once the pool holds what the caller needs:
    /// later lookups find only what the pool has. The future ends the session cleanly (see
    /// [`Reflection::close`]); dropping it resets the stream instead.
    pub fn close_reflection(&mut self) -> impl Future<Output = ()> + Send + 'static {
        let reflection = self.reflection.take();
        async move {
            if let Some(reflection) = reflection {
                reflection.close().await;
            }
        }
    }

    /// Every descriptor known so far: for decoding what the call's messages refer to.
    pub fn pool(&self) -> &DescriptorPool {
        &self.pool
    }

    /// The services, sorted: the server's (by reflection) or those in the user's files.
    pub async fn services(&mut self) -> anyhow::Result<Vec<String>> {
        let mut names: Vec<String> = match &mut self.reflection {
            Some(reflection) => match reflection.list_services().await {
                Ok(names) => names,
                Err(ReflectionError::Unsupported) => return Err(self.no_reflection(None).into()),
                Err(err) => return Err(err.into()),
            },
            None => self
                .pool
                .services()
                .map(|s| s.full_name().to_owned())
                .collect(),
        };
        names.sort();
        names.dedup();
        Ok(names)
    }

    /// The service of this full name.
    pub async fn service(&mut self, name: &str) -> anyhow::Result<ServiceDescriptor> {
        match self.lookup(name).await? {
            Some(Symbol::Service(service)) => Ok(service),
            Some(other) => Err(UsageError(format!(
                "'{}' is {}, not a service",
                other.full_name(),
                kind_of(&other)
            ))
            .into()),
            None => Err(self.unknown(name, "service").await.into()),
        }
    }

    /// `SERVICE/METHOD`, `SERVICE.METHOD` or `/SERVICE/METHOD`.
    pub async fn method(&mut self, name: &str) -> anyhow::Result<MethodDescriptor> {
        let (service_name, method_name) = crate::settings::split_method(name)?;
        let service = match self.service(service_name).await {
            Ok(service) => service,
            // `api.Api` reads as method `Api` of a service `api`: it may be a service itself.
            Err(unknown) => match self.service(name.trim_matches('/')).await {
                Ok(service) => {
                    let methods: Vec<String> = (service.methods())
                        .map(|m| format!("{}/{}", service.full_name(), m.name()))
                        .collect();
                    return Err(UsageError(format!(
                        "'{name}' is a service, not a method; name one of its methods: {}",
                        methods.join(", ")
                    ))
                    .into());
                }
                Err(_) => return Err(unknown),
            },
        };
        if let Some(method) = service.methods().find(|m| m.name() == method_name) {
            return Ok(method);
        }
        let known: Vec<String> = service.methods().map(|m| m.name().to_owned()).collect();
        let hint = match suggestions(method_name, &known).as_slice() {
            [] => format!("it has {}", known.join(", ")),
            close => format!("did you mean {}?", close.join(" or ")),
        };
        Err(UsageError(format!(
            "{} has no method '{method_name}'; {hint}",
            service.full_name()
        ))
        .into())
    }

    /// A service, method, message, enum, enum value or field by its full name.
    pub async fn symbol(&mut self, name: &str) -> anyhow::Result<Symbol> {
        match self.lookup(name).await? {
            Some(symbol) => Ok(symbol),
            None => Err(self.unknown(name, "symbol").await.into()),
        }
    }

    /// The symbol, from the pool, reflection or the built-in files; `None` when nobody knows it.
    async fn lookup(&mut self, name: &str) -> anyhow::Result<Option<Symbol>> {
        let name = name.trim_start_matches(['.', '/']).replace('/', ".");
        if let Some(symbol) = Symbol::find(&self.pool, &name) {
            return Ok(Some(symbol));
        }
        let mut no_reflection = false;
        let mut failed = None;
        if self.reflection.is_some() {
            match self.fetch_symbol(&name).await {
                Ok(()) => {
                    if let Some(symbol) = Symbol::find(&self.pool, &name) {
                        return Ok(Some(symbol));
                    }
                }
                Err(ReflectionError::NotFound(_)) => {}
                Err(ReflectionError::Unsupported) => no_reflection = true,
                Err(err) => failed = Some(err),
            }
        }
        // The built-in files answer for their services even when reflection failed (a server
        // that wants a token for it, say): the call itself then says what is wrong.
        if let Some(symbol) = Symbol::find(self.builtin(), &name) {
            return Ok(Some(symbol));
        }
        if let Some(err) = failed {
            return Err(err.into());
        }
        if no_reflection {
            return Err(self.no_reflection(Some(&name)).into());
        }
        Ok(None)
    }

    /// The error for a name nobody knows, with the closest known names. `what` is "service"
    /// (only services are suggested) or "symbol".
    async fn unknown(&mut self, name: &str, what: &str) -> UsageError {
        let mut known: Vec<String> = match &mut self.reflection {
            Some(reflection) => reflection.list_services().await.unwrap_or_default(),
            None => Vec::new(),
        };
        let pools = [&self.pool, self.builtin.get_or_insert_with(builtin_pool)];
        for pool in pools {
            known.extend(pool.services().map(|s| s.full_name().to_owned()));
            if what != "service" {
                known.extend(pool.all_messages().map(|m| m.full_name().to_owned()));
                known.extend(pool.all_enums().map(|e| e.full_name().to_owned()));
            }
        }
        known.sort();
        known.dedup();
        let qualified = if name.contains('.') {
            ""
        } else {
            " (names are fully qualified: package.Service)"
        };
        match suggestions(name, &known).as_slice() {
            [] => UsageError(format!(
                "unknown {what} '{name}'{qualified}; 'apicli list' shows the services"
            )),
            close => UsageError(format!(
                "unknown {what} '{name}'{qualified}; did you mean {}?",
                close.join(" or ")
            )),
        }
    }

    fn no_reflection(&self, name: Option<&str>) -> UsageError {
        let not_built_in = match name {
            Some(name) => format!(", and '{name}' is not built in"),
            None => String::new(),
        };
        UsageError(format!(
            "the server at {} does not offer reflection{not_built_in}; describe its services \
             with --proto FILE (and -I DIR for imports) or --protoset FILE",
            self.server
        ))
    }

    fn builtin(&mut self) -> &DescriptorPool {
        self.builtin.get_or_insert_with(builtin_pool)
    }

    /// Asks reflection for the file defining `name` (or, for a field or enum value, its parent)
    /// and adds it and every dependency missing from the pool.
    async fn fetch_symbol(&mut self, name: &str) -> Result<(), ReflectionError> {
        let Some(reflection) = &mut self.reflection else {
            return Ok(());
        };
        let mut candidate = name;
        let files = loop {
            match reflection.file_containing_symbol(candidate).await {
                Ok(files) => break files,
                Err(ReflectionError::NotFound(why)) => match candidate.rsplit_once('.') {
                    // `pkg.Message.field`: servers know the message, not always its fields.
                    Some((parent, _)) if parent.contains('.') => candidate = parent,
                    _ => return Err(ReflectionError::NotFound(why)),
                },
                Err(err) => return Err(err),
            }
        };
        let files = with_dependencies(reflection, &self.pool, files).await?;
        encoded::add_files(&mut self.pool, files)
            .map_err(|err| ReflectionError::Malformed(err.to_string()))
    }
}

/// `files` and every file they import that `pool` does not have yet, fetched by name. The
/// well-known types come from the built-in copies when the server does not have them.
async fn with_dependencies(
    reflection: &mut Reflection,
    pool: &DescriptorPool,
    files: Vec<EncodedFile>,
) -> Result<Vec<EncodedFile>, ReflectionError> {
    let mut have: BTreeMap<String, EncodedFile> = BTreeMap::new();
    let mut wanted: Vec<String> = Vec::new();
    let mut asked: HashSet<String> = HashSet::new();
    let take = |files: Vec<EncodedFile>,
                have: &mut BTreeMap<String, EncodedFile>,
                wanted: &mut Vec<String>| {
        for file in files {
            wanted.extend(file.proto.dependency.iter().cloned());
            have.entry(file.proto.name().to_owned()).or_insert(file);
        }
    };
    take(files, &mut have, &mut wanted);
    while let Some(name) = wanted.pop() {
        if have.contains_key(&name) || pool.get_file_by_name(&name).is_some() {
            continue;
        }
        if !asked.insert(name.clone()) {
            return Err(ReflectionError::Malformed(format!(
                "the server sent no file named {name}"
            )));
        }
        let fetched = match reflection.file_by_filename(&name).await {
            Ok(files) => files,
            Err(ReflectionError::NotFound(why)) => match well_known(&name) {
                Some(file) => vec![EncodedFile::from_proto(file)],
                None => {
                    return Err(ReflectionError::Malformed(format!(
                        "an imported file, {name}, is unknown to the server: {why}"
                    )));
                }
            },
            Err(err) => return Err(err),
        };
        take(fetched, &mut have, &mut wanted);
    }
    Ok(have.into_values().collect())
}

/// A `google/protobuf/*.proto` file, compiled from the copies protox carries.
fn well_known(name: &str) -> Option<FileDescriptorProto> {
    if !name.starts_with("google/protobuf/") {
        return None;
    }
    let mut compiler = protox::Compiler::new(Vec::<std::path::PathBuf>::new()).ok()?;
    compiler.open_file(name).ok()?;
    compiler
        .file_descriptor_set()
        .file
        .into_iter()
        .find(|f| f.name() == name)
}

/// The files built into apicli: `proto/*.proto` and grpc.health.v1.
pub(crate) fn builtin_pool() -> DescriptorPool {
    let mut pool = DescriptorPool::new();
    for set in [
        crate::api::FILE_DESCRIPTOR_SET,
        tonic_health::pb::FILE_DESCRIPTOR_SET,
    ] {
        // Both are encoded at build time from files that compile; a failure is a bug.
        if let Ok(set) = prost_types::FileDescriptorSet::decode(set) {
            let _ = pool.add_file_descriptor_set(set);
        }
    }
    pool
}

/// Up to three known names close to `name`, closest first.
pub fn suggestions(name: &str, known: &[String]) -> Vec<String> {
    // The last part decides: a shared package prefix makes every name look alike.
    let last = |s: &str| s.rsplit(['.', '/']).next().unwrap_or(s).to_lowercase();
    let wanted = last(name);
    let mut scored: Vec<(f64, &String)> = known
        .iter()
        .filter_map(|candidate| {
            let tail = last(candidate);
            let score = strsim::jaro_winkler(&wanted, &tail);
            let edits = strsim::osa_distance(&wanted, &tail);
            (score >= 0.85 || edits <= (wanted.len() / 3).max(1)).then_some((score, candidate))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, name)| name.clone())
        .collect()
}

/// "a service", "a message"…, for messages.
pub fn kind_of(symbol: &Symbol) -> &'static str {
    match symbol {
        Symbol::Service(_) => "a service",
        Symbol::Method(_) => "a method",
        Symbol::Message(_) => "a message",
        Symbol::Enum(_) => "an enum",
        Symbol::EnumValue(_) => "an enum value",
        Symbol::Field(_) => "a field",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_close_names() {
        let known: Vec<String> = ["api.Api", "routeguide.RouteGuide", "grpc.health.v1.Health"]
            .map(String::from)
            .to_vec();
        assert_eq!(suggestions("api.APi", &known), ["api.Api"]);
        assert_eq!(suggestions("RouteGuide", &known), ["routeguide.RouteGuide"]);
        assert!(suggestions("zzz.Unrelated", &known).is_empty());
        let methods: Vec<String> = ["sayHello", "getAll", "getStream"]
            .map(String::from)
            .to_vec();
        assert_eq!(suggestions("sayhello", &methods), ["sayHello"]);
    }

    #[tokio::test]
    async fn built_in_services_resolve_without_a_server() {
        let mut descriptors = Descriptors::from_files(DescriptorPool::new());
        let method = descriptors.method("api.Api/sayHello").await.unwrap();
        assert_eq!(method.full_name(), "api.Api.sayHello");
        let method = descriptors
            .method("/routeguide.RouteGuide.RouteChat")
            .await
            .unwrap();
        assert!(method.is_client_streaming() && method.is_server_streaming());
        let err = descriptors.method("api.Api/sayHelo").await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "api.Api has no method 'sayHelo'; did you mean sayHello?"
        );
        let err = descriptors.method("api.Apx/sayHello").await.unwrap_err();
        assert!(err.to_string().contains("did you mean api.Api"), "{err}");
        let err = descriptors.method("sayHello").await.unwrap_err();
        assert!(err.to_string().contains("SERVICE/METHOD"), "{err}");
    }
}
