//! `deploy/kubernetes/` and the `Dockerfile`, checked offline:
//!
//! - the manifests pass two schema validators of the Kubernetes API, and each validator refuses
//!   the broken copies it is there for: kubernetes-validate `--strict` an unknown field
//!   (`backofLimit`), kubernetes-models a value outside an enum (`completionMode: Indexd`), both a
//!   wrong type. kubectl is not one of them: offline it checks nothing (a client dry run still
//!   asks a server for the API's resources);
//! - the Job is shaped for one merged run (Indexed, N written alike in its three places, no retry,
//!   non-root, bounded), and every `$(VAR)` of its command line is defined;
//! - that command line, with the values put in as Kubernetes does, gets through the binary's
//!   argument parsing: run against a closed port on 127.0.0.1, it fails to connect (exit 1), not
//!   as a usage error (exit 2). This part is skipped, saying so, when `apicli bench --help` has
//!   no `--split`;
//! - `collect.sh`, with a stand-in for kubectl, merges the reports in completion order and exits
//!   with the merge's code;
//! - the Dockerfile copies paths that exist and builds with the README's install command.
//!
//! The validators are installed on first use by `tests/deploy/setup.sh` into `target/deploy/`.
//! When that fails, the tests that need them print `skipping …: …` and return, except under
//! `CI=true`, where they fail with the setup output.

mod common;

use std::{
    collections::BTreeMap,
    fs,
    io::{self, Write},
    net::TcpListener,
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, SystemTime},
};

use serde_json::Value;

use common::{
    apicli, output_of,
    peers::{Ran, repo_root, run},
    stderr, stdout,
    validators::validators,
};

/// Where the manifests are, from the repository's root.
const MANIFESTS: &str = "deploy/kubernetes";

/// The Kubernetes releases the manifests are checked against: the oldest the docs name, and the
/// newest kubernetes-validate has schemas for.
const RELEASES: [&str; 2] = ["1.28.0", "1.37.0"];

fn manifest_path(name: &str) -> PathBuf {
    repo_root().join(MANIFESTS).join(name)
}

/// Every manifest: the YAML files of deploy/kubernetes/.
fn manifest_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(repo_root().join(MANIFESTS))
        .expect("deploy/kubernetes/ is there")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no manifest in {MANIFESTS}");
    paths
}

