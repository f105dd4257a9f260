//! The Kubernetes manifest validators that `tests/deploy/setup.sh` installs into
//! `target/deploy/` (kubernetes-validate in a Python venv, kubernetes-models under node), found
//! once per test binary, and what running one of them on a manifest says.
//!
//! When the install fails, [`validators`] says `skipping …: WHY` once and the tests return, except
//! under `CI=true`, where they fail with the setup's output, as for the interop peers.

use std::{
    io::{self, Write},
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

use super::peers::{Ran, SetupFailure, in_ci, named, no_proxy, repo_root, run, run_setup};

/// The installed validators, as setup.sh names them.
pub struct Validators {
    /// kubernetes-validate: strict JSON schemas, so an unknown field is refused.
    pub kubernetes_validate: PathBuf,
    /// validate.mjs, beside the node_modules of kubernetes-models: the schemas with their enums.
    pub models_validator: PathBuf,
}

/// The validators, installed once per test binary; `None` when they cannot be installed outside
/// CI, after saying `skipping WHAT: WHY` once. Under `CI=true` a failed setup panics.
pub fn validators(what: &str) -> Option<&'static Validators> {
    static VALIDATORS: OnceLock<Result<Validators, SetupFailure>> = OnceLock::new();
    let validators = VALIDATORS.get_or_init(|| {
        let validators = setup();
        if let Err(failure) = &validators
            && !in_ci()
        {
            // Straight to stderr, past the test harness's capture, once per test binary.
            let _ = writeln!(io::stderr(), "skipping {what}: {}", failure.summary);
        }
        validators
    });
    match validators {
        Ok(validators) => Some(validators),
        Err(failure) if in_ci() => panic!(
            "deploy setup failed: {}\n{}",
            failure.summary, failure.output
        ),
        Err(_) => None,
    }
}

fn setup() -> Result<Validators, SetupFailure> {
    let stdout = run_setup("tests/deploy/setup.sh").map_err(|(_, failure)| failure)?;
    let path = |name| named(&stdout, name).map(|path| repo_root().join(path));
    match (path("kubernetes_validate"), path("models_validator")) {
        (Some(kubernetes_validate), Some(models_validator)) => Ok(Validators {
            kubernetes_validate,
            models_validator,
        }),
        _ => Err(SetupFailure {
            summary: "setup.sh did not name both validators".to_owned(),
            output: stdout,
        }),
    }
}

impl Validators {
    /// `kubernetes-validate --strict` on `files`, against one Kubernetes `release` ("1.28.0").
    pub fn kubernetes_validate(&self, release: &str, files: &[&Path]) -> Ran {
        let mut cmd = Command::new(&self.kubernetes_validate);
        cmd.args(["--strict", "--kubernetes-version", release])
            .args(files);
        run(no_proxy(&mut cmd))
    }

    /// kubernetes-models on `files`, through validate.mjs.
    pub fn models(&self, files: &[&Path]) -> Ran {
        let mut cmd = Command::new("node");
        cmd.arg(&self.models_validator).args(files);
        run(no_proxy(&mut cmd))
    }
}
