//! What the process has been asked to do: the parsed command line turned into one job, with a
//! profile filling in what the command line and the environment left out.

use super::{
    Bench, BenchMerge, ClientSettings, Config, DescriptorFiles, Export, RequestData, ServeSettings,
    UnknownFields, bench,
    bench_merge::bench_merge_settings,
    client::{client_settings, client_settings_at, route},
    header_templates::take_header_templates,
    serve::serve_settings,
};
use crate::{
    cli::{
        BenchArgs, BenchTool, CallArgs, Cli, Command, CompletionsArgs, DescribeArgs, ErrorFormat,
        GetAllArgs, HealthArgs, HelloArgs, ListArgs, ProfilesAction, ProfilesArgs, StreamArgs,
    },
    exit::UsageError,
};

/// What the process has been asked to do.
#[derive(Debug)]
pub enum Job {
    Call(ClientSettings, Call),
    /// `list` and `describe`.
    Explore(ClientSettings, Explore),
    /// Boxed: the settings of a load test (an earlier report among them) are large.
    Bench(ClientSettings, Box<Bench>),
    /// `apicli bench merge`: reports read, no server called.
    BenchMerge(BenchMerge),
    Serve(ServeSettings),
    Completions(clap_complete::Shell),
    /// `apicli profiles [show NAME]`.
    Profiles(Config, Option<String>),
}

/// One call to the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Hello {
        name: String,
    },
    GetAll {
        length: i32,
    },
    Stream {
        length: i32,
    },
    /// grpc.health.v1.Health/Check; `""` is the whole server.
    Health {
        service: String,
    },
    /// `apicli call`: any method, described at run time.
    Method {
        method: String,
        data: RequestData,
        /// What a `-d` field that the request message lacks does.
        unknown_fields: UnknownFields,
        emit_defaults: bool,
    },
}

/// Looking at what the server (or the user's files) describe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Explore {
    /// The services, or one service's methods.
    List { service: Option<String> },
    /// A symbol in `.proto` syntax, or a request skeleton; or, with an export, the files that
    /// define it (every service when `symbol` is `None`) written out.
    Describe {
        symbol: Option<String>,
        template: bool,
        export: Export,
    },
}

/// Why `describe --template` without a symbol is refused.
pub const NO_SYMBOL: &str =
    "describe --template needs a SYMBOL: a message or a method (e.g. routeguide.Point)";

impl Job {
    /// The job the command line asks for. `error_format` starts as the command line and the
    /// environment give it, and takes the profile's once the profile is read, so that an error
    /// found after that is printed as the profile says.
    pub fn from_cli(cli: Cli, error_format: &mut Option<ErrorFormat>) -> Result<Job, UsageError> {
        let mut global = cli.global;
        let mut command = cli.command;
        match command {
            Command::Serve(args) => return Ok(Job::Serve(serve_settings(global, args)?)),
            Command::Bench(BenchArgs {
                tool: Some(BenchTool::Merge(args)),
                ..
            }) => return Ok(Job::BenchMerge(bench_merge_settings(&global, args)?)),
            Command::Completions(CompletionsArgs { shell }) => return Ok(Job::Completions(shell)),
            Command::Profiles(ProfilesArgs { action }) => {
                let name = action.map(|ProfilesAction::Show { name }| name);
                return Ok(Job::Profiles(Config::load()?, name));
            }
            _ => {}
        }
        // Client commands: an address among the command's words takes APICLI_ADDR's place, and
        // the profile fills in what the command line and environment did not.
        super::positional::take_address(&mut command, &mut global)?;
        let config = Config::load()?;
        let profile = config.choose(global.profile.as_deref())?;
        if let Some(profile) = &profile {
            profile.fill(&mut global)?;
            if let Command::Call(CallArgs { descriptors, .. })
            | Command::List(ListArgs { descriptors, .. })
            | Command::Describe(DescribeArgs { descriptors, .. }) = &mut command
            {
                profile.fill_descriptors(descriptors);
            }
            if let Command::Bench(args) = &mut command {
                profile.fill_descriptors(&mut args.descriptors);
            }
            *error_format = global.error_format;
        }
        let call = match command {
            Command::Hello(HelloArgs { name }) => Call::Hello { name },
            Command::GetAll(GetAllArgs { length }) => Call::GetAll { length },
            Command::Stream(StreamArgs { length }) => Call::Stream { length },
            Command::Health(HealthArgs { service }) => Call::Health { service },
            Command::Call(CallArgs {
                method,
                data,
                emit_defaults,
                allow_unknown_fields,
                descriptors,
                ..
            }) => {
                super::split_method(&method)?;
                super::request_data::refuse_bare_at(data.as_deref())?;
                let mut settings = client_settings(global)?;
                settings.descriptor_files = DescriptorFiles::from_args(descriptors)?;
                let data = RequestData::from_arg(data.as_deref());
                return Ok(Job::Call(
                    settings,
                    Call::Method {
                        method,
                        data,
                        unknown_fields: UnknownFields::from_flag(allow_unknown_fields),
                        emit_defaults,
                    },
                ));
            }
            Command::List(ListArgs {
                service,
                descriptors,
                ..
            }) => {
                let mut settings = client_settings(global)?;
                settings.descriptor_files = DescriptorFiles::from_args(descriptors)?;
                return Ok(Job::Explore(settings, Explore::List { service }));
            }
            Command::Describe(DescribeArgs {
                symbol,
                template,
                protoset_out,
                proto_out,
                descriptors,
                ..
            }) => {
                let export = Export::new(protoset_out, proto_out)?;
                if symbol.is_none() && template {
                    return Err(UsageError(NO_SYMBOL.into()));
                }
                let mut settings = client_settings(global)?;
                settings.descriptor_files = DescriptorFiles::from_args(descriptors)?;
                return Ok(Job::Explore(
                    settings,
                    Explore::Describe {
                        symbol,
                        template,
                        export,
                    },
                ));
            }
            Command::Bench(mut args) => {
                if global.output == Some(crate::cli::OutputFormat::Text) {
                    return Err(bench::text_is_for_messages());
                }
                if global.verbose {
                    return Err(UsageError(
                        "--verbose shows one call, and bench makes many; leave it out".into(),
                    ));
                }
                let descriptors = std::mem::take(&mut args.descriptors);
                let mut bench = bench::bench_settings(args, &global.addr)?;
                let other_routes = (bench.endpoints[1..].iter())
                    .map(|(_, target)| Ok((target.clone(), route(&global, target)?)))
                    .collect::<Result<_, UsageError>>()?;
                let mut settings = client_settings_at(global, bench.endpoints[0].1.clone())?;
                settings.other_routes = other_routes;
                settings.descriptor_files = DescriptorFiles::from_args(descriptors)?;
                bench.headers = take_header_templates(&mut settings.metadata)?;
                // Bench's calls get --rpc-header too, placeholders and all.
                bench
                    .headers
                    .extend(take_header_templates(&mut settings.rpc_metadata)?);
                return Ok(Job::Bench(settings, Box::new(bench)));
            }
            Command::Serve(_) | Command::Completions(_) | Command::Profiles(_) => {
                unreachable!("handled above")
            }
        };
        Ok(Job::Call(client_settings(global)?, call))
    }
}