/// A manifest (one YAML document) as JSON, read with apicli's own YAML reader.
fn manifest(name: &str) -> Value {
    let path = manifest_path(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    apicli::spanned::parse(&text)
        .unwrap_or_else(|err| panic!("{}:{}: {}", path.display(), err.at, err.message))
        .to_json()
}

/// The Job, its `bench` container and the ConfigMap it reads.
struct Job {
    job: Value,
    config: Value,
}

impl Job {
    fn read() -> Job {
        Job {
            job: manifest("job.yaml"),
            config: manifest("config.yaml"),
        }
    }

    fn spec(&self) -> &Value {
        &self.job["spec"]
    }

    fn pod(&self) -> &Value {
        &self.job["spec"]["template"]["spec"]
    }

    fn container(&self) -> &Value {
        self.pod()["containers"]
            .as_array()
            .and_then(|containers| containers.iter().find(|c| c["name"] == "bench"))
            .expect("job.yaml has a container named bench")
    }

    fn args(&self) -> Vec<&str> {
        self.container()["args"]
            .as_array()
            .expect("the bench container has args")
            .iter()
            .map(|arg| arg.as_str().expect("every arg is a string"))
            .collect()
    }

    /// The ConfigMap's data: every value a string, as a ConfigMap's are.
    fn config_data(&self) -> BTreeMap<String, String> {
        self.config["data"]
            .as_object()
            .expect("config.yaml has data")
            .iter()
            .map(|(key, value)| {
                let value = value
                    .as_str()
                    .unwrap_or_else(|| panic!("config.yaml's {key} is not a string: {value}"));
                (key.clone(), value.to_owned())
            })
            .collect()
    }

    /// The container's environment as Kubernetes gives it: the ConfigMap's data, then the `env`
    /// entries with a literal value, and the completion index.
    fn environment(&self, index: u32) -> BTreeMap<String, String> {
        let mut env = self.config_data();
        for entry in self.container()["env"].as_array().into_iter().flatten() {
            if let Some(value) = entry["value"].as_str() {
                env.insert(entry["name"].as_str().unwrap().to_owned(), value.to_owned());
            }
        }
        env.insert("JOB_COMPLETION_INDEX".to_owned(), index.to_string());
        env
    }

    /// N, as written in config.yaml's PARTS.
    fn parts(&self) -> u64 {
        let parts = &self.config_data()["PARTS"];
        parts
            .parse()
            .unwrap_or_else(|_| panic!("PARTS is not a whole number: {parts:?}"))
    }
}

/// `arg` with each `$(NAME)` replaced by its value and `$$` by `$`, as Kubernetes expands a
/// container's args; `Err(NAME)` for a variable that is not defined, which Kubernetes would leave
/// as it is, and bench would receive literally.
fn expand(arg: &str, env: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = arg;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('(')
            && let Some(end) = inner.find(')')
        {
            let name = &inner[..end];
            out.push_str(env.get(name).ok_or_else(|| name.to_owned())?);
            rest = &inner[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Schema validation
// ---------------------------------------------------------------------------------------------

#[test]
fn the_manifests_pass_both_schema_validators() {
    let Some(validators) = validators("the manifest validators") else {
        return;
    };
    let paths = manifest_paths();
    let files: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    for release in RELEASES {
        let ran = validators.kubernetes_validate(release, &files);
        ran.assert_code(0);
        // An unknown kind only warns: every document must have been checked.
        let passed = ran.stdout.matches(" passed for resource ").count()
            + ran.stderr.matches(" passed for resource ").count();
        assert_eq!(passed, files.len(), "one document per file: {ran}");
    }
    let ran = validators.models(&files);
    ran.assert_code(0);
    assert_eq!(
        ran.stdout.lines().filter(|l| l.starts_with("ok ")).count(),
        files.len(),
        "{ran}"
    );
}

/// Which validator a broken copy is there to catch.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Catcher {
    /// kubernetes-validate --strict: unknown fields, types.
    Strict,
    /// kubernetes-models: enums, types, kinds.
    Models,
    Both,
}

/// A broken copy of a manifest: one edit, the name the refusal must mention, and who catches it.
struct Broken {
    file: &'static str,
    from: &'static str,
    to: &'static str,
    names: &'static str,
    caught_by: Catcher,
}

const BROKEN: &[Broken] = &[
    // A misspelt field, which Kubernetes would drop with a warning: the Job would retry pods.
    Broken {
        file: "job.yaml",
        from: "backoffLimit: 0",
        to: "backofLimit: 0",
        names: "backofLimit",
        caught_by: Catcher::Strict,
    },
    // A misspelt field deep in the pod template: the root filesystem would be writable.
    Broken {
        file: "job.yaml",
        from: "readOnlyRootFilesystem: true",
        to: "readOnlyRootFileSystem: true",
        names: "readOnlyRootFileSystem",
        caught_by: Catcher::Strict,
    },
    // A value outside an enum.
    Broken {
        file: "job.yaml",
        from: "completionMode: Indexed",
        to: "completionMode: Indexd",
        names: "completionMode",
        caught_by: Catcher::Models,
    },
    Broken {
        file: "job.yaml",
        from: "restartPolicy: Never",
        to: "restartPolicy: never",
        names: "restartPolicy",
        caught_by: Catcher::Models,
    },
    // A kind that does not exist: kubernetes-validate only warns that it has no schema for it.
    Broken {
        file: "job.yaml",
        from: "kind: Job",
        to: "kind: Jobs",
        names: "Jobs",
        caught_by: Catcher::Models,
    },
    // Wrong types.
    Broken {
        file: "job.yaml",
        from: "completions: 4",
        to: "completions: four",
        names: "completions",
        caught_by: Catcher::Both,
    },
    // A ConfigMap's values are strings: an unquoted number is refused by the API server.
    Broken {
        file: "config.yaml",
        from: "PARTS: \"4\"",
        to: "PARTS: 4",
        names: "PARTS",
        caught_by: Catcher::Both,
    },
];

#[test]
fn the_validators_refuse_broken_copies() {
    let Some(validators) = validators("the manifest validators") else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let newest = RELEASES[RELEASES.len() - 1];
    for broken in BROKEN {
        let text = fs::read_to_string(manifest_path(broken.file)).unwrap();
        assert_eq!(
            text.matches(broken.from).count(),
            1,
            "{:?} should be in {} once, to be broken",
            broken.from,
            broken.file
        );
        let copy = dir.path().join(broken.file);
        fs::write(&copy, text.replace(broken.from, broken.to)).unwrap();

        let strict = validators.kubernetes_validate(newest, &[&copy]);
        let models = validators.models(&[&copy]);
        let refused = |ran: &Ran| ran.code != Some(0);
        assert!(
            refused(&strict) || refused(&models),
            "no validator refused {:?} → {:?} in {}:\n{strict}\n{models}",
            broken.from,
            broken.to,
            broken.file
        );
        let expected: &[(&Ran, Catcher)] =
            &[(&strict, Catcher::Strict), (&models, Catcher::Models)];
        for (ran, catcher) in expected {
            if broken.caught_by == *catcher || broken.caught_by == Catcher::Both {
                assert!(
                    refused(ran),
                    "{catcher:?} should refuse {:?} → {:?}:\n{ran}",
                    broken.from,
                    broken.to
                );
                let said = format!("{}{}", ran.stdout, ran.stderr);
                assert!(
                    said.contains(broken.names),
                    "{catcher:?}'s refusal should name {:?}:\n{ran}",
                    broken.names
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The Job's shape
// ---------------------------------------------------------------------------------------------

#[test]
fn the_job_is_shaped_for_one_merged_run() {
    let job = Job::read();
    let spec = job.spec();
    assert_eq!(job.job["apiVersion"], "batch/v1");
    assert_eq!(job.job["kind"], "Job");
    assert_eq!(spec["completionMode"], "Indexed");

    // N, written three times, alike.
    let parts = job.parts();
    assert!(parts >= 1);
    assert_eq!(spec["completions"], parts, "completions and PARTS differ");
    assert_eq!(spec["parallelism"], parts, "parallelism and PARTS differ");

    // A failed generator is not run again, late; the Job is bounded and cleaned up.
    assert_eq!(spec["backoffLimit"], 0);
    assert!(
        spec["activeDeadlineSeconds"]
            .as_u64()
            .is_some_and(|s| s > 0)
    );
    assert!(
        spec["ttlSecondsAfterFinished"]
            .as_u64()
            .is_some_and(|s| s > 0)
    );
    assert_eq!(job.pod()["restartPolicy"], "Never");

    // Non-root, read-only, no capabilities, and the same uid as the image's USER.
    let pod_security = &job.pod()["securityContext"];
    assert_eq!(pod_security["runAsNonRoot"], true);
    let uid = pod_security["runAsUser"]
        .as_u64()
        .expect("runAsUser is set");
    assert_ne!(uid, 0);
    assert_eq!(
        Some(uid),
        dockerfile_user(),
        "job.yaml and the Dockerfile's USER differ"
    );
    let container = job.container();
    let security = &container["securityContext"];
    assert_eq!(security["readOnlyRootFilesystem"], true);
    assert_eq!(security["allowPrivilegeEscalation"], false);
    assert_eq!(security["capabilities"]["drop"], serde_json::json!(["ALL"]));
    for bound in ["requests", "limits"] {
        for resource in ["cpu", "memory"] {
            assert!(
                container["resources"][bound][resource].is_string(),
                "resources.{bound}.{resource} is not set"
            );
        }
    }

    // The load comes from the ConfigMap, and the index from the pod's annotation.
    assert_eq!(
        container["envFrom"][0]["configMapRef"]["name"],
        job.config["metadata"]["name"]
    );
    let index = container["env"]
        .as_array()
        .and_then(|env| env.iter().find(|e| e["name"] == "JOB_COMPLETION_INDEX"))
        .expect("JOB_COMPLETION_INDEX is in env");
    assert_eq!(
        index["valueFrom"]["fieldRef"]["fieldPath"],
        "metadata.annotations['batch.kubernetes.io/job-completion-index']"
    );

    // bench, split by the index, started together, reporting JSON on stdout.
    let args = job.args();
    assert_eq!(args.first(), Some(&"bench"));
    assert!(
        args.contains(&"--split=$(JOB_COMPLETION_INDEX)/$(PARTS)"),
        "{args:?}"
    );
    assert!(
        args.iter().any(|a| a.starts_with("--start-at=")),
        "{args:?}"
    );
    assert!(args.contains(&"--output=json"), "{args:?}");
    assert!(
        !args.iter().any(|a| a.starts_with("--expect")),
        "thresholds belong to the merge"
    );

    // Every variable is defined, for every index.
    for i in [0, parts as u32 - 1] {
        let env = job.environment(i);
        for arg in &args {
            if let Err(name) = expand(arg, &env) {
                panic!("{arg:?} uses $({name}), which neither env nor config.yaml defines");
            }
        }
    }
}

#[test]
fn expand_follows_kubernetes_rules() {
    let env = BTreeMap::from([("A".to_owned(), "x".to_owned())]);
    assert_eq!(expand("--a=$(A)/$(A)", &env).unwrap(), "--a=x/x");
    assert_eq!(expand("$$(A) $ $", &env).unwrap(), "$(A) $ $");
    assert_eq!(expand("$(B)", &env), Err("B".to_owned()));
}

// ---------------------------------------------------------------------------------------------
// The Job's command line in the binary
// ---------------------------------------------------------------------------------------------

/// Whether this binary's `bench` has an option.
fn bench_has(option: &str) -> bool {
    let output = output_of(apicli().args(["bench", "--help"]));
    stdout(&output).contains(option)
}

/// A port on 127.0.0.1 that nothing listens on: bound by the OS, then let go.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().unwrap().port()
}

#[test]
fn the_job_command_line_gets_past_argument_parsing() {
    if !bench_has("--split") || !bench_has("--start-at") {
        let _ = writeln!(
            io::stderr(),
            "skipping the Job's command line: this apicli's bench has no --split or --start-at"
        );
        return;
    }
    let job = Job::read();
    let parts = job.parts() as u32;
    let target = format!("127.0.0.1:{}", closed_port());
    // As submitted: the manifest's START_AT for the first pod, an RFC 3339 time (as `kubectl set
    // env` puts in) for the last.
    let soon = humantime::format_rfc3339_seconds(SystemTime::now() + Duration::from_secs(1));
    let cases = [(0, None), (parts - 1, Some(soon.to_string()))];
    for (index, start_at) in cases {
        let mut env = job.environment(index);
        env.insert("TARGET".to_owned(), target.clone());
        if let Some(start_at) = start_at {
            env.insert("START_AT".to_owned(), start_at);
        }
        let args: Vec<String> = job
            .args()
            .iter()
            .map(|arg| expand(arg, &env).expect("every variable is defined"))
            .collect();
        let output = output_of(apicli().args(&args).args(["--connect-timeout", "2s"]));
        let code = output.status.code();
        assert!(
            matches!(code, Some(1) | Some(78)),
            "apicli {args:?} should fail to connect (exit 1 or 78), not {code:?}:\n{}",
            stderr(&output)
        );
        assert!(stdout(&output).is_empty(), "no report without a server");
    }
}

// ---------------------------------------------------------------------------------------------
// collect.sh
// ---------------------------------------------------------------------------------------------

/// A stand-in for kubectl that answers collect.sh's queries about a Job of three pods, listed out
/// of order, and logs each call. `FAKE_ENDED` is the Job's true condition (default Complete);
/// `FAKE_SILENT` names a pod index whose log holds no report.
const FAKE_KUBECTL: &str = r#"#!/usr/bin/env bash
echo "$*" >>"$FAKE_DIR/kubectl.log"
case "$*" in
*"get job/apicli-bench -o jsonpath={range .status.conditions"*) echo "${FAKE_ENDED:-Complete}" ;;
"get job/apicli-bench -o jsonpath={.spec.completions}") echo 3 ;;
*"get pods -l batch.kubernetes.io/job-name=apicli-bench --field-selector=status.phase=Succeeded"*)
    printf '2 apicli-bench-2-zz\n0 apicli-bench-0-xx\n1 apicli-bench-1-yy\n' ;;
*"get pods -l batch.kubernetes.io/job-name=apicli-bench --field-selector=status.phase=Failed"*)
    printf 'apicli-bench-1-yy\n' ;;
"logs pod/apicli-bench-"?"-"??" -c bench"*)
    index=${2#pod/apicli-bench-}
    index=${index%%-*}
    echo "apicli: warning: a line on stderr, in the same log"
    [[ $index == "${FAKE_SILENT:-}" ]] || echo "{\"part\":$index}" ;;
*) echo "unexpected: kubectl $*" >&2; exit 1 ;;
esac
"#;

/// A stand-in for apicli that writes its arguments, one per line, and exits 3 as a merge whose
/// expectation was not met does.
const FAKE_APICLI: &str = r#"#!/usr/bin/env bash
printf '%s\n' "$@" >"$FAKE_DIR/apicli.args"
echo '{"merged":true}'
exit 3
"#;

struct Collect {
    dir: tempfile::TempDir,
}

impl Collect {
    fn new() -> Collect {
        let dir = tempfile::tempdir().expect("a temporary directory");
        for (name, text) in [("kubectl", FAKE_KUBECTL), ("apicli-merge", FAKE_APICLI)] {
            let path = dir.path().join(name);
            fs::write(&path, text).unwrap();
            let status = Command::new("chmod").arg("+x").arg(&path).status().unwrap();
            assert!(status.success());
        }
        Collect { dir }
    }

    fn run(&self, env: &[(&str, &str)], args: &[&str]) -> Ran {
        let path = format!(
            "{}:{}",
            self.dir.path().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = Command::new("bash");
        cmd.arg(repo_root().join(MANIFESTS).join("collect.sh"))
            .args(args)
            .env("PATH", path)
            .env("FAKE_DIR", self.dir.path())
            .env("APICLI", self.dir.path().join("apicli-merge"))
            .env_remove("FAKE_ENDED")
            .env_remove("FAKE_SILENT");
        cmd.envs(env.iter().copied());
        run(&mut cmd)
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("reports")
    }
}

#[test]
fn collect_merges_the_reports_in_completion_order_with_the_merges_exit_code() {
    let collect = Collect::new();
    let out = collect.out();
    let ran = collect.run(
        &[],
        &["--out", out.to_str().unwrap(), "--expect", "p99<5ms"],
    );
    ran.assert_code(3);
    assert_eq!(ran.stdout, "{\"merged\":true}\n", "{ran}");
    let args = fs::read_to_string(collect.dir.path().join("apicli.args")).unwrap();
    let report = |i: u32| {
        out.join(format!("apicli-bench-{i}.json"))
            .display()
            .to_string()
    };
    let expected = ["bench", "merge", "--expect", "p99<5ms"]
        .map(str::to_owned)
        .into_iter()
        .chain((0..3).map(report))
        .collect::<Vec<_>>();
    assert_eq!(args.lines().collect::<Vec<_>>(), expected, "{ran}");
    for i in 0..3 {
        // The report alone: the log's stderr line is left out.
        assert_eq!(
            fs::read_to_string(report(i)).unwrap(),
            format!("{{\"part\":{i}}}\n")
        );
    }
}

#[test]
fn collect_fails_on_a_failed_job_or_a_missing_report() {
    let collect = Collect::new();
    let out = collect.out();
    let out = out.to_str().unwrap();

    let ran = collect.run(&[("FAKE_ENDED", "Failed")], &["--out", out]);
    ran.assert_code(1);
    assert!(ran.stderr.contains("job/apicli-bench failed"), "{ran}");
    assert!(ran.stderr.contains("--- apicli-bench-1-yy"), "{ran}");

    let ran = collect.run(&[("FAKE_SILENT", "1")], &["--out", out]);
    ran.assert_code(1);
    assert!(
        ran.stderr
            .contains("pod/apicli-bench-1-yy (index 1) printed no report"),
        "{ran}"
    );
    assert!(
        !collect.dir.path().join("apicli.args").exists(),
        "no merge ran"
    );

    let ran = collect.run(&[], &["--timeout", "soon"]);
    ran.assert_code(2);
}

// ---------------------------------------------------------------------------------------------
// The Dockerfile
// ---------------------------------------------------------------------------------------------

/// The Dockerfile's instructions, continuation lines joined, comments left out.
fn dockerfile() -> Vec<String> {
    let text = fs::read_to_string(repo_root().join("Dockerfile")).expect("a Dockerfile");
    let mut instructions = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || (trimmed.is_empty() && current.is_empty()) {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(part) => {
                current.push_str(part);
                current.push(' ');
            }
            None => {
                current.push_str(trimmed);
                instructions.push(std::mem::take(&mut current));
            }
        }
    }
    instructions
}

/// The numeric uid of the Dockerfile's last USER.
fn dockerfile_user() -> Option<u64> {
    let user = dockerfile()
        .into_iter()
        .rev()
        .find_map(|line| line.strip_prefix("USER ").map(str::to_owned))?;
    user.split(':').next()?.trim().parse().ok()
}

#[test]
fn the_dockerfile_builds_what_cargo_install_builds() {
    let instructions = dockerfile();
    let mut copied = Vec::new();
    for line in &instructions {
        let Some(rest) = line.strip_prefix("COPY ") else {
            continue;
        };
        if rest.starts_with("--from") {
            continue;
        }
        let words: Vec<&str> = rest.split_whitespace().collect();
        let (_, sources) = words.split_last().expect("COPY has a destination");
        for source in sources {
            assert!(
                repo_root().join(source).exists(),
                "the Dockerfile copies {source}, which is not in the repository"
            );
            copied.push(source.trim_end_matches('/').to_owned());
        }
    }
    // What the crate is built from: the manifest, the lock, build.rs and what it compiles, src/.
    for needed in ["Cargo.toml", "Cargo.lock", "build.rs", "proto", "src"] {
        assert!(
            copied.iter().any(|c| c == needed),
            "the Dockerfile does not copy {needed}"
        );
    }

    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    let install = readme
        .split("## Install")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the README has an Install section");
    assert!(install.contains("cargo install --path ."), "{install}");
    assert!(
        instructions.iter().any(|line| line.starts_with("RUN ")
            && line.contains("cargo install --path . --locked --root")),
        "the builder does not run cargo install --path . --locked"
    );

    let uid = dockerfile_user().expect("a numeric USER");
    assert_ne!(uid, 0, "the image runs as root");
    assert!(
        instructions.contains(&r#"ENTRYPOINT ["apicli"]"#.to_owned()),
        "{instructions:#?}"
    );

    // The context leaves out what is large or local, and none of what is copied.
    let ignore = fs::read_to_string(repo_root().join(".dockerignore")).expect("a .dockerignore");
    let patterns: Vec<&str> = ignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    for needed in ["target/", ".git/", "**/node_modules/"] {
        assert!(patterns.contains(&needed), ".dockerignore lacks {needed}");
    }
    for pattern in &patterns {
        let bare = pattern.trim_end_matches('/');
        assert!(
            !copied.iter().any(|c| c == bare),
            ".dockerignore leaves out {bare}"
        );
    }
}
