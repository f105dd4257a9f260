//! Profiles: named sets of client options in a config file, one per environment.
//!
//! The file is `$APICLI_CONFIG`, or else `$XDG_CONFIG_HOME/apicli/config.toml`
//! (`~/.config/apicli/config.toml`). A profile fills in what the command line and the
//! environment leave unset; headers add up. Relative paths in it resolve against the file's
//! folder.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use serde::Deserialize;

use crate::{
    cli::{Compression, DescriptorArgs, GlobalArgs, OutputFormat},
    exit::UsageError,
    settings::io_words,
};

/// The config file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    default: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// One profile: every client option, all optional.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Profile {
    addr: Option<String>,
    ca_cert: Option<PathBuf>,
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
    authority: Option<String>,
    insecure: Option<bool>,
    token_file: Option<PathBuf>,
    #[serde(default)]
    headers: Vec<String>,
    timeout: Option<String>,
    connect_timeout: Option<String>,
    output: Option<String>,
    max_message_size: Option<String>,
    compress: Option<String>,
    keepalive: Option<String>,
    #[serde(default)]
    proto: Vec<PathBuf>,
    #[serde(default)]
    import_path: Vec<PathBuf>,
    #[serde(default)]
    protoset: Vec<PathBuf>,
}

/// The keys a profile takes, for "did you mean".
const KEYS: &[&str] = &[
    "addr",
    "ca-cert",
    "cert",
    "key",
    "authority",
    "insecure",
    "token-file",
    "headers",
    "timeout",
    "connect-timeout",
    "output",
    "max-message-size",
    "compress",
    "keepalive",
    "proto",
    "import-path",
    "protoset",
];

/// The config file, read and checked.
#[derive(Debug, Default)]
pub struct Config {
    /// Where it was read from; `None` when there is no file.
    pub path: Option<PathBuf>,
    pub default: Option<String>,
    profiles: BTreeMap<String, Profile>,
}

/// The profile in use, and where it came from.
#[derive(Debug, Clone)]
pub struct Chosen {
    pub name: String,
    pub file: PathBuf,
    profile: Profile,
}

impl Config {
    /// The file at `$APICLI_CONFIG` or in the XDG config folder; an empty config when there is
    /// none (unless `$APICLI_CONFIG` names one that is missing).
    pub fn load() -> Result<Config, UsageError> {
        let explicit = std::env::var_os("APICLI_CONFIG").filter(|v| !v.is_empty());
        let path = match &explicit {
            Some(path) => PathBuf::from(path),
            None => match config_home() {
                Some(home) => home.join("apicli").join("config.toml"),
                None => return Ok(Config::default()),
            },
        };
        if explicit.is_none() && !path.exists() {
            return Ok(Config::default());
        }
        let shown = path.display();
        let bytes = super::values::read_path(&path, super::values::bound::CONFIG)
            .map_err(|why| UsageError(format!("the config file {shown}: {why}")))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            UsageError(format!(
                "the config file {shown}: {}",
                super::values::NOT_TEXT
            ))
        })?;
        refuse_if_others_can_write(&path)?;
        Config::parse(&text, &path)
    }

    fn parse(text: &str, path: &Path) -> Result<Config, UsageError> {
        let file: ConfigFile = toml::from_str(text).map_err(|err| parse_error(&err, text, path))?;
        if let Some(default) = &file.default
            && !file.profiles.contains_key(default)
        {
            return Err(UsageError(format!(
                "{}: default = \"{default}\" names no profile; {}",
                path.display(),
                names_hint(&file.profiles)
            )));
        }
        let folder = path.parent().unwrap_or(Path::new("."));
        let profiles = file
            .profiles
            .into_iter()
            .map(|(name, profile)| (name, profile.resolved_against(folder)))
            .collect();
        Ok(Config {
            path: Some(path.to_owned()),
            default: file.default,
            profiles,
        })
    }

    /// The profile names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// The profile `--profile` or `APICLI_PROFILE` names, or else the file's default; `None`
    /// without either.
    pub fn choose(&self, asked: Option<&str>) -> Result<Option<Chosen>, UsageError> {
        let Some(name) = asked.or(self.default.as_deref()) else {
            return Ok(None);
        };
        self.get(name).map(Some)
    }

    pub fn get(&self, name: &str) -> Result<Chosen, UsageError> {
        let Some(path) = &self.path else {
            return Err(UsageError(format!(
                "no profile '{name}': there is no config file (APICLI_CONFIG, or \
                 $XDG_CONFIG_HOME/apicli/config.toml)"
            )));
        };
        match self.profiles.get(name) {
            Some(profile) => Ok(Chosen {
                name: name.to_owned(),
                file: path.clone(),
                profile: profile.clone(),
            }),
            None => Err(UsageError(format!(
                "no profile '{name}' in {}; {}",
                path.display(),
                names_hint(&self.profiles)
            ))),
        }
    }
}

