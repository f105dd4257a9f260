//! Profiles: named sets of client options in a config file, one per environment.
//!
//! The file is `$APICLI_CONFIG`, or else `$XDG_CONFIG_HOME/apicli/config.toml`
//! (`~/.config/apicli/config.toml`). A profile fills in what the command line and the
//! environment leave unset; headers add up. Relative paths in it resolve against the file's
//! folder.

mod chosen;

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use serde::Deserialize;

use crate::{exit::UsageError, settings::io_words};

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
    protocol: Option<String>,
    http: Option<String>,
    error_format: Option<String>,
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
    "protocol",
    "http",
    "error-format",
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

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn parse(text: &str) -> Result<Config, UsageError> {
        Config::parse(text, Path::new("/etc/apicli/config.toml"))
    }

    pub(super) const FILE: &str = r#"
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
}