fn names_hint(profiles: &BTreeMap<String, Profile>) -> String {
    if profiles.is_empty() {
        "it has none".to_owned()
    } else {
        let names: Vec<&str> = profiles.keys().map(String::as_str).collect();
        format!("the profiles are: {}", names.join(", "))
    }
}

fn config_home() -> Option<PathBuf> {
    match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        Some(home) => Some(PathBuf::from(home)),
        None => std::env::var_os("HOME")
            .filter(|v| !v.is_empty())
            .map(|home| PathBuf::from(home).join(".config")),
    }
}

/// A config file can point at keys and tokens: like ssh, refuse one that others can change.
#[cfg(unix)]
fn refuse_if_others_can_write(path: &Path) -> Result<(), UsageError> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(path)
        .map_err(|err| UsageError(format!("{}: {}", path.display(), io_words(&err))))?
        .permissions()
        .mode();
    if mode & 0o022 != 0 {
        return Err(UsageError(format!(
            "the config file {} can be changed by other users (mode {:o}), and it can point at \
             keys and tokens; allow only its owner to write it: chmod go-w {}",
            path.display(),
            mode & 0o777,
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_if_others_can_write(_: &Path) -> Result<(), UsageError> {
    Ok(())
}

/// `file:line:column: message`, and for an unknown key the nearest one.
fn parse_error(err: &toml::de::Error, text: &str, path: &Path) -> UsageError {
    let place = match err.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            format!("{}:{line}:{column}", path.display())
        }
        None => path.display().to_string(),
    };
    let message = err.message().trim();
    if let Some(unknown) = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
    {
        let nearest = KEYS
            .iter()
            .chain(["default", "profiles"].iter())
            .map(|key| (strsim::jaro_winkler(unknown, key), *key))
            .filter(|(score, _)| *score > 0.7)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        return UsageError(match nearest {
            Some((_, key)) => format!("{place}: unknown key '{unknown}'; did you mean '{key}'?"),
            None => format!(
                "{place}: unknown key '{unknown}'; a profile takes {}",
                KEYS.join(", ")
            ),
        });
    }
    UsageError(format!("{place}: {}", message.replace('\n', " ")))
}

impl Profile {
    /// With its relative paths made relative to `folder`, the config file's.
    fn resolved_against(mut self, folder: &Path) -> Profile {
        let resolve = |path: &mut PathBuf| {
            if path.is_relative() {
                *path = folder.join(&*path);
            }
        };
        for path in [
            &mut self.ca_cert,
            &mut self.cert,
            &mut self.key,
            &mut self.token_file,
        ]
        .into_iter()
        .flatten()
        {
            resolve(path);
        }
        self.proto.iter_mut().for_each(resolve);
        self.import_path.iter_mut().for_each(resolve);
        self.protoset.iter_mut().for_each(resolve);
        self
    }
}

impl Chosen {
    /// Fills in what the command line and the environment left unset; headers add up.
    pub fn fill(&self, global: &mut GlobalArgs) -> Result<(), UsageError> {
        let p = &self.profile;
        global.profile_in_use = Some(format!("{} (from {})", self.name, self.file.display()));
        let bad = |key: &str, value: &str, expected: &str| {
            UsageError(format!(
                "profile '{}' in {}: bad {key} '{value}': expected {expected}",
                self.name,
                self.file.display()
            ))
        };
        if global.addr.is_empty()
            && let Some(addr) = &p.addr
        {
            global.addr.push(addr.clone());
        }
        fill(&mut global.ca_cert, &p.ca_cert);
        // A certificate and its key come together, from one place.
        if global.cert.is_none() && global.key.is_none() {
            fill(&mut global.cert, &p.cert);
            fill(&mut global.key, &p.key);
        }
        fill(&mut global.authority, &p.authority);
        global.insecure |= p.insecure.unwrap_or(false);
        // A token given on the command line, either way, replaces the profile's.
        let token_given = global.token_file.is_some() || global.headers.iter().any(|h| is_auth(h));
        if !token_given {
            fill(&mut global.token_file, &p.token_file);
        }
        let mut headers: Vec<String> = p
            .headers
            .iter()
            .filter(|h| !(token_given && is_auth(h)))
            .cloned()
            .collect();
        headers.append(&mut global.headers);
        global.headers = headers;
        fill(&mut global.timeout, &p.timeout);
        fill(&mut global.connect_timeout, &p.connect_timeout);
        fill(&mut global.max_message_size, &p.max_message_size);
        fill(&mut global.keepalive, &p.keepalive);
        if global.output.is_none()
            && let Some(output) = &p.output
        {
            global.output = Some(match output.as_str() {
                "table" => OutputFormat::Table,
                "json" => OutputFormat::Json,
                other => return Err(bad("output", other, "table or json")),
            });
        }
        if global.compress.is_none()
            && let Some(compress) = &p.compress
        {
            global.compress = Some(match compress.as_str() {
                "gzip" => Compression::Gzip,
                "zstd" => Compression::Zstd,
                other => return Err(bad("compress", other, "gzip or zstd")),
            });
        }
        Ok(())
    }

    /// Fills in the descriptor sources, when the command line gives none.
    pub fn fill_descriptors(&self, args: &mut DescriptorArgs) {
        let p = &self.profile;
        if args.protos.is_empty() && args.protosets.is_empty() {
            args.protos = p.proto.clone();
            args.protosets = p.protoset.clone();
            if args.import_paths.is_empty() {
                args.import_paths = p.import_path.clone();
            }
        }
    }

    /// The profile as resolved, in the file's syntax, with secrets shown as `[redacted]`.
    pub fn show(&self) -> String {
        let p = &self.profile;
        let mut out = format!("# {}\n[profiles.{}]\n", self.file.display(), self.name);
        let mut line = |key: &str, value: String| out.push_str(&format!("{key} = {value}\n"));
        let text = |s: &str| format!("{s:?}");
        let path = |p: &Path| format!("{:?}", p.display().to_string());
        let list = |items: Vec<String>| format!("[{}]", items.join(", "));
        if let Some(v) = &p.addr {
            line("addr", text(v));
        }
        for (key, value) in [
            ("ca-cert", &p.ca_cert),
            ("cert", &p.cert),
            ("key", &p.key),
            ("token-file", &p.token_file),
        ] {
            if let Some(v) = value {
                line(key, path(v));
            }
        }
        if let Some(v) = &p.authority {
            line("authority", text(v));
        }
        if let Some(v) = p.insecure {
            line("insecure", v.to_string());
        }
        if !p.headers.is_empty() {
            let headers = p.headers.iter().map(|h| text(&redacted(h))).collect();
            line("headers", list(headers));
        }
        for (key, value) in [
            ("timeout", &p.timeout),
            ("connect-timeout", &p.connect_timeout),
            ("output", &p.output),
            ("max-message-size", &p.max_message_size),
            ("compress", &p.compress),
            ("keepalive", &p.keepalive),
        ] {
            if let Some(v) = value {
                line(key, text(v));
            }
        }
        for (key, value) in [
            ("proto", &p.proto),
            ("import-path", &p.import_path),
            ("protoset", &p.protoset),
        ] {
            if !value.is_empty() {
                line(key, list(value.iter().map(|v| path(v)).collect()));
            }
        }
        out
    }
}

fn fill<T: Clone>(slot: &mut Option<T>, value: &Option<T>) {
    if slot.is_none() {
        slot.clone_from(value);
    }
}

fn is_auth(header: &str) -> bool {
    header
        .split_once(':')
        .is_some_and(|(name, _)| name.trim().eq_ignore_ascii_case("authorization"))
}

/// `authorization: [redacted]`; other headers as they are.
fn redacted(header: &str) -> String {
    match header.split_once(':') {
        Some((name, _)) if is_auth(header) => format!("{}: [redacted]", name.trim()),
        _ => header.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, UsageError> {
        Config::parse(text, Path::new("/etc/apicli/config.toml"))
    }

    const FILE: &str = r#"
default = "local"

[profiles.local]
addr = "127.0.0.1:50051"

[profiles.staging]
addr = "https://staging.example:443"
ca-cert = "certs/ca.pem"
token-file = "/run/secrets/token"
headers = ["x-env: staging", "authorization: Bearer abc"]
timeout = "5s"
output = "json"
proto = ["protos/api.proto"]
"#;

    #[test]
    fn the_default_profile_is_chosen_unless_another_is_asked_for() {
        let config = parse(FILE).unwrap();
        assert_eq!(config.names().collect::<Vec<_>>(), ["local", "staging"]);
        assert_eq!(config.choose(None).unwrap().unwrap().name, "local");
        assert_eq!(
            config.choose(Some("staging")).unwrap().unwrap().name,
            "staging"
        );
        let unknown = config.choose(Some("prod")).unwrap_err().0;
        assert_eq!(
            unknown,
            "no profile 'prod' in /etc/apicli/config.toml; the profiles are: local, staging"
        );
    }

    #[test]
    fn relative_paths_resolve_against_the_file() {
        let staging = parse(FILE).unwrap().get("staging").unwrap();
        assert_eq!(
            staging.profile.ca_cert.as_deref(),
            Some(Path::new("/etc/apicli/certs/ca.pem"))
        );
        assert_eq!(
            staging.profile.token_file.as_deref(),
            Some(Path::new("/run/secrets/token"))
        );
        assert_eq!(
            staging.profile.proto,
            [PathBuf::from("/etc/apicli/protos/api.proto")]
        );
    }

    #[test]
    fn unknown_keys_and_syntax_errors_name_the_place() {
        let err = parse("[profiles.a]\nadr = \"x\"\n").unwrap_err().0;
        assert_eq!(
            err,
            "/etc/apicli/config.toml:2:1: unknown key 'adr'; did you mean 'addr'?"
        );
        let err = parse("[profiles.a]\naddr = \n").unwrap_err().0;
        assert!(err.starts_with("/etc/apicli/config.toml:2:"), "{err}");
        let err = parse("default = \"nope\"\n[profiles.a]\n").unwrap_err().0;
        assert!(err.contains("default = \"nope\" names no profile"), "{err}");
    }

    #[test]
    fn secrets_are_redacted_when_shown() {
        let shown = parse(FILE).unwrap().get("staging").unwrap().show();
        assert!(shown.contains(r#"headers = ["x-env: staging", "authorization: [redacted]"]"#));
        assert!(!shown.contains("abc"), "{shown}");
    }
}
